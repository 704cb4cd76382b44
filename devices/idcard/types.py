"""What the ID-card reader returns: :class:`IdCard` (all four card kinds) and its photo.

``IdCard`` is citizen data. Its ``repr`` shows only masked values, ``masked()`` gives a copy
safe to display or log, and ``wipe()`` zeroes the photo bytes (Python strings cannot be
overwritten: drop every reference to the card when the session ends).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import StrEnum

from devices.idcard.tables import gender_name, nation_name

LONG_TERM = "long-term"


class CardType(StrEnum):
    RESIDENT = "resident"  # 居民身份证
    HK_MO_TW_PERMIT = "hk_mo_tw_permit"  # 港澳台居民居住证, flag 'J'
    FOREIGN_PERMANENT_2017 = "foreign_permanent_2017"  # 外国人永久居留身份证, flag 'I'
    FOREIGN_PERMANENT_2023 = "foreign_permanent_2023"  # 2023 版, flag 'Y'


TYPE_FLAGS: dict[CardType, str] = {
    CardType.RESIDENT: " ",
    CardType.HK_MO_TW_PERMIT: "J",
    CardType.FOREIGN_PERMANENT_2017: "I",
    CardType.FOREIGN_PERMANENT_2023: "Y",
}


@dataclass(frozen=True, repr=False)
class Photo:
    """The card photo as read: 1024 bytes of vendor-compressed WLT. ``bmp`` is filled only
    when a WLT decoder plug-in is installed (``devices.idcard.photo``)."""

    data: bytearray = field(compare=False)
    format: str = "wlt"
    bmp: bytearray | None = field(default=None, compare=False)

    def wipe(self) -> None:
        self.data[:] = bytes(len(self.data))
        if self.bmp is not None:
            self.bmp[:] = bytes(len(self.bmp))

    def to_json(self) -> dict[str, object]:
        return {"format": self.format, "bytes": len(self.data)}

    def __repr__(self) -> str:
        return f"Photo({self.format}, {len(self.data)} bytes)"


def _mask_middle(value: str, keep_head: int = 4, keep_tail: int = 4) -> str:
    # Same shape as kiosk.privacy.mask_id_number (devices/ cannot import kiosk).
    if len(value) <= keep_head + keep_tail:
        return "*" * len(value)
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]


def mask_name(value: str) -> str:
    """``张三测试`` → ``张***``; ``ZHANG SAN`` → ``Z********``."""
    return value if not value else value[0] + "*" * max(1, len(value) - 1)


def mask_number(value: str) -> str:
    """``990102190001010022`` → ``9901**********0022``."""
    return _mask_middle(value)


def mask_address(value: str) -> str:
    """Keep the province/city part (first 6 characters), hide the rest."""
    return value if len(value) <= 6 else value[:6] + "*" * (len(value) - 6)


def mask_date(value: str) -> str:
    """Keep the year: ``1990-**-**``."""
    return value[:4] + "-**-**" if len(value) == 10 else value


@dataclass(frozen=True, repr=False)
class IdCard:
    """One identity document as read from the chip. Dates are ``YYYY-MM-DD``;
    ``valid_until`` may be ``"long-term"`` (长期). Empty string = the kind has no such field.

    Fields per kind: resident — name, gender, nation, birth, address, number, issuer, validity;
    ``hk_mo_tw_permit`` adds pass_number, issue_count (no nation); foreign 2017 — english_name,
    name, gender, number (15 chars), nationality, birth, validity, issuer (authority code);
    foreign 2023 — name, english_name, gender, issue_count, birth, number (18, starts 9),
    nationality, validity.
    """

    card_type: CardType
    name: str = ""
    english_name: str = ""
    gender_code: str = ""
    nation_code: str = ""
    birth_date: str = ""
    address: str = ""
    id_number: str = ""
    issuer: str = ""
    valid_from: str = ""
    valid_until: str = ""
    pass_number: str = ""
    issue_count: int | None = None
    nationality: str = ""
    photo: Photo | None = None
    fingerprint_bytes: int = 0  # size of the fingerprint block if read (data not kept)

    @property
    def gender(self) -> str:
        return gender_name(self.gender_code)

    @property
    def nation(self) -> str:
        return nation_name(self.nation_code)

    def masked(self) -> IdCard:
        """A copy safe for screens seen by others, logs and default CLI output."""
        return replace(
            self,
            name=mask_name(self.name),
            english_name=mask_name(self.english_name),
            birth_date=mask_date(self.birth_date),
            address=mask_address(self.address),
            id_number=mask_number(self.id_number),
            pass_number=mask_number(self.pass_number),
        )

    def wipe(self) -> None:
        """Zero the photo bytes in place (strings are dropped with the card)."""
        if self.photo is not None:
            self.photo.wipe()

    def to_json(self) -> dict[str, object]:
        """The issue's JSON shape: every key present, ``None`` where the kind lacks it."""
        out: dict[str, object] = {}
        for f in fields(self):
            if f.name == "fingerprint_bytes":
                continue
            value = getattr(self, f.name)
            if f.name == "photo":
                out["photo"] = None if value is None else value.to_json()
            elif isinstance(value, CardType):
                out[f.name] = value.value
            else:
                out[f.name] = value if value not in ("", None) else None
        return out

    def __repr__(self) -> str:
        m = self.masked()
        return (f"IdCard({self.card_type.value}, name={m.name!r}, "
                f"id_number={m.id_number!r}, photo={self.photo!r})")

    __str__ = __repr__
