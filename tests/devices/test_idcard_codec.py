"""GA 467 frames against the independent vectors in corpus/idcard/vectors.md, the text block
of every card kind, the GB 11643 check digit and the capture decoder."""

from __future__ import annotations

import pytest

from devices.idcard import checkdigit, codes, sample_cards
from devices.idcard.capture import bytes_from_capture, decode_capture
from devices.idcard.frame import (
    Command,
    format_sam_id,
    pack_read_data,
    pack_request,
    pack_response,
    parse_frame,
    parse_read_data,
)
from devices.idcard.stream import StreamDecoder, StreamError, decode_all
from devices.idcard.tables import NATIONS, gender_name, nation_name
from devices.idcard.textblock import decode_text_block, encode_text_block
from devices.idcard.types import CardType, IdCard
from tests.devices.idcard_fixtures import CARDS, full_exchange, read_answer, with_bad_check_digit

H = bytes.fromhex

# corpus/idcard/vectors.md, "Requests (host -> reader)"
REQUESTS = {
    Command.RESET: "AA AA AA 96 69 00 03 10 FF EC",
    Command.SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    Command.FIND_CARD: "AA AA AA 96 69 00 03 20 01 22",
    Command.SELECT_CARD: "AA AA AA 96 69 00 03 20 02 21",
    Command.READ_BASE: "AA AA AA 96 69 00 03 30 01 32",
    Command.READ_WITH_FINGERPRINT: "AA AA AA 96 69 00 03 30 10 23",
}
# "Responses (reader -> host)": frame, SW3, completion code of a non-success
RESPONSES = [
    ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97", 0x9F, ""),
    ("AA AA AA 96 69 00 04 00 00 80 84", 0x80, codes.NO_CARD),
    ("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C", 0x90, ""),
    ("AA AA AA 96 69 00 04 00 00 81 85", 0x81, codes.SELECT_FAILED),
    ("AA AA AA 96 69 00 04 00 00 41 45", 0x41, codes.READ_FAILED),
    ("AA AA AA 96 69 00 04 00 00 31 35", 0x31, codes.AUTH_FAILED),
]


@pytest.mark.parametrize("command,frame", REQUESTS.items(), ids=lambda x: getattr(x, "name", ""))
def test_request_frames_match_published_bytes(command: Command, frame: str) -> None:
    assert pack_request(command) == H(frame)
    parsed = parse_frame(H(frame)).unwrap()
    assert not parsed.is_response and parsed.command is command


def test_set_max_rf_bytes_frame_matches_research() -> None:
    assert pack_request(Command.SET_MAX_RF_BYTES, b"\x50") == H("AAAAAA96690004 61FF50CA")


@pytest.mark.parametrize("frame,sw3,code", RESPONSES)
def test_published_response_frames_parse_with_their_status(frame: str, sw3: int, code: str) -> None:
    parsed = parse_frame(H(frame)).unwrap()
    assert parsed.is_response and parsed.sw3 == sw3
    # a failure status is that failure; a success that carries no card is "no card answer"
    assert decode_capture(H(frame)).fault.code == (code or codes.NO_FRAME)


def test_read_answer_header_and_size_match_real_captures() -> None:
    frame = read_answer(sample_cards.resident())
    assert frame[:14] == H("AA AA AA 96 69 05 08 00 00 90 01 00 04 00")
    assert len(frame) == 1295
    assert frame[270:273] == b"WLf"  # photo block starts like every public capture


@pytest.mark.parametrize("fp_len,total,length", [(1024, 2321, "090A"), (512, 1809, "070A"),
                                                  (0, 1297, "050A")])
def test_fingerprint_read_answer_sizes(fp_len: int, total: int, length: str) -> None:
    frame = read_answer(sample_cards.resident(), bytes(fp_len))
    assert len(frame) == total and frame[5:7] == H(length)
    assert frame[10:16] == H("0100 0400") + fp_len.to_bytes(2, "big")
    record = parse_read_data(parse_frame(frame).unwrap().data).unwrap()
    assert len(record.text) == 256 and len(record.photo) == 1024
    assert len(record.fingerprint) == fp_len


def test_sam_id_is_rendered_like_vendor_tools() -> None:
    data = bytes([5, 0, 1, 0]) + (20101111).to_bytes(4, "little") + \
        (12345678).to_bytes(4, "little") + (1234567890).to_bytes(4, "little")
    assert format_sam_id(data) == "05.01-20101111-0012345678-1234567890"


