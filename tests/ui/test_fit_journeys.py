"""The #13 screens the fit walk does not reach (告知承诺 with its signature pad, 补齐补正 from the
status result, the help button's number), measured with the fit walk's own checks in 中文 and
大字版 at its five sizes: text fits, nothing cut off, buttons named, targets large, contrast."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.session import State
from tests.ui.test_fit import SIZES, measure, settle
from ui.selftest import demo_card_for

pytestmark = pytest.mark.slow
SHOTS = os.environ.get("KIOSK_JOURNEY_SHOTS", "")


@contextmanager
def kiosk_without_face_check(data_dir: Path) -> Iterator[Any]:
    """The screenshot walk's kiosk without its stranger at the face camera (提取住房公积金
    requires the face: these screens come after it)."""
    from kiosk.config import load_settings
    from ui.selftest import real_kiosk, selftest_settings

    with real_kiosk(selftest_settings(load_settings(), data_dir)) as driver:
        yield driver


def _walk(qapp: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="kiosk-fit-13-") as tmp, \
            kiosk_without_face_check(Path(tmp)) as d:
        w, m = d.kiosk.window, d.kiosk.machine
        home = w.size()
        sandbox = d.kiosk.services.parts.sandbox

        def check(name: str) -> None:
            d.pump(30)
            if w.keyboard.panel.isVisible():
                d.hide_keyboard()
            if SHOTS:  # docs/journeys.md's pictures: KIOSK_JOURNEY_SHOTS=docs/screenshots
                w.grab().save(str(Path(SHOTS) / f"journey-{name}-"
                                  f"{'elderly' if m.elderly else 'zh'}.png"))
            for size in SIZES:
                found[f"{name}-{'elderly' if m.elderly else 'zh'}-{size[0]}x{size[1]}"] = [
                    str(x) for x in measure(w, size)]
            w.resize(home)
            settle(w)

        def past_guide() -> None:
            """The walk's kiosk asks for the face (optional) and films a stranger: skipped."""
            d.tap("action:next")
            d.wait_for("past the guide", lambda: m.state in (State.CONSENT, State.FACE_CHECK))
            if m.state is State.FACE_CHECK:
                d.wait_for("face result", lambda: m.data.face_status in ("failed",
                                                                         "unavailable"),
                           timeout_s=30)
                d.tap("action:skip")
            d.wait_state(State.CONSENT)

        d.wait_for("apply", lambda: not m.services()["apply"] and len(m.catalog) > 0)
        sim = demo_card_for(d.kiosk.services)
        gjj = m.catalog.search("gjj")[0]
        d.start_apply()
        sim.present(sim.cards[0])
        d.wait_state(State.CHOOSE_MATTER)
        d.search("gjj")
        d.tap(f"action:select_matter:{gjj.code}")
        d.wait_state(State.GUIDE)
        past_guide()
        d.tap("action:agree")
        d.wait_state(State.FORM)
        d.wait_for("prefill", lambda: not m.data.prefill_loading)
        d.fill_form()
        d.capture_materials()
        d.deliver()
        d.confirm()
        case = m.data.outcome
        assert case is not None
        d.tap("action:finish")
        d.wait_state(State.ATTRACT)
        sim.lift()
        for elderly in (False, True):
            if elderly:
                d.tap("action:toggle_elderly")
            requests.post(f"{sandbox.root_url}/__admin/applications/{case.application_id}/status",
                          json={"status": "SUPPLEMENT_REQUIRED", "materials": ["M0003-02"],
                                "reason": "提取原因证明不清晰，请重新拍摄（测试）"}, timeout=5)
            d.tap("action:start_query")
            d.wait_state(State.STATUS_QUERY)
            if not elderly:
                d.tap("action:call_help")
                d.wait_for("help number", lambda: m.help is not None)
            check("status_query_help")
            sim.present(sim.cards[0])
            d.wait_state(State.STATUS_RESULT)
            d.wait_for("cases", lambda: m.data.status_result is not None)
            check("status_result")
            d.tap(f"action:start_supplement:{case.application_id}")
            d.wait_state(State.SUPPLEMENT)
            d.tap("action:capture")
            d.wait_for("page", lambda: bool(m.data.pages.get("M0003-02")))
            check("supplement")
            d.tap("action:next")
            d.wait_state(State.SUPPLEMENT_DONE, timeout_s=60)
            check("supplement_done")
            d.tap("action:next")
            d.wait_state(State.ATTRACT)
            sim.lift()
            # 告知承诺: data sharing declined, so the proof is asked and promised instead.
            if elderly and not m.elderly:  # the session's end reset the look
                d.tap("action:toggle_elderly")
            d.start_apply()
            sim.present(sim.cards[0])
            d.wait_state(State.CHOOSE_MATTER)
            d.search("gjj")
            d.tap(f"action:select_matter:{gjj.code}")
            d.wait_state(State.GUIDE)
            past_guide()
            d.tap("action:decline")
            d.wait_state(State.FORM)
            d.fill_form()
            d.wait_state(State.MATERIALS)
            d.tap("action:promise:M0003-02")
            check("materials_promised")
            d.capture_materials(optional=False)
            d.wait_state(State.PROMISE)
            d.sign()
            check("promise")
            d.tap("action:finish")
            d.pump(10)
            if m.data.confirm_finish:
                d.tap("action:finish_confirm")
            d.wait_state(State.ATTRACT)
            sim.lift()
    return found


def test_the_journey_screens_of_13_fit_in_chinese_and_large_text(qapp: Any) -> None:
    found = _walk(qapp)
    assert len(found) == 6 * 2 * len(SIZES)
    bad = {k: v for k, v in found.items() if v}
    assert not bad, bad
