"""Decode a captured reader byte stream (``kiosk idcard decode``): hex text or raw binary,
possibly with the host's requests and other answers mixed in."""

from __future__ import annotations

import re

from devices.idcard import codes
from devices.idcard.codes import SW3_FOUND, SW3_OK, sw3_info
from devices.idcard.frame import Frame, parse_read_data
from devices.idcard.stream import StreamError, decode_all
from devices.idcard.textblock import decode_text_block
from devices.idcard.types import IdCard
from devices.status import Result

_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
_SEPARATORS = frozenset(b" \t\r\n\f\v,:;-")
_PREFIX = re.compile(rb"0[xX]")


def bytes_from_capture(data: bytes) -> bytes:
    """Hex text with any whitespace (``AA AA AA 96 69 …``, ``0xAA,0xAA``) → bytes; anything
    else is taken as raw binary."""
    # A linear scan (a regex with nested repetition backtracks for minutes on long input).
    text = _PREFIX.sub(b"", data)
    if not text or not all(c in _HEX_DIGITS or c in _SEPARATORS for c in text):
        return data
    digits = bytes(c for c in text if c in _HEX_DIGITS)
    if not digits or len(digits) % 2:
        return data
    return bytes.fromhex(digits.decode("ascii"))


def decode_capture(data: bytes) -> Result[IdCard]:
    """The card in a capture; the first decisive failure otherwise (typed, never raises)."""
    frames = decode_all(bytes_from_capture(data))
    if not frames:
        return Result.failure(codes.NO_FRAME, "no reader frame found in the input")
    failure: Result[IdCard] | None = None
    for item in frames:
        if isinstance(item, StreamError):
            failure = failure or Result(fault=item.fault)
            continue
        if not item.is_response:
            continue
        result = _from_response(item)
        if result is not None:
            if result.ok:
                return result
            failure = failure or result
    return failure or Result.failure(codes.NO_FRAME, "the input holds no card read answer")


def _from_response(frame: Frame) -> Result[IdCard] | None:
    sw3 = frame.sw3
    if sw3 == SW3_FOUND:
        return None
    if sw3 != SW3_OK:
        info = sw3_info(sw3)
        return Result.failure(info.code, f"reader answered {sw3:02X}: {info.message} ({info.meaning})",
                              info.action)
    if len(frame.data) < 4 + 256:  # select/reset answers: not a card read
        return None
    record = parse_read_data(frame.data)
    if not record.ok:
        return Result(fault=record.fault)
    rec = record.unwrap()
    return decode_text_block(rec.text, rec.photo, len(rec.fingerprint))
