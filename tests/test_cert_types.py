"""Two names, two things: CARD_CERT_TYPES maps what the reader read (devices.idcard.CardType)
to the contract's certificate type; CERT_TYPES lists the types staff may type in. Every card
the reader knows maps to one of those."""

from __future__ import annotations

from devices.idcard.types import CardType
from kiosk.citizen_services import CARD_CERT_TYPES
from kiosk.session.identity import CERT_TYPES


def test_every_card_kind_maps_to_a_certificate_type_staff_can_also_enter() -> None:
    assert set(CARD_CERT_TYPES) == {k.value for k in CardType}
    assert set(CARD_CERT_TYPES.values()) <= set(CERT_TYPES)
