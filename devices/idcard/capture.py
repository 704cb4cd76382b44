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

_HEX_TEXT = re.compile(rb"^(?:0x|[0-9a-fA-F]{2}|[\s,:;\-]+)*$")


def bytes_from_capture(data: bytes) -> bytes:
    """Hex text with any whitespace (``AA AA AA 96 69 …``, ``0xAA,0xAA``) → bytes; anything
    else is taken as raw binary."""
    if data and _HEX_TEXT.match(data.strip()):
        digits = re.sub(rb"0x|[^0-9a-fA-F]", b"", data)
        if len(digits) % 2 == 0 and digits:
            return bytes.fromhex(digits.decode("ascii"))
    return data


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
