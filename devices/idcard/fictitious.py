"""The fictitious people, in one data file (``devices/idcard/fictitious_people.json``) that the
ID-card simulator (devices.idcard.sample_cards) and the demo platform (kiosk.sandbox.
demo_identities) both read: the card a person lays on the reader and the records the platform
prefills from are the same person. In the devices layer, which the sandbox may import: the people are who their cards say.

Every name ends in 测试 / TEST and every resident number uses a made-up region (330199); the
check characters are computed on load, so readers and validators accept the numbers.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devices.idcard.checkdigit import check_char

DATA = Path(__file__).with_name("fictitious_people.json")


@dataclass(frozen=True)
class FictitiousPerson:
    key: str  # "zhang_san"
    card: Mapping[str, Any]  # devices.idcard.IdCard fields, id_number complete
    records: Mapping[str, Any] | None  # what the demo platform holds; None: a card only

    @property
    def id_number(self) -> str:
        return str(self.card["id_number"])


@functools.cache
def people() -> tuple[FictitiousPerson, ...]:
    """Everybody, in the file's order."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    out = []
    for key, entry in raw.items():
        if key.startswith("_"):
            continue
        card = dict(entry["card"])
        if "id17" in card:
            first17 = card.pop("id17")
            card["id_number"] = first17 + check_char(first17)
        out.append(FictitiousPerson(key, card, entry.get("records")))
    return tuple(out)


def person(key: str) -> FictitiousPerson:
    return next(p for p in people() if p.key == key)
