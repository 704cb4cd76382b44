"""PNG of every screen, in Chinese, English and the elderly mode, taken from the real window on
the real parts (simulated devices, embedded sandbox), for docs/screenshots and test artefacts.

    python -m ui.screenshots --out docs/screenshots
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.device_roles import RECEIPT_PRINTER
from kiosk.session import State

VARIANTS = ("zh", "en", "elderly")
SCREENS = ("attract", "identify", "choose_matter", "guide", "face_check", "consent", "form", "form_errors",
           "materials", "delivery", "review", "payment", "submitting", "receipt", "rating", "idle_warning",
           "status_query", "status_result", "attract_paper_out")
# Staff and technician screens: in Chinese and English (大字版 is a citizen's mode).
STAFF_SCREENS = ("login_qr", "login", "staff_menu", "agent", "identify_staff", "manual_id", "staff_queue",
                 "staff_reprint", "tech_menu", "attract_out_of_service")


@contextmanager
def screenshot_kiosk(data_dir: Path) -> Iterator[object]:
    """The walk's kiosk asks for the face (optional) on a simulated face camera that films
    somebody other than the card's owner: the face-check screen is seen with its longest
    text (the failed comparison, 再试一次 and 跳过)."""
    from kiosk.config import load_settings
    from ui.selftest import real_kiosk, selftest_settings, with_face_camera

    settings = with_face_camera(selftest_settings(load_settings(), data_dir), "stranger")
    with real_kiosk(settings) as driver:
        yield driver


def capture(driver: object, out: Path, variant: str,
            visit: Callable[[str], None] | None = None) -> list[Path]:
    """Walks one journey (and a status query) and saves each screen as ``<variant>-<n>.png``;
    with ``visit``, calls it on each screen (by name) instead (the fit test measures there)."""
    from ui.journey import Driver
    from ui.selftest import demo_card_for

    d = driver if isinstance(driver, Driver) else None
    assert d is not None
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    m = d.kiosk.machine
    sim = demo_card_for(d.kiosk.services)

    def shot(name: str) -> None:
        d.pump(30)
        if visit is not None:
            visit(name)
            return
        path = out / f"{variant}-{name}.png"
        d.kiosk.window.grab().save(str(path))
        saved.append(path)

    def set_look() -> None:
        d.wait_for("services", lambda: not m.services()["apply"] and len(m.catalog) > 0)
        if variant == "en":
            d.tap("action:set_language:en")
        if variant == "elderly":
            d.tap("action:toggle_elderly")

    set_look()
    shot("attract")
    d.tap("action:start_apply")
    d.wait_state(State.IDENTIFY)
    shot("identify")
    sim.present(sim.cards[0])
    d.wait_state(State.CHOOSE_MATTER)
    shot("choose_matter")
    matter = m.catalog.search("esf")[0]  # 存量房（二手房）买卖转移登记, by pinyin initials
    d.search("esf")
    d.tap(f"action:select_matter:{matter.code}")
    d.wait_state(State.GUIDE)
    shot("guide")
    d.tap("action:next")
    d.wait_for("past the guide", lambda: m.state in (State.CONSENT, State.FACE_CHECK))
    if m.state is State.FACE_CHECK:  # a kiosk with 人证比对 (screenshot_kiosk)
        d.wait_for("a face-check result", lambda: m.data.face_status in ("failed", "unavailable"),
                   timeout_s=30)
        shot("face_check")
        d.tap("action:skip")
    d.wait_state(State.CONSENT)
    shot("consent")
    d.tap("action:agree")
    d.wait_state(State.FORM)
    d.wait_for("prefill", lambda: not m.data.prefill_loading)
    shot("form")
    d.tap("action:next")
    if m.state is State.FORM:
        shot("form_errors")
        d.fill_form()
    if m.state is State.MATERIALS:
        d.wait_for("live picture", lambda: d.kiosk.window.screens[State.MATERIALS]
                   .preview.frames > 3)  # type: ignore[attr-defined]
        first = m.materials_to_capture()[0]
        d.tap("action:capture")
        d.wait_for("a page", lambda: bool(m.data.pages.get(first)))
        shot("materials")
        d.capture_materials()
    modes = matter.delivery_modes
    d.tap("action:set_delivery:" + ("EXPRESS" if "EXPRESS" in modes else modes[0]))
    if "EXPRESS" in modes:
        d.type_into("field:addressDetail", "演示路1号测试小区1幢101室")
    shot("delivery")
    d.tap("action:next")
    d.wait_state(State.REVIEW)
    shot("review")
    # 统一公共支付: the walk's matter takes a fee; the sandbox's simulated citizen pays it.
    sandbox = getattr(d.kiosk.services, "parts", None)
    sandbox = getattr(sandbox, "sandbox", None)
    if sandbox is not None:
        sandbox.state.payment_paid_after_s = None  # paid below, once the screen is measured
    d.tap("action:confirm")
    if m.state is State.PAYMENT:
        d.wait_for("pay QR", lambda: m.payment_pending(), timeout_s=30)
        shot("payment")
        if sandbox is not None:
            sandbox.state.payment_paid_after_s = 0.0
    if m.state is State.SUBMITTING and visit is None:  # too short-lived to measure
        d.kiosk.window.grab().save(str(out / f"{variant}-submitting.png"))
        saved.append(out / f"{variant}-submitting.png")
    d.wait_state(State.RECEIPT, timeout_s=60)
    d.take_receipt()
    shot("receipt")
    d.tap("action:next")
    d.wait_state(State.RATING)
    d.tap("action:rate:DISSATISFIED")
    d.tap("action:toggle_reason:LONG_WAIT")
    shot("rating")
    d.tap("action:confirm")
    d.wait_state(State.ATTRACT)
    shot("thanks")
    sim.lift()
    # The next citizen walks away after laying the card: the idle warning, then the wipe.
    d.tap("action:start_apply")
    d.wait_state(State.IDENTIFY)
    sim.present()
    d.wait_state(State.CHOOSE_MATTER)
    from kiosk.session.machine import Timeouts

    saved_timeouts = m.timeouts
    m.timeouts = Timeouts(idle_s=3.0, warning_s=2.5, elderly_factor=1.0)
    d.wait_for("idle warning", lambda: d.kiosk.window.idle.isVisible(), timeout_s=5)
    shot("idle_warning")
    d.wait_state(State.ATTRACT, timeout_s=10)
    m.timeouts = saved_timeouts
    sim.lift()
    # Status query by ID card.
    set_look()
    d.tap("action:start_query")
    d.wait_state(State.STATUS_QUERY)
    shot("status_query")
    sim.present(sim.cards[0])
    d.wait_state(State.STATUS_RESULT)
    d.wait_for("status", lambda: m.data.status_result is not None or bool(m.data.status_error))
    shot("status_result")
    d.tap("action:back")
    d.wait_state(State.ATTRACT)
    sim.lift()
    # Paper out: the service is greyed with a plain reason.
    from kiosk.app_services import AppServices

    services = d.kiosk.services
    assert isinstance(services, AppServices)  # the walk runs on the real services
    printer: Any = services.device(RECEIPT_PRINTER)  # the simulated printer
    printer.engine.state.paper = "out"
    d.wait_for("apply greyed", lambda: m.services()["apply"] == f"{RECEIPT_PRINTER}:PAPER_OUT")
    if variant == "en":
        d.tap("action:set_language:en")
    if variant == "elderly":
        d.tap("action:toggle_elderly")
    shot("attract_paper_out")
    printer.engine.state.paper = "ok"
    d.wait_for("apply back", lambda: not m.services()["apply"])
    if variant == "elderly":
        d.tap("action:toggle_elderly")  # back to the default for the next variant
    else:
        capture_staff(d, shot, variant)
    if variant == "en":
        d.tap("action:set_language:zh_CN")
    return saved


def capture_staff(d: object, shot: object, variant: str) -> None:
    """The staff and technician screens: staff as a person of the sandbox's directory
    (staff number and PIN), the technician with the demo PIN."""
    from kiosk.sandbox.staff_roster import SEED_STAFF
    from ui.journey import Driver
    from ui.selftest import demo_card_for

    assert isinstance(d, Driver) and callable(shot)
    m = d.kiosk.machine
    sim = demo_card_for(d.kiosk.services)
    d.tap("action:staff_entry")
    d.wait_state(State.LOGIN)
    # A person of the sandbox's staff directory (fictitious): staff number, then the PIN.
    zhang_no, zhang_pin = SEED_STAFF[0].staff_no, SEED_STAFF[0].pin or ""
    d.tap("action:qr_login")
    d.wait_for("the login QR code", lambda: m.desk.qr is not None)
    shot("login_qr")
    d.tap("action:login_field:staff_no")
    for digit in zhang_no:
        d.tap(f"action:pin_digit:{digit}")
    d.tap("action:login_field:pin")
    for digit in zhang_pin[:3]:
        d.tap(f"action:pin_digit:{digit}")
    shot("login")
    for digit in zhang_pin[3:]:
        d.tap(f"action:pin_digit:{digit}")
    d.tap("action:confirm")
    d.wait_state(State.STAFF_MENU)
    shot("staff_menu")
    d.tap("action:open_queue")
    d.wait_for("queue", lambda: m.desk.queue is not None)
    shot("staff_queue")
    d.tap("action:back")
    d.tap("action:open_reprint")
    d.wait_for("receipts", lambda: m.desk.receipts is not None)
    shot("staff_reprint")
    d.tap("action:back")
    d.tap("action:act_for")
    d.wait_state(State.AGENT)
    d.tap("action:read_agent_card")
    sim.present(sim.cards[1])
    d.wait_for("agent card", lambda: bool(m.data.agent_form.get("certNo")))
    d.type_into("field:phone", "13900000009")
    shot("agent")
    d.tap("action:back")
    d.wait_state(State.STAFF_MENU)
    sim.lift()
    d.tap("action:assist")
    d.wait_state(State.IDENTIFY)
    shot("identify_staff")
    d.tap("action:manual_entry")
    d.wait_state(State.MANUAL_ID)
    d.type_into("field:name", "测试孙七")
    d.type_into("field:certNo", "99010119700101")
    d.tap("action:next")
    shot("manual_id")
    d.tap("action:logout")
    d.wait_state(State.ATTRACT)
    if variant == "en":
        d.tap("action:set_language:en")
    d.login("technician")
    d.wait_for("devices", lambda: m.desk.devices is not None)
    shot("tech_menu")
    d.tap("action:toggle_service")
    d.tap("action:toggle_service")  # the second tap confirms
    d.wait_for("out of service", lambda: m.maintenance)
    d.tap("action:logout")
    d.wait_state(State.ATTRACT)
    if variant == "en":
        d.tap("action:set_language:en")
    shot("attract_out_of_service")
    d.login("technician")
    d.tap("action:toggle_service")
    d.wait_for("back in service", lambda: not m.maintenance)
    d.tap("action:logout")
    d.wait_state(State.ATTRACT)
    if variant == "en":
        d.tap("action:set_language:en")


def main() -> int:
    from ui.offscreen import use_offscreen

    use_offscreen()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--variant", choices=VARIANTS, action="append")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as tmp, screenshot_kiosk(Path(tmp)) as d:
        for variant in args.variant or VARIANTS:
            for path in capture(d, args.out, variant):
                print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
