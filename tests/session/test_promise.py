"""告知承诺 in the session: a promisable material may be replaced by the applicant's signed
promise; the 承诺书 is signed on the screen (empty or near-empty refused, clear and redo); the
submission carries it as EXEMPT_PROMISE; the strokes are gone with the session. The 承诺书 PDF
itself (kiosk.promise) is made without Qt."""

from __future__ import annotations

import copy
import io

import pytest

from kiosk.catalog import Catalog
from kiosk.promise import payload_digest, promise_pdf, signature_png, signature_problem
from kiosk.session import Action, CardRead, NetworkResult, SessionMachine, State, Tap, Timeouts
from kiosk.session import effects as fx
from kiosk.session.model import SubmitOutcome
from tests.session.conftest import Clock
from tests.session.fixtures import GJJ, TEST_CITIZEN

ZIGZAG = tuple((0.1 + i * 0.04, 0.3 if i % 2 else 0.7) for i in range(20))


def promisable() -> dict[str, object]:
    m = copy.deepcopy(GJJ)
    contract = m["materials"][1]  # type: ignore[index]
    contract["promisable"] = True
    contract["promiseText"] = "本人承诺所述情况真实（测试）。"
    return m


@pytest.fixture
def m(clock: Clock) -> SessionMachine:
    return SessionMachine(Catalog([promisable()]), Timeouts(settle_s=0, receipt_dwell_s=0),
                          clock=clock)


def to_materials(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, "TEST-GJJ-001"))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.AGREE))
    m.handle(NetworkResult("prefill", True, {"fields": {}, "exemptedMaterialCodes": ["M-ID"]}))
    for key, value in (("name", "测试张三"), ("phone", "13800000000"), ("amount", "5000")):
        m.handle(Tap(Action.SET_FIELD, (key, value)))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.MATERIALS


def test_a_promise_replaces_the_material_and_is_signed_before_delivery(m: SessionMachine) -> None:
    to_materials(m)
    m.handle(Tap(Action.PROMISE, "M-EXTRA"))  # not promisable: nothing happens
    assert not m.data.promised
    m.handle(Tap(Action.PROMISE, "M-CONTRACT"))
    m.handle(Tap(Action.NEXT))  # nothing left to photograph: on to the 承诺书
    assert m.state is State.PROMISE
    m.handle(Tap(Action.NEXT))
    assert m.state is State.PROMISE and m.data.signature_problem == "signature_empty"
    m.handle(Tap(Action.ADD_STROKE, ((0.5, 0.5), (0.51, 0.5))))  # a dot is no signature
    m.handle(Tap(Action.NEXT))
    assert m.data.signature_problem == "signature_too_small"
    m.handle(Tap(Action.CLEAR_SIGNATURE))
    assert m.data.signature == []
    m.handle(Tap(Action.ADD_STROKE, ZIGZAG))
    effects = m.handle(Tap(Action.NEXT))
    assert m.state is State.DELIVERY
    assert any(isinstance(e, fx.Audit) and e.event == "citizen.promise_signed" for e in effects)
    m.handle(Tap(Action.SET_DELIVERY, "WINDOW_PICKUP"))
    m.handle(Tap(Action.NEXT))
    submit = next(e for e in m.handle(Tap(Action.CONFIRM)) if isinstance(e, fx.Submit))
    assert ("M-CONTRACT", "EXEMPT_PROMISE") in [
        (x["materialCode"], x["submission"]) for x in submit.application["materials"]]
    assert "M-CONTRACT" not in submit.files
    [promise] = submit.promises
    assert promise.material_code == "M-CONTRACT" and promise.strokes == (ZIGZAG,)
    assert "signature" in repr(promise) and "0.1" not in repr(submit)
    done = m.handle(NetworkResult("submit", True, SubmitOutcome("cid", True, "app_1", "1")))
    receipt = next(e for e in done if isinstance(e, fx.PrintReceipt)).receipt
    assert receipt["materialsPromised"] == ["购房合同"]
    m.handle(Tap(Action.FINISH))
    assert m.state is State.ATTRACT and m.data.signature == [] and not m.data.promised


