"""The 256-byte text block (UCS-2LE, space padded) of all four card kinds.

Layouts: research/devices.md §1.8–1.9. The kind is the UCS-2 character at bytes 248–249:
space/NUL = resident, ``J`` = HK/Macao/Taiwan residence permit, ``I`` = 2017 foreign
permanent residence card, ``Y`` = 2023 one. Fields are stripped of trailing spaces/NULs
only (foreign names contain spaces). Offsets for 'Y' follow the PCSC header whose 46-char
English name split matches the official rule; 32–35 = 换证次数, 242 = nationality.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from devices.idcard import checkdigit, codes
from devices.idcard.types import LONG_TERM, TYPE_FLAGS, CardType, IdCard, Photo
from devices.status import Result

TEXT_LEN = 256
FLAG_OFFSET = 248


@dataclass(frozen=True)
class _F:
    offset: int
    size: int  # bytes


# Resident card (and 'J' up to byte 220)
NAME, GENDER, NATION, BIRTH, ADDRESS = _F(0, 30), _F(30, 2), _F(32, 4), _F(36, 16), _F(52, 70)
NUMBER, ISSUER, FROM, UNTIL = _F(122, 36), _F(158, 30), _F(188, 16), _F(204, 16)
# 'J'
J_PASS, J_ISSUES = _F(220, 18), _F(238, 4)
# 'I' (2017)
I_EN_NAME, I_GENDER, I_NUMBER, I_NATIONALITY = _F(0, 120), _F(120, 2), _F(122, 30), _F(152, 6)
I_NAME, I_FROM, I_UNTIL, I_BIRTH, I_VERSION, I_AUTHORITY = (
    _F(158, 30), _F(188, 16), _F(204, 16), _F(220, 16), _F(236, 4), _F(240, 8))
# 'Y' (2023)
Y_ISSUES, Y_EN_NAME_1, Y_EN_NAME_2, Y_NATIONALITY, Y_RESERVED = (
    _F(32, 4), _F(52, 70), _F(220, 22), _F(242, 6), _F(158, 30))

_FOREIGN_2017_NUMBER = re.compile(r"^[A-Z]{3}\d{12}$")


def _raw(text: bytes, f: _F) -> str:
    return text[f.offset:f.offset + f.size].decode("utf-16-le", errors="replace")


def _get(text: bytes, f: _F) -> str:
    return _raw(text, f).rstrip(" \x00")


class _Bad(Exception):
    """Internal: one field is wrong; turned into a Result at the boundary."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _date(value: str, what: str, long_term_ok: bool = False, required: bool = True) -> str:
    if long_term_ok and value == "长期":
        return LONG_TERM
    if not value and not required:
        return ""
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        raise _Bad(codes.BAD_FIELD, f"{what} is not a YYYYMMDD date")
    try:
        return _dt.date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
    except ValueError:
        raise _Bad(codes.BAD_FIELD, f"{what} is not a calendar date") from None


def _count(value: str, what: str) -> int | None:
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise _Bad(codes.BAD_FIELD, f"{what} is not a number")
    return int(value)


def _check18(number: str, what: str) -> str:
    if not checkdigit.is_valid(number):
        raise _Bad(codes.BAD_CHECK_DIGIT, f"{what} fails the GB 11643 check digit")
    return number.upper()


def card_type_of(text: bytes) -> CardType | None:
    flag = text[FLAG_OFFSET:FLAG_OFFSET + 2].decode("utf-16-le", errors="replace")
    if flag in (" ", "\x00"):
        return CardType.RESIDENT
    for kind, f in TYPE_FLAGS.items():
        if f == flag:
            return kind
    return None


def decode_text_block(text: bytes, photo: bytes = b"", fingerprint_bytes: int = 0) -> Result[IdCard]:
    """Interpret a text block; a wrong check digit or impossible date is an error result."""
    if len(text) != TEXT_LEN:
        return Result.failure(codes.BAD_FRAME, f"text block is {len(text)} bytes, expected 256")
    kind = card_type_of(text)
    if kind is None:
        return Result.failure(codes.UNKNOWN_CARD_TYPE, "unknown card type flag in the text block")
    try:
        card = _DECODERS[kind](text)
    except _Bad as bad:
        return Result.failure(bad.code, str(bad))
    if not (card.name or card.english_name):
        return Result.failure(codes.BAD_FIELD, "the text block has no name")
    from dataclasses import replace

    return Result.success(replace(card, photo=Photo(bytearray(photo)) if photo else None,
                                  fingerprint_bytes=fingerprint_bytes))


def _resident(t: bytes) -> IdCard:
    return IdCard(
        card_type=CardType.RESIDENT, name=_get(t, NAME), gender_code=_get(t, GENDER),
        nation_code=_get(t, NATION), birth_date=_date(_get(t, BIRTH), "birth date"),
        address=_get(t, ADDRESS), id_number=_check18(_get(t, NUMBER), "ID number"),
        issuer=_get(t, ISSUER), valid_from=_date(_get(t, FROM), "valid-from date"),
        valid_until=_date(_get(t, UNTIL), "valid-until date", long_term_ok=True))


def _permit(t: bytes) -> IdCard:
    return IdCard(
        card_type=CardType.HK_MO_TW_PERMIT, name=_get(t, NAME), gender_code=_get(t, GENDER),
        birth_date=_date(_get(t, BIRTH), "birth date"), address=_get(t, ADDRESS),
        id_number=_check18(_get(t, NUMBER), "permit number"), issuer=_get(t, ISSUER),
        valid_from=_date(_get(t, FROM), "valid-from date"),
        valid_until=_date(_get(t, UNTIL), "valid-until date", long_term_ok=True),
        pass_number=_get(t, J_PASS), issue_count=_count(_get(t, J_ISSUES), "issue count"))


