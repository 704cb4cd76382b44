"""Request/answer exchange with a SAM over a byte port (pyserial, or anything with
``write``/``read``/``reset_input_buffer``). Length-driven receive through the stream decoder;
every wait is sliced so a ``Cancel`` takes effect within ~50 ms."""

from __future__ import annotations

import termios
import time
from typing import Protocol

from devices.base import Cancel
from devices.idcard import codes
from devices.idcard.frame import Command, Frame, pack_request
from devices.idcard.stream import StreamDecoder, StreamError
from devices.status import RequiredAction, Result

# pyserial lets termios.error (not an OSError) escape from tcflush on a vanished tty.
LinkError = (OSError, termios.error)

# Per-command answer timeouts (YinanSoft SerialReader: find/select ~100 ms, read 2000 ms,
# with fingerprint 3000 ms, address 1500 ms, SAM id 300 ms), with margin for slow USB bridges.
TIMEOUTS: dict[Command, float] = {
    Command.RESET: 1.0, Command.SAM_STATUS: 0.5, Command.SAM_ID: 0.5,
    Command.FIND_CARD: 0.5, Command.SELECT_CARD: 0.5, Command.READ_BASE: 3.0,
    Command.READ_ADDRESS: 2.0, Command.READ_WITH_FINGERPRINT: 4.0, Command.SET_MAX_RF_BYTES: 0.5,
}


class BytePort(Protocol):
    def write(self, data: bytes) -> int | None: ...
    def read(self, size: int = 1) -> bytes: ...
    def reset_input_buffer(self) -> None: ...
    @property
    def in_waiting(self) -> int: ...


class SamLink:
    def __init__(self, port: BytePort, slice_s: float = 0.05) -> None:
        self.port = port
        self.slice_s = slice_s  # the port's read timeout; bounds cancel latency
        self.bytes_out = 0
        self.bytes_in = 0

    def transact(self, command: Command, data: bytes = b"", cancel: Cancel | None = None,
                 timeout_s: float | None = None) -> Result[Frame]:
        """Send one request and wait for its answer frame. Link errors are results:
        DISCONNECTED (port gone), NOT_RESPONDING (silence), CHECKSUM/TRUNCATED (garbled)."""
        timeout = TIMEOUTS.get(command, 1.0) if timeout_s is None else timeout_s
        request = pack_request(command, data)
        try:
            self.port.reset_input_buffer()  # drop stale bytes of an earlier, abandoned answer
            self.port.write(request)
        except LinkError as exc:  # serial.SerialException is an OSError
            return _disconnected(exc)
        self.bytes_out += len(request)
        decoder = StreamDecoder()
        deadline = time.monotonic() + timeout
        got_any = False
        while True:
            if cancel is not None and cancel.cancelled:
                return Result.failure(codes.CANCELLED, "cancelled")
            try:
                waiting = self.port.in_waiting
                chunk = self.port.read(max(1, waiting))
            except LinkError as exc:
                return _disconnected(exc)
            if chunk:
                got_any = True
                self.bytes_in += len(chunk)
                for item in decoder.feed(chunk):
                    if isinstance(item, StreamError):
                        return Result(fault=item.fault)
                    if item.is_response:
                        return Result.success(item)
            if time.monotonic() >= deadline:
                if got_any and decoder.pending:
                    return Result.failure(codes.TRUNCATED,
                                          f"answer to {command.name} stopped mid-frame")
                return Result.failure(codes.NOT_RESPONDING,
                                      f"no answer to {command.name} within {timeout:.1f} s",
                                      RequiredAction.RESET)


def _disconnected(exc: Exception) -> Result[Frame]:
    return Result.failure(codes.DISCONNECTED, "the reader's serial port went away",
                          RequiredAction.RESET, detail=f"{exc.__class__.__name__}: {exc}")
