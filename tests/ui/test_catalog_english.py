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


def _untranslated(d: Driver) -> list[str]:
    """Texts of the screen with Han characters, once what the citizen brought is taken out:
    the name from the card (masked or not) and the answers of the form (names, addresses)."""
    import re

    from kiosk.privacy import mask_name

    citizen = d.kiosk.machine.data.citizen
    own = [citizen.name, mask_name(citizen.name)] if citizen is not None else []
    own += [v for v in d.kiosk.machine.data.form.values() if isinstance(v, str) and v]
    own.sort(key=len, reverse=True)
    out = []
    for text in _screen_texts(d).splitlines():
        for name in own:
            text = text.replace(name, "")
        if re.search(r"[\u3400-\u9fff]", text):
            out.append(text)
    return out


def _end(d: Driver) -> None:
    d.tap("action:finish")
    if d.state is not State.ATTRACT:
        d.tap("action:finish_confirm")
    d.wait_state(State.ATTRACT)


def test_english_guide_payment_and_promise_screens_show_no_chinese_catalog_text(
        stack: Driver) -> None:
    """A chargeable matter (二手房: 登记费, legal basis, where originals are checked) through
    the guide and the payment; a promise matter (公积金) through the guide and the 承诺书:
    in English nothing of the catalog shows in Chinese."""
    d = stack
    m = d.kiosk.machine
    d.kiosk.services.parts.sandbox.state.payment_paid_after_s = None  # stay on the QR
    _to_form(d, "en")
    d.search("esf")
    d.tap("action:select_matter:330106SBX0001")
    d.wait_state(State.GUIDE)
    texts = _screen_texts(d)
    assert "Registration fee" in texts and "Interim Regulations on Real Estate Registration" \
        in texts and "real estate registration window" in texts, texts
    assert _untranslated(d) == []
    d.tap("action:next")
    d.wait_state(State.CONSENT)
    d.tap("action:agree")
    d.wait_state(State.FORM)
    d.wait_for("prefill", lambda: not m.data.prefill_loading)
    d.fill_form()
    d.capture_materials()
    d.deliver()
    assert _untranslated(d) == []  # the review, with the fee
    d.tap("action:confirm")
    d.wait_state(State.PAYMENT)
    d.wait_for("pay QR", lambda: m.payment_pending())
    d.kiosk.window.show_state()
    assert "Registration fee" in _screen_texts(d)
    assert _untranslated(d) == []
    _end(d)

    _to_form(d, "en")
    d.search("gjj")
    d.tap("action:select_matter:330106SBX0003")
    d.wait_state(State.GUIDE)
    assert "Regulations on the Administration of Housing Provident Funds" in _screen_texts(d)
    assert _untranslated(d) == []
    d.tap("action:next")
    d.wait_state(State.CONSENT)
    d.tap("action:decline")
    d.wait_state(State.FORM)
    d.fill_form()
    d.wait_state(State.MATERIALS)
    d.tap("action:promise:M0003-02")
    d.capture_materials(optional=False)
    d.wait_state(State.PROMISE)
    assert "promise that the reason stated is true" in _screen_texts(d)
    assert _untranslated(d) == []
    _end(d)
