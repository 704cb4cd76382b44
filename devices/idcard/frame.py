"""GA 467 SAM frame codec (research/devices.md §1.2–1.4).

::

    request : AA AA AA 96 69 | LEN_H LEN_L | CMD PARA [DATA] | CHK
    response: AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 [DATA] | CHK

LEN (big-endian) counts every byte after itself, CHK included; CHK is the XOR of the length
bytes and the body. Pure functions: no I/O, no exceptions for bad bytes (``Result`` values).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from devices.idcard import codes
from devices.status import Result

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_LEN = len(PREAMBLE) + 2
MIN_LEN = 3  # CMD PARA CHK (request); a response has at least SW1 SW2 SW3 CHK
# Largest real answer: text + photo + 1024-byte fingerprint = LEN 0x090A (2314). Anything far
# beyond is noise that happened to contain a preamble.
MAX_LEN = 4096


class Command(Enum):
    """(CMD, PARA) of every host request we send (research/devices.md §1.3)."""

    RESET = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_BASE = (0x30, 0x01)  # text + photo
    READ_ADDRESS = (0x30, 0x03)  # 追加住址 (latest address)
    READ_WITH_FINGERPRINT = (0x30, 0x10)
    SET_MAX_RF_BYTES = (0x61, 0xFF)

    @classmethod
    def lookup(cls, cmd: int, para: int) -> Command | None:
        for c in cls:
            if c.value == (cmd, para):
                return c
        return None


def xor(data: bytes) -> int:
    acc = 0
    for b in data:
        acc ^= b
    return acc


def _frame(body: bytes) -> bytes:
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes([xor(length + body)])


def pack_request(command: Command, data: bytes = b"") -> bytes:
    cmd, para = command.value
    return _frame(bytes([cmd, para]) + data)


def pack_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return _frame(bytes([sw1, sw2, sw3]) + data)


@dataclass(frozen=True)
class Frame:
    """One checked frame; ``body`` is everything between the length field and CHK."""

    body: bytes

    @property
    def is_response(self) -> bool:
        # Responses start SW1 SW2 = 00 00; no command code is 00.
        return len(self.body) >= 3 and self.body[0] == 0 and self.body[1] == 0

    @property
    def sw3(self) -> int:
        return self.body[2]

    @property
    def data(self) -> bytes:
        """Response data after SW3, or request data after CMD PARA."""
        return self.body[3:] if self.is_response else self.body[2:]

    @property
    def command(self) -> Command | None:
        if self.is_response or len(self.body) < 2:
            return None
        return Command.lookup(self.body[0], self.body[1])

    def __repr__(self) -> str:  # bodies carry card data: never print them
        kind = f"SW3={self.sw3:02X}" if self.is_response else f"cmd={self.body[:2].hex()}"
        return f"Frame({kind}, {len(self.body)} body bytes)"


def check_length(length: int) -> Result[int]:
    if length < MIN_LEN or length > MAX_LEN:
        return Result.failure(codes.BAD_LENGTH,
                              f"frame length {length} is outside {MIN_LEN}..{MAX_LEN}")
    return Result.success(length)


def parse_frame(frame: bytes) -> Result[Frame]:
    """Check one complete frame (exactly one: trailing bytes are an error)."""
    if len(frame) < HEADER_LEN:
        if PREAMBLE.startswith(frame[: len(PREAMBLE)]):
            return Result.failure(codes.TRUNCATED, f"{len(frame)} bytes end inside a frame header")
        return Result.failure(codes.NO_FRAME, "input does not start with the frame preamble")
    if frame[: len(PREAMBLE)] != PREAMBLE:
        return Result.failure(codes.NO_FRAME, "input does not start with the frame preamble")
    length = int.from_bytes(frame[5:7], "big")
    checked = check_length(length)
    if not checked.ok:
        return Result(fault=checked.fault)
    total = HEADER_LEN + length
    if len(frame) < total:
        return Result.failure(codes.TRUNCATED,
                              f"frame announces {total} bytes but only {len(frame)} arrived")
    if len(frame) > total:
        return Result.failure(codes.BAD_FRAME, f"{len(frame) - total} bytes after the frame")
    body, chk = frame[HEADER_LEN:total - 1], frame[total - 1]
    if xor(frame[5:7] + body) != chk:
        return Result.failure(codes.CHECKSUM, "frame checksum does not match")
    return Result.success(Frame(body))


# --- typed views of response data ---------------------------------------------------------

@dataclass(frozen=True, repr=False)
class CardRecord:
    """The data of a read answer (``30 01`` / ``30 10``): raw blocks, not yet interpreted."""

    text: bytes  # 256 bytes UCS-2LE
    photo: bytes  # 1024 bytes WLT (may be empty)
    fingerprint: bytes = b""

    def __repr__(self) -> str:
        return (f"CardRecord(text={len(self.text)} B, photo={len(self.photo)} B, "
                f"fingerprint={len(self.fingerprint)} B)")


def parse_read_data(data: bytes, with_fingerprint: bool | None = None) -> Result[CardRecord]:
    """Split a read answer's data into blocks by its length fields.

    ``with_fingerprint=None`` infers the layout: 3 length fields when they add up exactly.
    """
    def fail(msg: str) -> Result[CardRecord]:
        return Result.failure(codes.BAD_FRAME, msg)

    if len(data) < 4:
        return fail("read answer too short for its length fields")
    lens2 = [int.from_bytes(data[i:i + 2], "big") for i in (0, 2)]
    lens3 = lens2 + ([int.from_bytes(data[4:6], "big")] if len(data) >= 6 else [])
    fits2 = 4 + sum(lens2) == len(data)
    fits3 = len(lens3) == 3 and 6 + sum(lens3) == len(data)
    if with_fingerprint is None:
        with_fingerprint = fits3 and not fits2
    if with_fingerprint:
        if not fits3:
            return fail("read answer length fields do not match its size")
        t, p, f = lens3
        off = 6
    else:
        if not fits2:
            return fail("read answer length fields do not match its size")
        t, p = lens2
        f, off = 0, 4
    if t != 256:
        return fail(f"text block is {t} bytes, expected 256")
    text = data[off:off + t]
    photo = data[off + t:off + t + p]
    fingerprint = data[off + t + p:off + t + p + f]
    return Result.success(CardRecord(text, photo, fingerprint))


def pack_read_data(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    """Inverse of :func:`parse_read_data` (simulator, tests)."""
    out = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
    if fingerprint is not None:
        out += len(fingerprint).to_bytes(2, "big")
    return out + text + photo + (fingerprint or b"")


def format_sam_id(data: bytes) -> str:
    """SAM id (16 bytes after SW3) as ``05.01-20101111-0012345678-1234567890`` (YinanSoft
    rendering: byte0 "." byte2 "-" u32 "-" u32 (10) "-" u32 (10), little-endian)."""
    if len(data) < 16:
        return data.hex()
    u32 = [int.from_bytes(data[i:i + 4], "little") for i in (4, 8, 12)]
    return f"{data[0]:02d}.{data[2]:02d}-{u32[0]:08d}-{u32[1]:010d}-{u32[2]:010d}"
