"""一件事 in the session: the chosen sub-matters decide the materials and the form sections;
the application and the receipt say which sub-matters and which lead department. The matter
is the sandbox's seeded 新生儿出生“一件事” (contract data, no I/O)."""

from __future__ import annotations

import pytest

from kiosk.catalog import Catalog
from kiosk.sandbox.catalog import Catalog as SeededCatalog
from kiosk.session import (
    Action,
    CaptureDone,
    CardRead,
    NetworkResult,
    SessionMachine,
    State,
    Tap,
    Timeouts,
    bundle,
)
from kiosk.session import effects as fx
from kiosk.session.model import Page, SubmitOutcome
from tests.session.conftest import Clock
from tests.session.fixtures import TEST_CITIZEN

NEWBORN = "330106SBX0002"
CERT, HUKOU, MEDINS, CARD, VACCINE = ("330106SBX0201", "330106SBX0202", "330106SBX0006",
                                      "330106SBX0007", "330106SBX0205")


@pytest.fixture
def m(clock: Clock) -> SessionMachine:
    seeded = SeededCatalog().get(NEWBORN)
    assert seeded is not None
    return SessionMachine(Catalog([seeded]), Timeouts(settle_s=0, receipt_dwell_s=0),
                          clock=clock)


def to_form(m: SessionMachine, exempted: list[str] | None = None) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, NEWBORN))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.AGREE))
    m.handle(NetworkResult("prefill", True, {"fields": {}, "exemptedMaterialCodes": exempted
                                            if exempted is not None else
                                            ["M0002-01", "M0002-02", "M0002-03", "M0002-04",
                                             "M0002-05"]}))
    assert m.state is State.FORM


def tick(m: SessionMachine, *codes: str) -> None:
    for code in codes:
        m.handle(Tap(Action.TOGGLE_CHOICE, ("subMatters", code)))


def fill_common(m: SessionMachine) -> None:
    for key, value in (("guardianPhone", "13900000002"), ("newbornName", "张小测试"),
                       ("newbornGender", "FEMALE"), ("newbornBirthDate", "2026-10-01")):
        m.handle(Tap(Action.SET_FIELD, (key, value)))


def codes(m: SessionMachine) -> list[str]:
    return [s.code for s in m.materials()]


def test_materials_are_the_union_of_the_chosen_sub_matters_once_each(m: SessionMachine) -> None:
    to_form(m)
    assert codes(m) == []  # nothing chosen: no sub-matter, no material yet
    tick(m, MEDINS)
    assert codes(m) == ["M0002-04", "M0002-05"]
    tick(m, HUKOU)  # shares 出生医学证明 and 户口簿 with 医保: still one entry each
    assert codes(m) == ["M0002-01", "M0002-02", "M0002-03", "M0002-04", "M0002-05"]
    served = {s.code: [sub.code for sub in s.serves] for s in m.materials()}
    assert served["M0002-04"] == [HUKOU, MEDINS] and served["M0002-03"] == [HUKOU]
    tick(m, HUKOU)  # unticked: its own materials go
    assert codes(m) == ["M0002-04", "M0002-05"]


def test_a_sub_matter_brings_its_own_form_section_required_only_when_chosen(
        m: SessionMachine) -> None:
    to_form(m)
    fill_common(m)
    shown = set(m.form_schema()["properties"])
    assert "cardBank" not in shown and "vaccinationClinic" not in shown
    tick(m, CARD)
    assert "cardBank" in m.form_schema()["properties"]
    assert "cardBank" in m.form_schema()["required"]
    m.handle(Tap(Action.NEXT))
    assert m.state is State.FORM and m.data.form_errors == {"cardBank": "required"}
    m.handle(Tap(Action.SET_FIELD, ("cardBank", "BOC")))
    m.handle(Tap(Action.NEXT))
    assert m.state is not State.FORM


def test_an_answer_to_an_unticked_sub_matter_is_not_sent(m: SessionMachine) -> None:
    to_form(m)
    fill_common(m)
    tick(m, CARD, MEDINS)
    m.handle(Tap(Action.SET_FIELD, ("cardBank", "BOC")))
    tick(m, CARD)  # changed their mind
    m.handle(Tap(Action.NEXT))  # nothing to photograph: on to delivery
    assert m.state is State.DELIVERY
    m.handle(Tap(Action.SET_DELIVERY, "WINDOW"))
    m.handle(Tap(Action.NEXT))
    submit = next(e for e in m.handle(Tap(Action.CONFIRM)) if isinstance(e, fx.Submit))
    form = submit.application["form"]
    assert form["subMatters"] == [MEDINS] and "cardBank" not in form
    assert [x["materialCode"] for x in submit.application["materials"]] == [
        "M0002-04", "M0002-05"]


def test_a_material_only_one_sub_matter_needs_is_photographed_for_it_and_labelled(
        m: SessionMachine) -> None:
    to_form(m)
    fill_common(m)
    tick(m, CERT, HUKOU, VACCINE)  # three of five
    m.handle(Tap(Action.SET_FIELD, ("householdAddress", "测试省测试市测试路1号")))
    m.handle(Tap(Action.SET_FIELD, ("vaccinationClinic", "XH-CDC-1")))
    m.handle(Tap(Action.NEXT))
    assert m.state is State.MATERIALS and m.materials_to_capture() == ["M0002-07"]
    assert [s.code for s in m.materials() if s.code == "M0002-07"][0] == "M0002-07"
    vaccine = next(s for s in m.materials() if s.code == "M0002-07")
    assert [sub.name for sub in vaccine.serves] == ["预防接种证办理"]
    m.handle(CaptureDone("M0002-07", Page(b"\xff\xd8jpeg\xff\xd9", 10, 10)))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.SET_DELIVERY, "WINDOW"))
    m.handle(Tap(Action.NEXT))
    submit = next(e for e in m.handle(Tap(Action.CONFIRM)) if isinstance(e, fx.Submit))
    assert submit.files == {"M0002-07": [b"\xff\xd8jpeg\xff\xd9"]}
    effects = m.handle(NetworkResult("submit", True, SubmitOutcome("cid-1", True, "app_1", "1")))
    receipt = next(e for e in effects if isinstance(e, fx.PrintReceipt)).receipt
    assert receipt["subMatters"] == ["出生医学证明办理", "新生儿户口登记（出生登记）",
                                     "预防接种证办理"]
    assert receipt["leadDepartment"] == m.catalog.get(NEWBORN).department  # type: ignore[union-attr]
    assert receipt["leadDepartment"]


def test_a_plain_matter_keeps_its_materials_and_form() -> None:
    from tests.session.fixtures import catalog

    gjj = catalog().get("TEST-GJJ-001")
    assert gjj is not None
    assert [s.code for s in bundle.materials(gjj, {})] == [m.code for m in gjj.materials]
    assert bundle.form_schema(gjj, {}) is gjj.form_schema
    assert bundle.chosen(gjj, {}) == ()
