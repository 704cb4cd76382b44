"""Each matter needs the devices its catalog entry names (``kioskDevices``): with the document
camera out, 提取住房公积金 (card reader and printer only) stays available, matters that need the
camera are greyed with the reason, and 办理业务 greys only when no matter can be done. The
rule is one module's (kiosk.availability); the seeded catalog is the sandbox's (no I/O)."""

from __future__ import annotations

import pytest

from kiosk.availability import matter_problem, service_problems
from kiosk.catalog import Catalog
from kiosk.device_roles import DOCUMENT_CAMERA, FACE_CAMERA, ID_READER, RECEIPT_PRINTER
from kiosk.sandbox.catalog import Catalog as SeededCatalog
from kiosk.session import (
    Action,
    CardRead,
    DeviceChanged,
    NetworkResult,
    SessionMachine,
    State,
    Tap,
    Timeouts,
)
from tests.session.conftest import Clock
from tests.session.fixtures import TEST_CITIZEN

GJJ, HOUSE = "330106SBX0003", "330106SBX0001"


@pytest.fixture
def m(clock: Clock) -> SessionMachine:
    return SessionMachine(Catalog(SeededCatalog().all()), Timeouts(settle_s=0), clock=clock)


def test_with_the_camera_out_the_fund_withdrawal_stays_and_camera_matters_are_greyed(
        m: SessionMachine) -> None:
    m.handle(DeviceChanged({DOCUMENT_CAMERA: "DISCONNECTED"}))
    assert m.services()["apply"] == ""  # some matter can still be done
    gjj, house = m.catalog.get(GJJ), m.catalog.get(HOUSE)
    assert gjj is not None and house is not None
    assert m.matter_problem(gjj) == ""
    assert m.matter_problem(house) == f"{DOCUMENT_CAMERA}:DISCONNECTED"
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    assert m.state is State.CHOOSE_MATTER
    assert m.handle(Tap(Action.SELECT_MATTER, HOUSE)) == []  # a greyed tile does nothing
    assert m.state is State.CHOOSE_MATTER and not m.data.matter_code
    m.handle(Tap(Action.SELECT_MATTER, GJJ))
    assert m.state is State.GUIDE and m.data.matter_code == GJJ


def test_apply_greys_only_when_no_matter_can_be_done(m: SessionMachine) -> None:
    m.handle(DeviceChanged({RECEIPT_PRINTER: "PAPER_OUT"}))  # every matter prints a receipt
    assert m.services()["apply"] == f"{RECEIPT_PRINTER}:PAPER_OUT"
    assert m.handle(Tap(Action.START_APPLY)) == [] and m.state is State.ATTRACT


def test_the_rule_without_a_catalog_is_the_default_matter_needs() -> None:
    camera_out = {DOCUMENT_CAMERA: "DISCONNECTED"}
    assert service_problems(camera_out)["apply"] == f"{DOCUMENT_CAMERA}:DISCONNECTED"
    assert matter_problem(["IDCARD_READER", "PRINTER"], camera_out) == ""
    assert matter_problem([], camera_out) == f"{DOCUMENT_CAMERA}:DISCONNECTED"  # no list
    assert matter_problem(["IDCARD_READER"], {ID_READER: "HARDWARE_ERROR"}) == \
        f"{ID_READER}:HARDWARE_ERROR"
    assert matter_problem(["IDCARD_READER"], {}, out_of_service=True) == "kiosk:OUT_OF_SERVICE"


def test_a_camera_out_during_a_fund_withdrawal_changes_nothing(m: SessionMachine) -> None:
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    m.handle(Tap(Action.SELECT_MATTER, GJJ))
    m.handle(Tap(Action.NEXT))
    m.handle(Tap(Action.AGREE))
    m.handle(NetworkResult("prefill", True, {"fields": {}, "exemptedMaterialCodes": []}))
    m.handle(DeviceChanged({DOCUMENT_CAMERA: "DISCONNECTED"}))
    assert m.state is State.FORM and m.services()["apply"] == ""


def _face_kiosk(clock: Clock, policy: str) -> SessionMachine:
    return SessionMachine(Catalog(SeededCatalog().all()), Timeouts(settle_s=0),
                          face_policy=policy, clock=clock)


def test_without_a_face_camera_the_matter_that_requires_the_face_is_greyed_and_others_stay(
        clock: Clock) -> None:
    m = _face_kiosk(clock, "optional")
    gjj, house = m.catalog.get(GJJ), m.catalog.get(HOUSE)
    assert gjj is not None and house is not None and gjj.face_check == "required"
    assert m.matter_problem(gjj) == ""  # the face camera works
    m.handle(DeviceChanged({FACE_CAMERA: "DISCONNECTED"}))
    assert m.matter_problem(gjj) == f"{FACE_CAMERA}:DISCONNECTED"
    assert m.matter_problem(house) == ""  # optional here: it goes on without the face
    assert m.services()["apply"] == ""
    m.handle(Tap(Action.START_APPLY))
    m.handle(CardRead(TEST_CITIZEN))
    assert m.handle(Tap(Action.SELECT_MATTER, GJJ)) == []  # greyed: no dead end at the camera
    assert m.state is State.CHOOSE_MATTER and not m.data.matter_code
    m.handle(DeviceChanged({}))  # the camera is back
    m.handle(Tap(Action.SELECT_MATTER, GJJ))
    assert m.state is State.GUIDE


def test_a_kiosk_that_requires_the_face_greys_every_matter_without_its_camera(
        clock: Clock) -> None:
    m = _face_kiosk(clock, "required")
    m.handle(DeviceChanged({FACE_CAMERA: "NOT_CONFIGURED"}))
    assert {m.matter_problem(x) for x in m.catalog.all()} == {f"{FACE_CAMERA}:NOT_CONFIGURED"}
    # no matter can be done, so 办理业务 is greyed with the reason (no dead end behind it)
    assert m.services()["apply"] == f"{FACE_CAMERA}:NOT_CONFIGURED"
    assert m.handle(Tap(Action.START_APPLY)) == [] and m.state is State.ATTRACT
    m.handle(DeviceChanged({}))
    assert m.services()["apply"] == ""


def test_a_kiosk_without_face_check_is_not_held_back_by_a_missing_face_camera(
        clock: Clock) -> None:
    m = _face_kiosk(clock, "off")  # the contract: no face check at all here, no face step
    m.handle(DeviceChanged({FACE_CAMERA: "NOT_CONFIGURED"}))
    assert all(m.matter_problem(x) == "" for x in m.catalog.all())


def test_the_rule_names_the_face_camera_only_where_the_face_is_required() -> None:
    out = {FACE_CAMERA: "DISCONNECTED"}
    assert matter_problem(["IDCARD_READER"], out) == ""
    assert matter_problem(["IDCARD_READER"], out, face_required=True) == \
        f"{FACE_CAMERA}:DISCONNECTED"
    both = {**out, ID_READER: "DISCONNECTED"}  # the card reader is named first
    assert matter_problem(["IDCARD_READER"], both, face_required=True) == \
        f"{ID_READER}:DISCONNECTED"
