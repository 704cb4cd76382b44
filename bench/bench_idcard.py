"""ID-card read time through a real pseudo-terminal: the ga467-serial driver against the
reader simulator pacing its answers at 115200 baud (8N1, 10 bits a byte), beside the wire
time of the bytes exchanged (the floor no driver can beat; the pty does not pace the host's
30 request bytes, hence ratios just under 1). Also the pure codec: decoding a
captured read answer beside a plain UTF-16 decode of its text block.

Run: ``.venv/bin/python bench/bench_idcard.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from devices.base import Cancel  # noqa: E402
from devices.idcard import sample_cards  # noqa: E402
from devices.idcard.capture import decode_capture  # noqa: E402
from devices.idcard.driver import IdCardReader  # noqa: E402
from devices.idcard.frame import pack_read_data, pack_response  # noqa: E402
from devices.idcard.simulator import IdCardSimulator  # noqa: E402
from devices.idcard.textblock import encode_text_block  # noqa: E402

BAUD = 115200
READS = 20


def read_times(realistic: bool, fingerprint: bool = False) -> tuple[list[float], int]:
    with tempfile.TemporaryDirectory() as tmp:
        sim = IdCardSimulator(sample_cards.all_cards(), baudrate=BAUD, realistic=realistic,
                              link_path=f"{tmp}/tty", fingerprint=bytes(1024) if fingerprint else b"")
        sim.start()
        reader = IdCardReader("idcard", {"port": sim.path, "poll_interval_s": 0.02,
                                         "read_fingerprint": fingerprint})
        assert reader.open().ok
        times, exchanged = [], 0
        try:
            for i in range(READS):
                sim.lift()
                reader.read_card(Cancel(), 0.01)  # the driver sees the card gone
                sim.present(sample_cards.all_cards()[i % 5])
                link = reader._link
                assert link is not None
                before = link.bytes_in + link.bytes_out
                t0 = time.perf_counter()
                result = reader.read_card(Cancel(), 5)
                times.append(time.perf_counter() - t0)
                assert result.ok, result.fault
                exchanged = link.bytes_in + link.bytes_out - before
        finally:
            reader.close()
            sim.stop()
        return times, exchanged


def main() -> None:
    print(f"ID-card read through a pty at {BAUD} baud, {READS} reads each (find+select+read)")
    for label, realistic, fp in (("wire pacing only", False, False),
                                 ("wire + fingerprint block", False, True),
                                 ("wire + typical SAM/RF delays", True, False)):
        times, exchanged = read_times(realistic, fp)
        wire = exchanged * 10 / BAUD
        med = statistics.median(times)
        print(f"  {label:<30} median {med * 1000:7.1f} ms  p90 "
              f"{sorted(times)[int(0.9 * len(times)) - 1] * 1000:7.1f} ms   "
              f"wire time of {exchanged} bytes {wire * 1000:6.1f} ms   ratio {med / wire:5.2f}")

    card = sample_cards.resident()
    text = encode_text_block(card)
    frame = pack_response(0x90, pack_read_data(text, bytes(card.photo.data)))  # type: ignore[union-attr]
    n = 2000
    ours = timeit.timeit(lambda: decode_capture(frame), number=n) / n
    plain = timeit.timeit(lambda: text.decode("utf-16-le"), number=n) / n
    print(f"codec: decode_capture of a 1295-byte answer {ours * 1e6:7.1f} µs; "
          f"plain text.decode('utf-16-le') {plain * 1e6:5.2f} µs (ratio {ours / plain:,.0f}x; "
          f"both far below the {1295 * 10 / BAUD * 1000:.0f} ms wire time)")


if __name__ == "__main__":
    main()