def _foreign_2017(t: bytes) -> IdCard:
    number = _get(t, I_NUMBER)
    if not _FOREIGN_2017_NUMBER.match(number):
        raise _Bad(codes.BAD_FIELD, "permanent residence number is not 3 letters + 12 digits")
    return IdCard(
        card_type=CardType.FOREIGN_PERMANENT_2017, english_name=_get(t, I_EN_NAME),
        name=_get(t, I_NAME), gender_code=_get(t, I_GENDER), id_number=number,
        nationality=_get(t, I_NATIONALITY), birth_date=_date(_get(t, I_BIRTH), "birth date"),
        valid_from=_date(_get(t, I_FROM), "valid-from date"),
        valid_until=_date(_get(t, I_UNTIL), "valid-until date", long_term_ok=True),
        issuer=_get(t, I_AUTHORITY))


def _foreign_2023(t: bytes) -> IdCard:
    number = _get(t, NUMBER)
    if not number.startswith("9"):
        raise _Bad(codes.BAD_FIELD, "2023 permanent residence numbers start with 9")
    english = (_raw(t, Y_EN_NAME_1) + _raw(t, Y_EN_NAME_2)).rstrip(" \x00")
    return IdCard(
        card_type=CardType.FOREIGN_PERMANENT_2023, name=_get(t, NAME), english_name=english,
        gender_code=_get(t, GENDER), issue_count=_count(_get(t, Y_ISSUES), "renewal count"),
        birth_date=_date(_get(t, BIRTH), "birth date"),
        id_number=_check18(number, "permanent residence number"),
        issuer=_get(t, Y_RESERVED), nationality=_get(t, Y_NATIONALITY),
        valid_from=_date(_get(t, FROM), "valid-from date"),
        valid_until=_date(_get(t, UNTIL), "valid-until date", long_term_ok=True))


_DECODERS = {
    CardType.RESIDENT: _resident,
    CardType.HK_MO_TW_PERMIT: _permit,
    CardType.FOREIGN_PERMANENT_2017: _foreign_2017,
    CardType.FOREIGN_PERMANENT_2023: _foreign_2023,
}


# --- encoding (simulator, tests, sample cards) ---------------------------------------------

def _put(buf: bytearray, f: _F, value: str) -> None:
    data = value.encode("utf-16-le")
    if len(data) > f.size:
        raise ValueError(f"field at {f.offset} takes {f.size // 2} characters, got {len(value)}")
    buf[f.offset:f.offset + f.size] = data + " ".encode("utf-16-le") * ((f.size - len(data)) // 2)


def _yyyymmdd(iso: str) -> str:
    return "长期" if iso == LONG_TERM else iso.replace("-", "")


def encode_text_block(card: IdCard) -> bytes:
    """The 256 bytes a reader would deliver for ``card`` (inverse of decode_text_block)."""
    buf = bytearray(" ".encode("utf-16-le") * (TEXT_LEN // 2))
    count = "" if card.issue_count is None else f"{card.issue_count:02d}"
    k = card.card_type
    if k in (CardType.RESIDENT, CardType.HK_MO_TW_PERMIT):
        _put(buf, NAME, card.name)
        _put(buf, GENDER, card.gender_code)
        _put(buf, NATION, card.nation_code if k is CardType.RESIDENT else "")
        _put(buf, BIRTH, _yyyymmdd(card.birth_date))
        _put(buf, ADDRESS, card.address)
        _put(buf, NUMBER, card.id_number)
        _put(buf, ISSUER, card.issuer)
        _put(buf, FROM, _yyyymmdd(card.valid_from))
        _put(buf, UNTIL, _yyyymmdd(card.valid_until))
        if k is CardType.HK_MO_TW_PERMIT:
            _put(buf, J_PASS, card.pass_number)
            _put(buf, J_ISSUES, count)
    elif k is CardType.FOREIGN_PERMANENT_2017:
        _put(buf, I_EN_NAME, card.english_name)
        _put(buf, I_GENDER, card.gender_code)
        _put(buf, I_NUMBER, card.id_number)
        _put(buf, I_NATIONALITY, card.nationality)
        _put(buf, I_NAME, card.name)
        _put(buf, I_FROM, _yyyymmdd(card.valid_from))
        _put(buf, I_UNTIL, _yyyymmdd(card.valid_until))
        _put(buf, I_BIRTH, _yyyymmdd(card.birth_date))
        _put(buf, I_VERSION, "01")
        _put(buf, I_AUTHORITY, card.issuer)
    else:
        _put(buf, NAME, card.name)
        _put(buf, GENDER, card.gender_code)
        _put(buf, Y_ISSUES, count)
        _put(buf, BIRTH, _yyyymmdd(card.birth_date))
        en = card.english_name
        _put(buf, Y_EN_NAME_1, en[:35])
        _put(buf, Y_EN_NAME_2, en[35:])
        _put(buf, NUMBER, card.id_number)
        _put(buf, Y_RESERVED, card.issuer)
        _put(buf, FROM, _yyyymmdd(card.valid_from))
        _put(buf, UNTIL, _yyyymmdd(card.valid_until))
        _put(buf, Y_NATIONALITY, card.nationality)
    _put(buf, _F(FLAG_OFFSET, 2), TYPE_FLAGS[k])
    return bytes(buf)
