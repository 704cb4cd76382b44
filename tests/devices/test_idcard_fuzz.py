"""Property tests of the codec and the stream decoder: random bytes, truncations and bit
flips give typed errors (or the original card), never an exception. Bounded by count."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.idcard import codes
from devices.idcard.capture import decode_capture
from devices.idcard.frame import PREAMBLE, parse_frame, parse_read_data
from devices.idcard.stream import StreamDecoder, StreamError, decode_all
from devices.idcard.textblock import decode_text_block
from devices.status import Fault
from tests.devices.idcard_fixtures import CARDS, full_exchange, read_answer

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KNOWN_CODES = {v for k, v in vars(codes).items() if k.isupper() and isinstance(v, str)}

EXCHANGES = [full_exchange(c) for c in CARDS]
ANSWERS = [read_answer(c) for c in CARDS]

# bytes biased towards frame structure so the fuzzer reaches deep paths
framey = st.lists(st.one_of(st.binary(max_size=40), st.just(PREAMBLE),
                            st.sampled_from(ANSWERS).map(lambda a: a[: len(a) // 3])),
                  max_size=8).map(b"".join)


def _typed(fault: Fault | None) -> None:
    assert fault is None or fault.code in KNOWN_CODES


@FUZZ
@given(st.one_of(st.binary(max_size=3000), framey))
def test_random_bytes_only_ever_give_typed_results(data: bytes) -> None:
    _typed(parse_frame(data).fault)
    _typed(decode_capture(data).fault)
    _typed(parse_read_data(data).fault)
    if len(data) >= 256:
        _typed(decode_text_block(data[:256]).fault)
    for item in decode_all(data):
        if isinstance(item, StreamError):
            _typed(item.fault)


@FUZZ
@given(st.sampled_from(range(len(CARDS))), st.data())
def test_truncated_read_answer_is_truncated(i: int, data: st.DataObject) -> None:
    answer = ANSWERS[i]
    cut = data.draw(st.integers(min_value=1, max_value=len(answer) - 1))
    result = decode_capture(answer[:cut])
    assert not result.ok and result.fault.code == codes.TRUNCATED


@FUZZ
@given(st.sampled_from(range(len(CARDS))), st.data())
def test_bit_flip_never_yields_a_different_card(i: int, data: st.DataObject) -> None:
    frame = bytearray(EXCHANGES[i])
    pos = data.draw(st.integers(min_value=0, max_value=len(frame) - 1))
    frame[pos] ^= 1 << data.draw(st.integers(min_value=0, max_value=7))
    result = decode_capture(bytes(frame))
    _typed(result.fault)
    if result.ok:  # a flip in an earlier frame or in noise can leave the read answer intact
        assert result.unwrap() == CARDS[i]


@FUZZ
@given(st.sampled_from(range(len(CARDS))), st.lists(st.integers(1, 97), min_size=1, max_size=30),
       st.binary(max_size=30))
def test_stream_decoder_finds_the_same_frames_however_the_bytes_are_split(
        i: int, sizes: list[int], noise: bytes) -> None:
    noise = noise.replace(b"\xaa", b"\x00")  # noise that cannot start a preamble
    stream = noise + EXCHANGES[i] + noise
    dec = StreamDecoder()
    items: list[object] = []
    pos = 0
    while pos < len(stream):
        step = sizes[len(items) % len(sizes)]
        items += list(dec.feed(stream[pos:pos + step]))
        pos += step
    assert dec.finish() is None
    assert [type(x).__name__ for x in items] == ["Frame"] * 6


@FUZZ
@given(st.text(alphabet="0123456789abcdefABCDEFxX ,:;-\n\t", max_size=400))
def test_hex_looking_text_only_gives_typed_results(text: str) -> None:
    _typed(decode_capture(text.encode()).fault)
