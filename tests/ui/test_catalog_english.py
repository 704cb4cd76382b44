"""English mode shows the catalog's English (contract ``i18n``/``x-i18n``, seeded for every
sandbox matter): theme tabs, matter tiles, the guide, the consent, form titles and choices,
materials and the review; Chinese mode the Chinese. Real window, embedded sandbox."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.session import State
from ui.inspect import widget_texts
from ui.journey import Driver
from ui.selftest import demo_card_for


def _screen_texts(d: Driver) -> str:
    screen = d.kiosk.window.stack.currentWidget()
    assert isinstance(screen, QWidget)
    return "\n".join(t for t in widget_texts(screen) if t)


def _to_form(d: Driver, lang: str) -> None:
    m = d.kiosk.machine
    d.wait_for("services", lambda: not m.services()["apply"] and len(m.catalog) > 0)
    if lang == "en":
        d.tap("action:set_language:en")
    d.start_apply()
    demo_card_for(d.kiosk.services).present()
    d.wait_for("card read", lambda: m.data.citizen is not None)
    d.wait_state(State.CHOOSE_MATTER)


def test_english_mode_shows_the_catalogs_english(stack: Driver) -> None:
    d = stack
    _to_form(d, "en")
    texts = _screen_texts(d)
    assert "Housing" in texts and "住房" not in texts  # theme tabs
    assert "Registering a second-hand home sale" in texts  # a tile
    d.search("gjj")
    assert "Withdraw from the housing provident fund" in _screen_texts(d)
    d.tap("action:select_matter:330106SBX0003")
    d.wait_state(State.GUIDE)
    texts = _screen_texts(d)
    assert "Hangzhou Housing Provident Fund Management Center" in texts
    assert "The contributor qualifies" in texts
    assert "Applicant's resident ID card" in texts
    assert "提取住房公积金" not in texts
    d.tap("action:next")
    d.wait_state(State.CONSENT)
    assert "Withdraw from the housing provident fund" in _screen_texts(d)
    d.tap("action:agree")
    d.wait_state(State.FORM)
    d.wait_for("prefill", lambda: not d.kiosk.machine.data.prefill_loading)
    texts = _screen_texts(d)
    assert "Reason for withdrawal *" in texts and "Renting" in texts
    assert "提取原因" not in texts and "租房" not in texts
    d.tap("choice:reason:RENT")
    assert d.kiosk.machine.data.form["reason"] == "RENT"  # the value, not the label


def test_chinese_mode_keeps_the_chinese(stack: Driver) -> None:
    d = stack
    _to_form(d, "zh_CN")
    texts = _screen_texts(d)
    assert "住房" in texts and "Housing" not in texts
    assert "存量房（二手房）买卖转移登记" in texts
    d.choose("gjj", "330106SBX0003")
    texts = _screen_texts(d)
    assert "提取原因 *" in texts and "租房" in texts and "Renting" not in texts