# GB 11643-1999's own example, then fictitious numbers (region 99, born 1900-01-01) whose
# check digits were worked out by hand from the standard's weights.
@pytest.mark.parametrize("number,valid", [("11010519491231002X", True),
                                          ("990101190001010018", True),
                                          ("990102190001010022", True),
                                          ("99000019000101907X", True),
                                          ("99000019000101907x", True),
                                          ("990101190001010019", False),
                                          ("99010119000101001", False),
                                          ("9901011900010100１8", False)])
def test_gb11643_check_digit_vectors(number: str, valid: bool) -> None:
    assert checkdigit.is_valid(number) is valid


@pytest.mark.parametrize("card", CARDS, ids=lambda c: c.card_type.value + c.name)
def test_every_card_kind_round_trips_through_a_full_read_frame(card: IdCard) -> None:
    result = decode_capture(full_exchange(card))
    assert result.ok, result.fault
    assert result.unwrap() == card
    assert result.unwrap().photo is not None and len(result.unwrap().photo.data) == 1024


def test_all_four_card_kinds_are_covered() -> None:
    assert {c.card_type for c in CARDS} == set(CardType)


def test_type_flag_is_read_from_bytes_248_249() -> None:
    expected = {CardType.RESIDENT: b" \x00", CardType.HK_MO_TW_PERMIT: b"J\x00",
                CardType.FOREIGN_PERMANENT_2017: b"I\x00", CardType.FOREIGN_PERMANENT_2023: b"Y\x00"}
    for card in CARDS:
        assert encode_text_block(card)[248:250] == expected[card.card_type]


def test_resident_fields_are_at_the_published_offsets() -> None:
    card = sample_cards.resident()
    text = encode_text_block(card)
    assert text[0:8].decode("utf-16-le") == "张三测试"
    assert text[122:158].decode("utf-16-le") == card.id_number
    assert text[36:52].decode("utf-16-le") == card.birth_date.replace("-", "")
    assert text[32:36].decode("utf-16-le") == "01"


def test_long_term_validity_decodes_as_long_term() -> None:
    card = sample_cards.resident_long_term()
    text = encode_text_block(card)
    assert text[204:208].decode("utf-16-le") == "长期"
    assert decode_text_block(text).unwrap().valid_until == "long-term"


def test_foreign_english_name_keeps_inner_spaces_and_joins_2023_continuation() -> None:
    card = sample_cards.foreign_2023()
    assert len(card.english_name) > 35  # spans offsets 52 and 220
    decoded = decode_text_block(encode_text_block(card)).unwrap()
    assert decoded.english_name == "TESTER, MARY ELIZABETH ALEXANDRA SAMPLE"
    assert decode_text_block(encode_text_block(sample_cards.foreign_2017())).unwrap() \
        .english_name == "TEST, JOHN SAMPLE"


def test_nul_padding_is_stripped_like_spaces() -> None:
    text = bytearray(encode_text_block(sample_cards.resident()))
    text[8:30] = bytes(22)  # name padded with NULs instead of spaces
    assert decode_text_block(bytes(text)).unwrap().name == "张三测试"


@pytest.mark.parametrize("card", [c for c in CARDS if c.card_type is not CardType.FOREIGN_PERMANENT_2017],
                         ids=lambda c: c.card_type.value + c.name)
def test_wrong_check_digit_is_a_read_error(card: IdCard) -> None:
    result = decode_capture(full_exchange(with_bad_check_digit(card)))
    assert not result.ok and result.fault.code == codes.BAD_CHECK_DIGIT
    assert card.id_number not in result.fault.message


def test_impossible_birth_date_is_bad_field() -> None:
    text = bytearray(encode_text_block(sample_cards.resident()))
    text[36:52] = "19901332".encode("utf-16-le")
    assert decode_text_block(bytes(text)).fault.code == codes.BAD_FIELD


def test_unknown_type_flag_is_reported() -> None:
    text = bytearray(encode_text_block(sample_cards.resident()))
    text[248:250] = "Q".encode("utf-16-le")
    assert decode_text_block(bytes(text)).fault.code == codes.UNKNOWN_CARD_TYPE


def test_blank_text_block_is_not_a_card() -> None:
    assert not decode_text_block(" ".encode("utf-16-le") * 128).ok


