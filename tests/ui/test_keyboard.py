"""The on-screen keyboard in real Qt windows (offscreen): keys tapped with the mouse, text
arriving in the field as from any keyboard, the field kept in view above the keyboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui.keyboard import KeyboardDock, KeyboardPanel
from ui.keyboard.panel import KeyButton
from ui.theme import Theme


class FormWindow(QMainWindow):
    """A kiosk-like window: title, a long scrolling form, the nav row, the keyboard docked
    under them through the same hook the kiosk window uses."""

    def __init__(self, fields: int = 30, language: str = "zh_CN", elderly: bool = False,
                 size: tuple[int, int] = (1280, 720)) -> None:
        super().__init__()
        self.resize(*size)
        self.theme = Theme(size[0], 476.0, elderly)
        self.setStyleSheet(self.theme.stylesheet())
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        screen = QWidget()
        lay = QVBoxLayout(screen)
        lay.addWidget(QLabel("填写申请表"))
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        body = QWidget()
        form = QVBoxLayout(body)
        self.fields: list[QLineEdit] = []
        for i in range(fields):
            form.addWidget(QLabel(f"第 {i + 1} 项"))
            edit = QLineEdit()
            edit.setObjectName(f"field:{i}")
            form.addWidget(edit)
            self.fields.append(edit)
        self.scroller.setWidget(body)
        lay.addWidget(self.scroller, 1)
        nav = QHBoxLayout()
        nav.addStretch(1)
        self.next = QPushButton("下一步")
        nav.addWidget(self.next)
        lay.addLayout(nav)
        outer.addWidget(screen, 1)
        self.setCentralWidget(central)
        self.dock = KeyboardDock(self, outer, language=lambda: language,
                                 sizes=lambda: (self.theme.target, self.theme.font_px,
                                                self.theme.min_target, self.theme.elderly))

    @property
    def panel(self) -> KeyboardPanel:
        return self.dock.panel


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[FormWindow]:
    yield from _window(qtbot)


def _window(qtbot: QtBot, **kwargs: object) -> Iterator[FormWindow]:
    w = FormWindow(**kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    yield w


def focus(qtbot: QtBot, field: QWidget) -> None:
    """A finger on the field: the press gives it the focus, as on the touchscreen."""
    field.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    assert field.hasFocus()


def key(panel: KeyboardPanel, name: str) -> KeyButton:
    page = panel.pages.currentWidget()
    found = [b for b in page.findChildren(KeyButton) if b.key == name and b.isVisible()]
    assert found, f"no visible key {name!r} on the {panel.layout_name} layout"
    return found[0]


def tap(qtbot: QtBot, panel: KeyboardPanel, name: str) -> None:
    qtbot.mouseClick(key(panel, name), Qt.MouseButton.LeftButton)


def visible_keys(panel: KeyboardPanel) -> set[str]:
    return {b.key for b in panel.pages.currentWidget().findChildren(KeyButton) if b.isVisible()}


def in_window(w: QWidget, top: QWidget) -> QRect:
    return QRect(w.mapTo(top, QPoint(0, 0)), w.size())


def test_typing_nihao_and_tapping_the_candidate_puts_nihao_in_hanzi_into_the_field(
        qtbot: QtBot, window: FormWindow) -> None:
    field = window.fields[0]
    edited: list[str] = []
    field.textEdited.connect(edited.append)
    focus(qtbot, field)
    panel = window.panel
    assert panel.isVisible() and panel.layout_name == "pinyin"
    for ch in "nihao":
        tap(qtbot, panel, ch)
    assert field.text() == ""  # the pinyin waits in the candidate bar, not in the field
    assert panel.preedit.text() == "ni'hao"
    first = panel.cand_buttons[0]
    assert first.text() == "你好" and first.accessibleName() == "你好"
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert field.text() == "你好"
    assert edited[-1] == "你好"  # the form hears it like any typing
    assert field.hasFocus() and panel.preedit.text() == ""


@pytest.mark.parametrize(("pinyin", "picks", "expected"), [
    ("zhangsan", [0], "张三"),
    ("hangzhou", [0], "杭州"),
    ("xihu", [0], "西湖"),
    ("beijing", [0], "北京"),
    ("xihuqu", [0], "西湖区"),
])
def test_common_names_and_places_are_the_first_candidate(
        qtbot: QtBot, window: FormWindow, pinyin: str, picks: list[int], expected: str) -> None:
    field = window.fields[0]
    focus(qtbot, field)
    for ch in pinyin:
        tap(qtbot, window.panel, ch)
    for slot in picks:
        qtbot.mouseClick(window.panel.cand_buttons[slot], Qt.MouseButton.LeftButton)
    assert field.text() == expected


def test_a_name_not_in_the_dictionary_is_typed_part_by_part(
        qtbot: QtBot, window: FormWindow) -> None:
    """张晓明: the bar offers 张晓 for the start; the rest (ming) stays open until chosen."""
    field = window.fields[0]
    focus(qtbot, field)
    panel = window.panel
    for ch in "zhangxiaoming":
        tap(qtbot, panel, ch)
    texts = [b.text() for b in panel.cand_buttons if b.isVisible()]
    qtbot.mouseClick(panel.cand_buttons[texts.index("张晓")], Qt.MouseButton.LeftButton)
    assert field.text() == "" and panel.preedit.text() == "张晓ming"
    texts = [b.text() for b in panel.cand_buttons if b.isVisible()]
    qtbot.mouseClick(panel.cand_buttons[texts.index("明")], Qt.MouseButton.LeftButton)
    assert field.text() == "张晓明"


def test_backspace_takes_a_pinyin_letter_first_then_a_character_of_the_field(
        qtbot: QtBot, window: FormWindow) -> None:
    field = window.fields[0]
    focus(qtbot, field)
    panel = window.panel
    for ch in "xihu":
        tap(qtbot, panel, ch)
    tap(qtbot, panel, "space")  # space takes the first candidate
    assert field.text() == "西湖"
    tap(qtbot, panel, "l")
    tap(qtbot, panel, "backspace")
    assert panel.preedit.text() == "" and field.text() == "西湖"
    tap(qtbot, panel, "backspace")
    assert field.text() == "西"


def test_a_phone_field_opens_the_digit_pad(qtbot: QtBot, window: FormWindow) -> None:
    phone = window.fields[1]
    phone.setProperty("inputKind", "phone")
    focus(qtbot, phone)
    panel = window.panel
    assert panel.layout_name == "digits"
    assert visible_keys(panel) == {*"0123456789", "backspace", "enter", "hide"}
    for d in "13800138000":
        tap(qtbot, panel, d)
    assert phone.text() == "13800138000"
    assert not any(b.isVisible() for b in panel.cand_buttons)


def test_an_id_number_field_opens_digits_with_x(qtbot: QtBot, window: FormWindow) -> None:
    id_field = window.fields[2]
    id_field.setProperty("inputKind", "id")
    focus(qtbot, id_field)
    panel = window.panel
    assert panel.layout_name == "id"
    assert visible_keys(panel) == {*"0123456789", "X", "backspace", "enter", "hide"}
    for d in "99000019000101907X":
        tap(qtbot, panel, d)
    assert id_field.text() == "99000019000101907X"


def test_moving_to_another_field_switches_the_layout_and_drops_open_pinyin(
        qtbot: QtBot, window: FormWindow) -> None:
    window.fields[1].setProperty("inputKind", "digits")
    focus(qtbot, window.fields[0])
    for ch in "ni":
        tap(qtbot, window.panel, ch)
    focus(qtbot, window.fields[1])
    assert window.panel.layout_name == "digits" and window.panel.composer.letters == ""
    assert window.panel.target is window.fields[1] and window.fields[0].text() == ""


def test_the_english_ui_opens_the_english_layout_with_english_key_names(
        qtbot: QtBot) -> None:
    for w in _window(qtbot, language="en"):
        field = w.fields[0]
        focus(qtbot, field)
        panel = w.panel
        assert panel.layout_name == "english"
        tap(qtbot, panel, "shift")
        for ch in "Anna":
            tap(qtbot, panel, ch)
        assert field.text() == "Anna"  # shift is for one letter
        assert w.panel.hide_button.accessibleName() == "Hide keyboard"
        assert key(panel, "space").accessibleName() == "Space"


def test_every_key_has_an_accessible_name_and_is_a_touch_target(
        qtbot: QtBot, window: FormWindow) -> None:
    panel = window.panel
    px_per_mm = window.theme.px_per_mm
    for kind, layout in (("", "pinyin"), ("english", "english"), ("digits", "digits"),
                         ("id", "id")):
        window.fields[0].setProperty("inputKind", kind)
        window.dock.open_for(window.fields[0])
        assert panel.layout_name == layout
        pages = [layout, "symbols"] if layout in ("pinyin", "english") else [layout]
        for page in pages:
            if page == "symbols":
                panel.press("symbols")
            keys = [b for b in panel.pages.currentWidget().findChildren(KeyButton)
                    if b.isVisible()]
            assert keys
            for b in [*keys, panel.hide_button]:
                assert b.accessibleName().strip(), f"{page}: key {b.key!r} has no name"
                # ≥ 15 mm, the kiosk's touch-target rule (touch-ux.md; MIIT asks 44 dp)
                assert b.height() >= round(15 * px_per_mm) and b.height() >= 56
                assert b.width() >= 56, f"{page}: key {b.key!r} is {b.width()} px wide"
            if page == "symbols":
                panel.press("letters")


def test_elderly_mode_has_larger_keys(qtbot: QtBot) -> None:
    heights = []
    for elderly in (False, True):  # where there is room (on 1280x720 they shrink: below)
        for w in _window(qtbot, elderly=elderly, size=(1920, 1080)):
            focus(qtbot, w.fields[0])
            heights.append(key(w.panel, "a").height())
            assert not elderly or heights[-1] >= 60  # MIIT: ≥ 60 dp in elderly mode
            w.close()
    assert heights[1] >= heights[0] * 1.25


@pytest.mark.parametrize("elderly", [False, True])
def test_the_focused_field_is_above_the_keyboard_at_1280x720(
        qtbot: QtBot, elderly: bool) -> None:
    for w in _window(qtbot, elderly=elderly):
        central = w.centralWidget()
        for index in (29, 15, 0):  # bottom of the long form, middle, top
            field = w.fields[index]
            focus(qtbot, field)
            panel = w.panel
            assert panel.isVisible()
            kb = in_window(panel, central)
            assert kb.bottom() == central.rect().bottom()  # docked at the bottom
            assert kb.height() == panel.keyboard_height()
            where = in_window(field, central)
            assert where.bottom() < kb.top(), f"field {index} {where} under keyboard {kb}"
            view = in_window(w.scroller.viewport(), central)
            assert view.contains(where), f"field {index} {where} not fully in view {view}"
            assert in_window(w.next, central).bottom() < kb.top()  # 下一步 is not covered


def test_hiding_gives_the_room_back_and_a_tap_on_the_field_brings_it_back(
        qtbot: QtBot, window: FormWindow) -> None:
    panel = window.panel
    focus(qtbot, window.fields[3])
    shown_height = window.scroller.height()
    with qtbot.waitSignal(panel.hidden):
        qtbot.mouseClick(panel.hide_button, Qt.MouseButton.LeftButton)
    window.centralWidget().layout().activate()
    assert not panel.isVisible() and window.scroller.height() > shown_height
    with qtbot.waitSignal(panel.shown):
        qtbot.mouseClick(window.fields[3], Qt.MouseButton.LeftButton)
    assert panel.isVisible()


def test_a_button_taking_the_focus_closes_the_keyboard(qtbot: QtBot, window: FormWindow) -> None:
    focus(qtbot, window.fields[0])
    window.next.setFocus(Qt.FocusReason.MouseFocusReason)
    assert not window.panel.isVisible() and window.panel.target is None


def test_a_read_only_field_opens_no_keyboard(qtbot: QtBot, window: FormWindow) -> None:
    window.fields[0].setReadOnly(True)
    focus(qtbot, window.fields[0])
    assert not window.panel.isVisible()


def test_the_keyboard_keeps_nothing_typed_after_the_session_ends(
        qtbot: QtBot, window: FormWindow) -> None:
    field = window.fields[0]
    focus(qtbot, field)
    panel = window.panel
    for ch in "zhangsan":
        tap(qtbot, panel, ch)
    qtbot.mouseClick(panel.cand_buttons[0], Qt.MouseButton.LeftButton)
    for ch in "wang":  # still open when the session ends
        tap(qtbot, panel, ch)
    assert panel.preedit.text() and panel.cand_buttons[0].text()
    window.dock.wipe()  # what KioskWindow.wipe calls at every session end
    assert not panel.isVisible() and panel.target is None
    assert panel.composer.letters == "" and panel.composer.chosen == []
    texts = [w.text() for w in panel.findChildren(QPushButton)] + [panel.preedit.text()]
    names = [w.accessibleName() for w in panel.findChildren(QPushButton)]
    for secret in ("张三", "张", "三", "wang", "zhang", "王"):
        assert not any(secret in t for t in texts + names), secret


def _luminance(hex_colour: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("elderly", [False, True])
def test_key_labels_have_aaa_contrast_and_key_edges_show(elderly: bool) -> None:
    from ui.keyboard.panel import COLORS

    c = COLORS[elderly]
    assert contrast(c["text"], c["key"]) >= 7  # WCAG AAA; touch-ux.md asks ≥ 4.5:1
    assert contrast(c["text"], c["special"]) >= 7
    assert contrast(c["pressed_text"], c["pressed"]) >= 7
    assert contrast(c["text"], c["panel"]) >= 7  # the pinyin being typed
    assert contrast(c["disabled_text"], c["special"]) >= 4.5  # ◀ ▶ with nothing to page
    assert contrast(c["edge"], c["panel"]) >= 3  # a key's edge against the keyboard


def test_keys_are_apart_by_at_least_a_ninth_of_a_key(qtbot: QtBot, window: FormWindow) -> None:
    focus(qtbot, window.fields[0])
    q, w = key(window.panel, "q"), key(window.panel, "w")
    gap = w.mapTo(window, QPoint(0, 0)).x() - (q.mapTo(window, QPoint(0, 0)).x() + q.width())
    assert gap >= 6 and gap >= q.height() / 9 - 1
    a = key(window.panel, "a")
    row_gap = a.mapTo(window, QPoint(0, 0)).y() - (q.mapTo(window, QPoint(0, 0)).y() + q.height())
    assert row_gap >= 6


def test_in_elderly_mode_on_a_short_window_the_keys_shrink_to_the_floor_not_below(
        qtbot: QtBot) -> None:
    for w in _window(qtbot, elderly=True, size=(1280, 720)):
        # the floor, as the kiosk window gives it: the normal-mode touch target (≥ 15 mm)
        focus(qtbot, w.fields[0])
        panel = w.panel
        assert panel.keyboard_height() <= 720 // 2
        assert panel.key_height() >= w.theme.min_target
        assert key(panel, "a").height() >= round(15 * w.theme.px_per_mm)
        w.fields[1].setProperty("inputKind", "digits")
        focus(qtbot, w.fields[1])  # the pad has room for the full 大字版 size
        assert panel.key_height() == w.theme.target
    for w in _window(qtbot, elderly=True, size=(1080, 1920)):  # portrait: room for all
        focus(qtbot, w.fields[0])
        assert w.panel.key_height() == w.theme.target


def test_attach_to_without_a_layout_reads_the_field(qtbot: QtBot, window: FormWindow) -> None:
    panel = KeyboardPanel(window)
    edit = QLineEdit(window)
    edit.setProperty("inputKind", "id")
    panel.attach_to(edit)
    assert panel.layout_name == "id"
    other = QLineEdit(window)
    other.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    panel.attach_to(other)
    assert panel.layout_name == "digits"
    plain = QLineEdit(window)
    panel.attach_to(plain)
    assert panel.layout_name == "pinyin"
    panel.set_language("en")
    panel.attach_to(QLineEdit(window))
    assert panel.layout_name == "english"


def test_a_tap_on_the_open_field_applies_a_changed_elderly_mode(
        qtbot: QtBot, window: FormWindow) -> None:
    field = window.fields[1]
    field.setProperty("inputKind", "digits")
    focus(qtbot, field)
    normal = window.panel.key_height()
    window.theme = Theme(1280, 476.0, True)  # 大字版 switched on while the keyboard is open
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    assert window.panel.key_height() == window.theme.target > normal


def test_enter_on_a_field_moves_on_to_the_next_field_and_after_the_last_closes(
        qtbot: QtBot) -> None:
    for w in _window(qtbot, fields=3):
        panel = w.panel
        w.fields[1].setProperty("inputKind", "phone")
        focus(qtbot, w.fields[0])
        tap(qtbot, panel, "enter")
        assert w.fields[1].hasFocus() and panel.isVisible()
        assert panel.layout_name == "digits"  # the next field's own keyboard
        for d in "138":
            tap(qtbot, panel, d)
        tap(qtbot, panel, "enter")
        assert w.fields[1].text() == "138" and w.fields[2].hasFocus()
        tap(qtbot, panel, "enter")
        assert not panel.isVisible()
        assert w.fields[2].hasFocus()  # the last: the keyboard closes, the text stays put


def test_enter_skips_read_only_and_hidden_fields(qtbot: QtBot) -> None:
    for w in _window(qtbot, fields=4):
        w.fields[1].setReadOnly(True)
        w.fields[2].hide()
        focus(qtbot, w.fields[0])
        tap(qtbot, w.panel, "enter")
        assert w.fields[3].hasFocus()
