"""Masking keeps most of every document number hidden, whatever its length."""

from __future__ import annotations

import pytest

from kiosk.privacy import mask_id_number, mask_text


@pytest.mark.parametrize(("number", "masked"), [
    ("330106199001011234", "3301**********1234"),  # resident ID card
    ("ABC123456789012", "ABC*********012"),  # 2017 foreign permanent residence card
    ("E12345678", "E******78"),  # passport
    ("H1234567890", "H********90"),  # 回乡证
    ("12345678", "1*****78"),  # 台胞证
    ("1234567", "*******"),
])
def test_document_numbers_keep_less_than_half_in_clear(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked
    shown = sum(1 for a, b in zip(number, masked, strict=True) if a == b)
    assert shown < len(number) / 2


def test_resident_numbers_in_free_text_are_masked() -> None:
    assert mask_text("card 330106199001011234 read") == "card 3301**********1234 read"