def test_back_from_the_promise_drops_the_signature(m: SessionMachine) -> None:
    to_materials(m)
    m.handle(Tap(Action.PROMISE, "M-CONTRACT"))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.ADD_STROKE, ZIGZAG))
    m.handle(Tap(Action.BACK))
    assert m.state is State.MATERIALS and m.data.signature == []
    m.handle(Tap(Action.PROMISE, "M-CONTRACT"))  # photographing after all
    m.handle(Tap(Action.NEXT))
    assert m.state is State.MATERIALS and m.data.message == "materials_missing"


def test_the_signed_promise_is_a_pdf_with_the_signature_and_the_payload_digest() -> None:
    assert signature_problem([]) == "signature_empty"
    assert signature_problem([ZIGZAG]) == ""
    png = signature_png([ZIGZAG])
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("L")
    assert img.getextrema()[0] == 0  # ink
    digest = payload_digest({"implCode": "X", "form": {"a": 1}})
    assert digest == payload_digest({"form": {"a": 1}, "implCode": "X"})  # key order aside
    pdf = promise_pdf(matter_name="提取住房公积金", material_name="购房合同", text="本人承诺……",
                      applicant_name="测试张三", cert_no=TEST_CITIZEN.cert_no,
                      signed_at="2026-12-07T10:00:00+08:00", device_id="DEMO-KIOSK-0001",
                      payload_sha256=digest, strokes=[ZIGZAG])
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def _image(draw: str, mode: str = "RGBA", fmt: str = "PNG") -> bytes:
    from PIL import Image, ImageDraw

    if draw == "pad":  # what the screen's pad draws, as a citizen's own scan would show it
        img = Image.open(io.BytesIO(signature_png([ZIGZAG]))).convert(mode)
    else:
        img = Image.new(mode, (900, 300), (0, 0, 0, 0) if mode == "RGBA" else 255)
        pen = ImageDraw.Draw(img)
        ink = (0, 0, 0, 255) if mode == "RGBA" else 0
        if draw == "dot":
            pen.ellipse((440, 140, 452, 152), fill=ink)
        elif draw == "dash":
            pen.line((400, 150, 470, 150), fill=ink, width=8)
        elif draw == "dark":
            pen.rectangle((0, 0, 899, 299), fill=ink)
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


@pytest.mark.parametrize("draw, mode, fmt, problem", [
    ("pad", "L", "PNG", ""), ("pad", "L", "JPEG", ""), ("pad", "RGBA", "PNG", ""),
    ("blank", "RGBA", "PNG", "signature_empty"), ("blank", "L", "JPEG", "signature_empty"),
    ("dot", "RGBA", "PNG", "signature_too_small"), ("dash", "L", "PNG", "signature_too_small"),
    ("dark", "L", "PNG", "signature_too_dark"),
])
def test_a_signature_image_is_held_to_the_pads_rule(draw: str, mode: str, fmt: str,
                                                    problem: str) -> None:
    from kiosk.promise import signature_image_problem

    assert signature_image_problem(_image(draw, mode, fmt)) == problem


def test_a_file_that_is_not_an_image_is_an_unreadable_signature() -> None:
    from kiosk.promise import signature_image_problem

    assert signature_image_problem(b"\x89PNG\r\n\x1a\n" + b"\0" * 50) == "signature_unreadable"
    assert signature_image_problem(b"") == "signature_unreadable"


def test_the_promise_pdf_carries_a_signature_given_as_an_image() -> None:
    pdf = promise_pdf(matter_name="提取住房公积金", material_name="购房合同", text="本人承诺……",
                      applicant_name="测试张三", cert_no=TEST_CITIZEN.cert_no,
                      signed_at="2026-12-07T10:00:00+08:00", device_id="DEMO-KIOSK-0001",
                      payload_sha256="0" * 64, signature_image=_image("pad", "RGBA"))
    blank = promise_pdf(matter_name="提取住房公积金", material_name="购房合同", text="本人承诺……",
                        applicant_name="测试张三", cert_no=TEST_CITIZEN.cert_no,
                        signed_at="2026-12-07T10:00:00+08:00", device_id="DEMO-KIOSK-0001",
                        payload_sha256="0" * 64, signature_image=_image("blank", "RGBA"))
    assert pdf.startswith(b"%PDF") and pdf != blank
