"""人证比对 and e-ID login through the real window on real parts: the simulated face camera (a
second camera role), the face-check loop off the GUI thread, the embedded sandbox platform
over loopback for the comparison and the e-ID check, the Driver tapping like a person."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.device_roles import FACE_CAMERA
from kiosk.session import State
from ui.inspect import widget_texts
from ui.journey import Driver
from ui.selftest import demo_card_for


def _kiosk(tmp_path: Path, qapp: Any, subject: str | None,
           policy: str = "required") -> Iterator[Driver]:
    from kiosk.config import load_settings
    from ui.selftest import real_kiosk, selftest_settings, with_face_camera

    settings = with_face_camera(selftest_settings(load_settings(), tmp_path), subject, policy,
                                face_attempts=3)
    with real_kiosk(settings) as driver:
        yield driver


@pytest.fixture
def card_owner(tmp_path: Path, qapp: Any) -> Iterator[Driver]:
    yield from _kiosk(tmp_path, qapp, "match")


@pytest.fixture
def impostor(tmp_path: Path, qapp: Any) -> Iterator[Driver]:
    yield from _kiosk(tmp_path, qapp, "stranger")


@pytest.fixture
def no_face_camera(tmp_path: Path, qapp: Any) -> Iterator[Driver]:
    yield from _kiosk(tmp_path, qapp, None, policy="optional")


def _to_face(d: Driver) -> None:
    services = d.kiosk.services
    matter = d.kiosk.machine.catalog.search("gjj")[0]
    d.start_apply()
    demo_card_for(services).present()
    d.wait_state(State.CHOOSE_MATTER)
    d.search("gjj")
    d.tap(f"action:select_matter:{matter.code}")
    d.wait_state(State.GUIDE)
    d.tap("action:next")
    d.wait_state(State.FACE_CHECK)


def test_the_card_owner_passes_the_face_check_and_applies_as_idcard_face(
        card_owner: Driver) -> None:
    d = card_owner
    said: list[str] = []
    d.kiosk.controller.speak.connect(said.append)
    _to_face(d)
    screen = d.window.stack.currentWidget()
    d.wait_for("live preview", lambda: screen.preview.frames > 3)
    d.face_check()
    assert d.state is State.CONSENT
    assert "face_check" in said  # the step, then the challenge, are said aloud
    assert [k for k in said if k in ("face_BLINK", "face_TURN_LEFT", "face_TURN_RIGHT")]
    citizen = d.kiosk.machine.data.citizen
    assert citizen is not None and citizen.method == "IDCARD_FACE"
    d.tap("action:agree")
    d.wait_state(State.FORM)
    d.wait_for("prefill", lambda: not d.kiosk.machine.data.prefill_loading)
    d.fill_form()
    d.capture_materials()
    d.deliver()
    d.confirm()
    outcome = d.kiosk.machine.data.outcome
    assert outcome is not None and outcome.delivered
    d.take_receipt()
    d.rate()
    dump = d.kiosk.services.parts.sandbox.storage.dump()
    assert dump[-1]["applicantCertNo"] == citizen.cert_no
    assert dump[-1]["identificationMethod"] == "IDCARD_FACE"  # how they were identified
    assert screen.preview.image is None  # the last live picture went with the session


def test_three_failed_face_checks_send_the_citizen_to_staff(impostor: Driver) -> None:
    d = impostor
    _to_face(d)
    m = d.kiosk.machine
    for attempt in (1, 2):
        d.wait_for(f"attempt {attempt}", lambda a=attempt: m.data.face_attempts == a, 30)
        assert m.data.face_status == "failed" and m.data.face_reason == "NO_MATCH"
        assert any("还可以再试" in t for t in widget_texts(d.window))
        d.tap("action:retry")
    d.wait_for("third attempt", lambda: m.data.face_status == "to_staff", 30)
    texts = widget_texts(d.window)
    assert any("由工作人员帮您办理" in t for t in texts)
    assert d._visible("action:retry") is None and d._visible("action:skip") is None
    assert d._visible("action:next") is None  # no way forward but to staff
    d.tap("action:finish")
    d.tap("action:finish_confirm")
    d.wait_state(State.ATTRACT)
    assert m.data.citizen is None and m.data.face_attempts == 0


def test_an_e_id_code_shown_on_the_scanner_logs_the_citizen_in(card_owner: Driver) -> None:
    from kiosk.sandbox.demo_identities import ZHANG_SAN
    from kiosk.sandbox.routes_identity import eid_code

    d = card_owner
    d.start_apply()
    scanner = d.kiosk.services.device("code_scanner").simulator
    scanner.scan(eid_code(ZHANG_SAN.cert_no, ttl_s=-5))  # an old screenshot of the code
    d.wait_for("expired said", lambda: d.kiosk.machine.data.message == "eid_expired")
    assert d.state is State.IDENTIFY and any("已过期" in t for t in widget_texts(d.window))
    scanner.scan(eid_code(ZHANG_SAN.cert_no))
    d.wait_state(State.CHOOSE_MATTER)
    citizen = d.kiosk.machine.data.citizen
    assert citizen is not None and citizen.method == "EID_QR"
    assert citizen.cert_no == ZHANG_SAN.cert_no


def test_without_a_face_camera_the_matter_that_requires_the_face_is_greyed_with_the_reason(
        no_face_camera: Driver) -> None:
    d = no_face_camera
    m = d.kiosk.machine
    gjj = next(x for x in m.catalog.all() if x.face_check == "required")
    d.wait_for("the face camera's absence is known",
               lambda: m.device_problems.get(FACE_CAMERA) == "NOT_CONFIGURED")
    d.start_apply()
    demo_card_for(d.kiosk.services).present()
    d.wait_state(State.CHOOSE_MATTER)
    d.search("gjj")
    d.wait_for("tile", lambda: d._visible(f"action:select_matter:{gjj.code}") is not None)
    tile = d._visible(f"action:select_matter:{gjj.code}")
    assert tile is not None and not tile.isEnabled()
    assert "人脸摄像头" in tile.text() and "暂不能办理" in tile.text()
    others = [x for x in m.catalog.all() if x.face_check != "required"]
    assert others and all(m.matter_problem(x) == "" for x in others[:3])
