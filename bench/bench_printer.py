"""Printer figures: composing a 收件回执, rendering it for review, and sending it to the
simulated printer over loopback — each against a plain baseline run in the same process.

    .venv/bin/python bench/bench_printer.py
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from escpos.printer import Dummy  # noqa: E402

from devices.printer.device import ReceiptPrinter  # noqa: E402
from devices.printer.render import render  # noqa: E402
from devices.printer.simulator import PrinterEngine, TcpPrinterSimulator  # noqa: E402
from devices.printer.transport import NetworkTransport  # noqa: E402
from kiosk.receipts import intake_receipt, samples  # noqa: E402


def timed(func: Callable[[], object], repeat: int) -> float:
    func()  # warm caches (fonts, glyphs)
    start = time.perf_counter()
    for _ in range(repeat):
        func()
    return (time.perf_counter() - start) / repeat


def main() -> None:
    data = samples.sample_receipt()
    receipt = intake_receipt(data, 80)
    lines = [ln for ln in render(receipt).lines if ln and not ln.startswith("[")]

    def baseline_compose() -> bytes:
        # python-escpos alone: the same text lines through text() (its GB18030 shortcut).
        d = Dummy()
        for ln in lines:
            d.text(ln + "\n")
        d.qr(samples.DEMO_REFERENCE, native=True, size=6)
        d.cut()
        return bytes(d.output)

    ours = timed(lambda: intake_receipt(data, 80), 50)
    base = timed(baseline_compose, 50)
    print(f"compose 收件回执 80 mm ({len(receipt)} bytes): {ours * 1e3:.2f} ms; "
          f"python-escpos text() baseline {base * 1e3:.2f} ms; ratio {ours / base:.1f}x")

    raster = intake_receipt(data, 80, native_qr=False)
    r_ours = timed(lambda: render(receipt), 10)
    print(f"render to PNG image: {r_ours * 1e3:.1f} ms (native QR), "
          f"{timed(lambda: render(raster), 10) * 1e3:.1f} ms (raster QR, {len(raster)} bytes)")

    with TcpPrinterSimulator(PrinterEngine()) as sim:
        printer = ReceiptPrinter("bench", NetworkTransport("127.0.0.1", sim.port))
        printer.open()
        job = timed(lambda: printer.print_job(receipt), 20)
        poll = timed(printer.poll_status, 20)
        printer.close()
        with socket.create_connection(("127.0.0.1", sim.port)) as s:
            raw = timed(lambda: s.sendall(receipt), 20)
    print(f"print_job over loopback (status before+after, 8 DLE EOT round trips): "
          f"{job * 1e3:.2f} ms; bare sendall baseline {raw * 1e3:.3f} ms")
    print(f"poll_status (DLE EOT 1-4): {poll * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