def test_nation_and_gender_tables() -> None:
    assert len(NATIONS) == 58
    assert nation_name("01") == "汉" and nation_name("46") == "德昂" and nation_name("98")
    assert gender_name("1") == "男" and gender_name("2") == "女" and gender_name("9") == "未说明"
    assert nation_name("99") == ""


def test_card_repr_and_str_never_show_name_or_number() -> None:
    for card in CARDS:
        text = repr(card) + str(card) + f"{card}"
        assert card.id_number not in text
        assert (card.name or card.english_name) not in text


def test_masked_view_hides_name_number_address_birthday() -> None:
    m = sample_cards.resident().masked()
    assert m.name == "张***"
    assert m.id_number.startswith("3301") and m.id_number.count("*") == 10
    assert m.birth_date == "1985-**-**"
    assert "演示路" not in m.address


def test_wipe_zeroes_the_photo_bytes() -> None:
    card = decode_capture(full_exchange(sample_cards.resident())).unwrap()
    card.wipe()
    assert card.photo is not None and not any(card.photo.data)


def test_json_has_exactly_the_issue_keys() -> None:
    keys = {"card_type", "name", "english_name", "gender_code", "nation_code", "birth_date",
            "address", "id_number", "issuer", "valid_from", "valid_until", "pass_number",
            "issue_count", "nationality", "photo"}
    for card in CARDS:
        data = card.to_json()
        assert set(data) == keys
        assert data["photo"] == {"format": "wlt", "bytes": 1024}
    permit = sample_cards.hk_mo_tw_permit().to_json()
    assert permit["nation_code"] is None and permit["pass_number"] == "H99999999"
    assert permit["issue_count"] == 1


def test_stream_decoder_resynchronises_after_noise_and_split_reads() -> None:
    stream = b"\x00\xaa\x13noise\xaa\xaa" + full_exchange(sample_cards.hk_mo_tw_permit()) + b"\xff" * 7
    dec = StreamDecoder()
    items = []
    for i in range(0, len(stream), 3):
        items += list(dec.feed(stream[i:i + 3]))
    frames = [x for x in items if not isinstance(x, StreamError)]
    assert len(frames) == 6 and not any(isinstance(x, StreamError) for x in items)
    assert dec.finish() is None


def test_stream_decoder_reports_bad_checksum_then_continues() -> None:
    good = pack_response(0x80)
    bad = bytearray(pack_response(0x9F, bytes(4)))
    bad[-1] ^= 0x01
    items = decode_all(bytes(bad) + good)
    assert isinstance(items[0], StreamError) and items[0].fault.code == codes.CHECKSUM
    assert not isinstance(items[1], StreamError) and items[1].sw3 == 0x80


def test_absurd_length_is_reported_and_skipped() -> None:
    items = decode_all(H("AAAAAA9669FFFF0000") + pack_response(0x80))
    assert isinstance(items[0], StreamError) and items[0].fault.code == codes.BAD_LENGTH
    assert decode_capture(H("AAAAAA9669FFFF0000")).fault.code == codes.BAD_LENGTH


@pytest.mark.parametrize("text", ["AA AA AA 96 69 00 04 00 00 80 84",
                                  "aaaaaa9669000400008084\n",
                                  "0xAA,0xAA,0xAA,0x96,0x69,0x00,0x04,0x00,0x00,0x80,0x84",
                                  "AA:AA:AA:96:69:00:04:00:00:80:84"])
def test_hex_captures_in_common_spellings(text: str) -> None:
    assert bytes_from_capture(text.encode()) == H("AAAAAA96690004 00008084")


def test_empty_and_garbage_captures_are_typed_errors() -> None:
    assert decode_capture(b"").fault.code == codes.NO_FRAME
    assert decode_capture(b"hello world").fault.code == codes.NO_FRAME
    assert decode_capture(read_answer(sample_cards.resident())[:700]).fault.code == codes.TRUNCATED


def test_read_answer_with_wrong_length_fields_is_bad_frame() -> None:
    data = pack_read_data(bytes(200), bytes(1024))
    assert decode_capture(pack_response(0x90, bytes(60) + data)).fault.code == codes.BAD_FRAME


@pytest.mark.timeout(30)
def test_long_almost_hex_input_is_handled_in_linear_time() -> None:
    # once a nested-repetition regex: 25 spaces took seconds, 40 would take hours
    data = b"AA" + b" " * 200_000 + b"Z"
    assert decode_capture(data).fault.code == codes.NO_FRAME
    assert decode_capture(b"AA " * 300_000).fault.code == codes.TRUNCATED
