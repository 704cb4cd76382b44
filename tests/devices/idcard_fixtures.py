"""Frame builders for tests: real-layout reader answers for the fictitious demo cards."""

from __future__ import annotations

from dataclasses import replace

from devices.idcard import sample_cards
from devices.idcard.frame import Command, pack_read_data, pack_request, pack_response
from devices.idcard.textblock import encode_text_block
from devices.idcard.types import IdCard


def read_answer(card: IdCard, fingerprint: bytes | None = None) -> bytes:
    photo = bytes(card.photo.data) if card.photo else bytes(1024)
    return pack_response(0x90, pack_read_data(encode_text_block(card), photo, fingerprint))


def full_exchange(card: IdCard) -> bytes:
    """find → found, select → ok, read → card: what a sniffer on the line would capture."""
    return b"".join([
        pack_request(Command.FIND_CARD), pack_response(0x9F, bytes(4)),
        pack_request(Command.SELECT_CARD), pack_response(0x90, bytes(8)),
        pack_request(Command.READ_BASE), read_answer(card)])


def with_bad_check_digit(card: IdCard) -> IdCard:
    last = card.id_number[-1]
    wrong = "0" if last != "0" else "1"
    return replace(card, id_number=card.id_number[:-1] + wrong)


CARDS = sample_cards.all_cards()
