"""The fictitious people live in one data file: the card the simulated reader lays down in
demo mode is the person the demo platform prefills from."""

from __future__ import annotations

from devices.idcard import sample_cards
from devices.idcard.checkdigit import is_valid
from devices.idcard.fictitious import people
from kiosk.sandbox.demo_identities import IDENTITIES


def test_every_demo_card_is_a_person_the_platform_knows_by_the_same_data() -> None:
    cards = sample_cards.demo_cards()
    assert {c.id_number for c in cards} == set(IDENTITIES) and len(cards) >= 4
    for card in cards:
        who = IDENTITIES[card.id_number]
        assert (who.name, who.birth_date, who.household_address, who.issuer) == (
            card.name, card.birth_date, card.address, card.issuer)


def test_everybody_is_fictitious_and_unique() -> None:
    everyone = people()
    assert len({p.id_number for p in everyone}) == len(everyone)
    assert len({p.card.get("name") for p in everyone}) == len(everyone)
    for p in everyone:
        assert str(p.card.get("name", "")).endswith("测试")
        if p.card["card_type"] == "resident":
            assert p.id_number.startswith("330199") and is_valid(p.id_number)
