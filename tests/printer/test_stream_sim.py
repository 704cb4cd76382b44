"""The tokenizer and the simulator engine: real-time commands are recognised only at command
boundaries, in any chunking; arbitrary bytes never crash the renderer (bounded fuzzing)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from devices.printer.builder import ReceiptBuilder
from devices.printer.render import render
from devices.printer.simulator import PrinterEngine, SimState
from devices.printer.stream import next_token, tokenize
from kiosk.receipts import intake_receipt, samples

RECEIPT = intake_receipt(samples.sample_receipt(), 80)


def test_status_bytes_inside_raster_data_are_not_answered() -> None:
    img = Image.new("1", (24, 3), 1)
    b = ReceiptBuilder().image(img)
    data = bytearray(b.bytes())
    header = data.index(b"\x1dv0") + 8
    data[header:header + 3] = b"\x10\x04\x01"  # raster bits that look like DLE EOT 1
    engine = PrinterEngine()
    reply, _ = engine.feed(bytes(data))
    assert reply == b"" and engine.status_queries == 0


def test_engine_gives_the_same_result_for_any_chunking() -> None:
    stream = RECEIPT + b"\x10\x04\x01\x10\x04\x04\x1dIC"
    whole = PrinterEngine()
    reply_whole, _ = whole.feed(stream)
    split = PrinterEngine()
    reply_split = b"".join(split.feed(stream[i:i + 1])[0] for i in range(len(stream)))
    assert reply_whole == reply_split == b"\x12\x12_KIOSK-SIM80\x00"
    assert whole.jobs == split.jobs == [RECEIPT]


def test_one_shot_failure_then_recovery() -> None:
    engine = PrinterEngine(SimState(fail_after=100))
    engine.feed(RECEIPT)
    assert engine.jobs == [] and engine.state.paper == "out" and engine.lost > 0
    engine.state.paper = "ok"
    engine.feed(RECEIPT)
    assert engine.jobs == [RECEIPT] and len(engine.partial) == 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_tokenizer_always_makes_progress(data: bytes) -> None:
    tokens, used = tokenize(data)
    assert 0 <= used <= len(data)
    assert b"".join(t.raw for t in tokens) == data[:used]
    assert next_token(data, used) is None


_commands = st.sampled_from([b"\x1b@", b"\x1c&", b"\x1c.", b"\x1d!\x11", b"\x1ba\x01",
                             b"\x1d(k", b"\x1d(L", b"\x1dv0\x00", b"\x1b*\x21", b"\x1dk",
                             b"\x1dV", b"\x10\x04", b"\n", "中文".encode("gb18030"), b"\xff"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_commands, st.binary(max_size=12)), max_size=30))
def test_renderer_survives_arbitrary_streams(parts: list[bytes]) -> None:
    r = render(b"".join(parts))
    assert r.image.width > 0 and r.image.height > 0


def test_renderer_reports_inconsistent_commands_instead_of_failing() -> None:
    short_graphics = b"\x1d(L\x0c\x000p0\x01\x011d\x00d\x00\xff\xff"
    long_qr = b"\x1d(k\x8b\x131P0" + b"x" * 5000 + b"\x1d(k\x03\x001Q0"
    empty_raster = b"\x1dv0\x00\x00\x00\x05\x00"
    for data in (short_graphics, long_qr, empty_raster, b"\x1b*\x00\x00\x00"):
        r = render(data)
        assert r.image.height > 0
    assert render(short_graphics).warnings and render(long_qr).warnings
