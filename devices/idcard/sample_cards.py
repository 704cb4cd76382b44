"""Sample cards of the fictitious people (devices/idcard/fictitious_people.json, shared with the demo
platform): one of every kind the reader knows, for the simulator, demo mode and tests.

A demo photo is a WLT block that starts like a real one and is zeros after that, so no vendor
decoder would produce a face from it.
"""

from __future__ import annotations

from devices.idcard.fictitious import FictitiousPerson, people, person
from devices.idcard.types import CardType, IdCard, Photo

# Real WLT blocks start with these bytes (research: all public captures begin "WLf").
WLT_PREFIX = bytes.fromhex("574C66007E00320000FF85")


def demo_photo() -> Photo:
    return Photo(bytearray(WLT_PREFIX + bytes(1024 - len(WLT_PREFIX))))


def card_of(who: FictitiousPerson) -> IdCard:
    fields = dict(who.card)
    return IdCard(card_type=CardType(fields.pop("card_type")), photo=demo_photo(), **fields)


def resident() -> IdCard:
    return card_of(person("zhang_san"))


def resident_long_term() -> IdCard:
    return card_of(person("sun_qi"))


def hk_mo_tw_permit() -> IdCard:
    return card_of(person("chen_wu"))


def foreign_2017() -> IdCard:
    return card_of(person("john_test"))


def foreign_2023() -> IdCard:
    return card_of(person("mary_tester"))


def all_cards() -> list[IdCard]:
    """One of every kind (and a long-term resident card), in a stable order."""
    return [resident(), resident_long_term(), hk_mo_tw_permit(), foreign_2017(), foreign_2023()]


def demo_cards() -> list[IdCard]:
    """The cards demo mode lays down: the people the demo platform holds records of, so
    prefill and status queries find data for whoever comes."""
    return [card_of(p) for p in people() if p.records is not None]
