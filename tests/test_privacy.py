"""Masking keeps most of every document number hidden, whatever its length."""

from __future__ import annotations

import pytest

from kiosk.privacy import mask_id_number, mask_text


@pytest.mark.parametrize(("number", "masked"), [
    ("990102190001010022", "9901**********0022"),  # resident ID card
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
    assert mask_text("card 990102190001010022 read") == "card 9901**********0022 read"


# --- #14 item 15: every number format of the four card kinds, names and addresses ---

@pytest.mark.parametrize(("text", "secret"), [
    ("read USA330099012999 ok", "USA330099012999"),            # 2017 foreign permanent
    ("pass H99999999 ok", "H99999999"),                        # HK/Macao permit's pass no.
    ("pass M1234567890 ok", "M1234567890"),                    # older 10-digit pass no.
    ("id 933840198506159995", "933840198506159995"),           # 2023 foreign permanent
    ("id 810000190001019995", "810000190001019995"),           # HK/Macao/Taiwan permit (fictitious)
])
def test_every_card_kinds_number_is_masked_in_free_text(text: str, secret: str) -> None:
    from kiosk.privacy import mask_log_text

    for masked in (mask_text(text), mask_log_text(text)):
        assert secret not in masked
        assert sum(1 for a, b in zip(secret, masked[text.index(secret):], strict=False)
                   if a == b) < len(secret) / 2


def test_platform_messages_lose_names_and_addresses_but_keep_their_sense() -> None:
    from kiosk.privacy import mask_platform_json, mask_platform_text

    assert mask_platform_text("'赵六测试' is not a 'date'") == "'赵***' is not a 'date'"
    assert "TEST, JOHN" not in mask_platform_text("'TEST, JOHN' is too long")
    problem = {"code": "VALIDATION_FAILED", "fields": [
        {"pointer": "/form/residenceSince", "message": "'浙江省杭州市西湖区演示街道5幢' is not a 'date'"}]}
    masked = mask_platform_json(problem)
    assert masked["fields"][0]["pointer"] == "/form/residenceSince"  # type: ignore[index]
    assert "演示街道" not in str(masked) and "'date'" in str(masked)
