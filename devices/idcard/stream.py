"""Incremental frame decoder for a serial byte stream.

Feed it whatever the port delivered; it yields checked frames and typed errors, dropping
noise before a preamble and resynchronising after a bad frame (HslCommunication and
libzhouyb read "7 bytes, then LEN"; we also survive garbage and split reads).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from devices.idcard import codes
from devices.idcard.frame import HEADER_LEN, PREAMBLE, Frame, check_length, xor
from devices.status import Fault


@dataclass(frozen=True)
class StreamError:
    """A frame that could not be used; ``skipped`` bytes were dropped with it."""

    fault: Fault
    skipped: int


class StreamDecoder:
    def __init__(self) -> None:
        self._buf = bytearray()
        self.noise_bytes = 0  # bytes dropped before a preamble (diagnostics)

    @property
    def pending(self) -> int:
        """Bytes held that may start a frame: non-zero at end of input means truncation."""
        return len(self._buf)

    def reset(self) -> None:
        self._buf.clear()

    def feed(self, data: bytes) -> Iterator[Frame | StreamError]:
        self._buf += data
        while True:
            item = self._next()
            if item is None:
                return
            yield item

    def _next(self) -> Frame | StreamError | None:
        buf = self._buf
        start = buf.find(PREAMBLE)
        if start < 0:
            # keep a tail that may be the beginning of a preamble split across reads
            keep = next((k for k in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1)
                         if PREAMBLE.startswith(bytes(buf[-k:]))), 0)
            self.noise_bytes += len(buf) - keep
            del buf[:len(buf) - keep]
            return None
        if start:
            self.noise_bytes += start
            del buf[:start]
        if len(buf) < HEADER_LEN:
            return None
        length = int.from_bytes(buf[5:7], "big")
        checked = check_length(length)
        if not checked.ok:
            assert checked.fault is not None
            # a preamble inside noise, or a corrupted length: skip past this preamble start
            del buf[:1]
            return StreamError(checked.fault, 1)
        total = HEADER_LEN + length
        if len(buf) < total:
            return None
        frame = bytes(buf[:total])
        del buf[:total]
        if xor(frame[5:-1]) != frame[-1]:
            return StreamError(Fault(codes.CHECKSUM, "frame checksum does not match"), total)
        return Frame(frame[HEADER_LEN:-1])

    def finish(self) -> StreamError | None:
        """Call at end of input: a partial frame left over is TRUNCATED."""
        if self._buf.find(PREAMBLE) >= 0 or (self._buf and PREAMBLE.startswith(bytes(self._buf))):
            n = len(self._buf)
            self._buf.clear()
            return StreamError(Fault(codes.TRUNCATED, f"input ends inside a frame ({n} bytes)"), n)
        self._buf.clear()
        return None


def decode_all(data: bytes) -> list[Frame | StreamError]:
    """All frames and errors in a complete capture, ending with TRUNCATED if cut short."""
    dec = StreamDecoder()
    out: list[Frame | StreamError] = list(dec.feed(data))
    tail = dec.finish()
    if tail is not None:
        out.append(tail)
    return out
