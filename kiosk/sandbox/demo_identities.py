"""Demo identities of the sandbox: the FICTITIOUS people of devices/idcard/fictitious_people.json
that the platform holds records of, as the platform sees them.

Every name ends in 测试 and every ID number starts with the region code 330199, which is not
a real county of Hangzhou (3301xx); the check digits are valid (GB 11643) so that readers and
validators accept them. Prefill answers for these people are consistent with their cards
(same address on every matter, the couple of the newborn bundle are married to each other):
the simulated reader lays down the same people in demo mode (devices.idcard.sample_cards).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from devices.idcard.fictitious import FictitiousPerson, people
from devices.idcard.tables import nation_name

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """GB 11643-1999 check character of the first 17 digits."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def valid_resident_id(cert_no: str) -> bool:
    """18 characters, 17 digits and a correct GB 11643 check character."""
    v = cert_no.strip().upper()
    return len(v) == 18 and v[:17].isdigit() and check_digit(v[:17]) == v[17]


def _id(first17: str) -> str:
    return first17 + check_digit(first17)


@dataclass(frozen=True)
class DemoIdentity:
    cert_no: str
    name: str
    gender: str  # MALE | FEMALE
    nation: str
    birth_date: str  # YYYY-MM-DD
    household_address: str  # 户籍地址 as printed on the card
    residence_address: str  # 居住地址 (shared data)
    phone: str
    issuer: str
    valid_from: str
    valid_to: str
    marital_status: str
    spouse_cert_no: str | None = None
    licences: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    facts: dict[str, Any] = field(default_factory=dict)  # other shared data (公积金, 社保 …)

    @property
    def cert_type(self) -> str:
        return "RESIDENT_ID_CARD"


def _identity(who: FictitiousPerson, numbers: dict[str, str]) -> DemoIdentity:
    card, rec = who.card, who.records or {}
    return DemoIdentity(
        cert_no=who.id_number, name=card["name"],
        gender="MALE" if card["gender_code"] == "1" else "FEMALE",
        nation=nation_name(card["nation_code"]), birth_date=card["birth_date"],
        household_address=card["address"], residence_address=rec["residence_address"],
        phone=rec["phone"], issuer=card["issuer"], valid_from=card["valid_from"],
        valid_to="长期" if card["valid_until"] == "long-term" else card["valid_until"],
        marital_status=rec["marital_status"],
        spouse_cert_no=numbers[rec["spouse"]] if rec.get("spouse") else None,
        licences=tuple(dict(lic) for lic in rec.get("licences", ())),
        facts=dict(rec.get("facts", {})))


def _load() -> dict[str, DemoIdentity]:
    """The people the platform holds records of (devices/idcard/fictitious_people.json, the same
    people whose cards the simulated reader lays down in demo mode)."""
    numbers = {p.key: p.id_number for p in people()}
    return {p.id_number: _identity(p, numbers) for p in people() if p.records is not None}


IDENTITIES: dict[str, DemoIdentity] = _load()
_BY_KEY = {p.key: IDENTITIES[p.id_number] for p in people() if p.id_number in IDENTITIES}
ZHANG_SAN, LI_SI, WANG_WU, ZHAO_LIU = (_BY_KEY[k] for k in
                                       ("zhang_san", "li_si", "wang_wu", "zhao_liu"))


def find(cert_no: str) -> DemoIdentity | None:
    return IDENTITIES.get(cert_no.strip().upper())
