"""``KeyboardPanel``: the on-screen keyboard as an ordinary widget inside the kiosk window.

It types into the field it is attached to by sending that field the events a hardware
keyboard or an input method would (key events for ASCII, an input-method commit for hanzi),
so QLineEdit, QTextEdit and validators behave as with any keyboard and ``textEdited`` fires.
Its keys never take the focus. Every layout's page is built once and then switched or
relabelled in place: a key is never deleted under the finger that pressed it.

Privacy: the panel keeps only the pinyin letters of the word being composed and the
candidates shown for them; both are dropped on commit, on hiding and by ``wipe()`` (session
end). Nothing typed is logged.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.keyboard.layouts import LAYOUTS, key_label, key_name, layout_for, rows
from ui.keyboard.pinyin import PinyinComposer

CANDIDATE_SLOTS = 10
DIGIT_LAYOUTS = ("digits", "id")
MAX_SHARE = 0.5  # of the window's height: the screen above keeps the other half
MARGINS = (8, 6, 8, 8)  # left, top, right, bottom

# Colours of the keys (touch-ux.md: text ≥ 4.5:1, AAA 7:1; here every label is ≥ 7:1 against
# its key in every state, and key edges ≥ 3:1 against the keyboard's background).
COLORS = {
    False: {"panel": "#dfe5ee", "rule": "#6b7a90", "key": "#ffffff", "text": "#0b1a2e",
            "edge": "#5b6b7e", "special": "#c5cedb", "pressed": "#0d47a1",
            "pressed_text": "#ffffff", "disabled_text": "#4a5566"},
    True: {"panel": "#e6e6e6", "rule": "#000000", "key": "#ffffff", "text": "#000000",
           "edge": "#000000", "special": "#d0d7e2", "pressed": "#0033a0",
           "pressed_text": "#ffffff", "disabled_text": "#3a3a3a"},
}


def key_gap(key_px: int) -> int:
    """Space between keys: a ninth of a key (≥ 1.6 mm between keys of ≥ 15 mm: a key pitch of
    ≥ 16.6 mm), at least 6 px."""
    return max(6, round(key_px / 9))
# Keys wider than a letter key, in letter-key widths
WIDE = {"space": 4, "backspace": 1, "enter": 2, "symbols": 1, "letters": 2, "switch_lang": 1,
        "shift": 1}

_KEYS = {"backspace": Qt.Key.Key_Backspace, "enter": Qt.Key.Key_Return,
         "space": Qt.Key.Key_Space}


class KeyButton(QPushButton):
    """One key. ``key`` is what it does (a character or a special key's name)."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus
        self.setAutoRepeat(key == "backspace")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setObjectName(f"key:{key}")
        self.setProperty("special", len(key) > 1)


class KeyboardPanel(QFrame):
    """``attach_to(field, layout)`` opens the keyboard for a field; ``hidden``/``shown`` tell
    the window to re-lay itself out; ``keyboard_height()`` is the room it takes."""

    opening = Signal()  # about to show: the window makes its room first (no transient growth)
    shown = Signal()
    hidden = Signal()
    field_tapped = Signal()  # a press on the attached field (the dock re-reads sizes, language)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.composer = PinyinComposer()
        self.language = "zh_CN"
        self.layout_name = "pinyin"
        self._text_layout = "pinyin"  # where 'ABC'/'拼音' returns to from the symbols page
        self._target: QWidget | None = None
        self._shifted = False
        self._page = 0  # candidate page
        self._key_px = 56  # as asked (set_sizes)
        self._min_key_px = 56
        self._font_px = 20
        self._max_height = 0  # 0: no limit
        self._elderly = False
        self._fitted = (0, 0)  # (key height, gap) in use
        outer = QVBoxLayout(self)
        outer.setContentsMargins(*MARGINS)
        self._outer = outer
        # Candidate bar: pinyin being typed, candidates, paging, and the hide key (top right:
        # where the screen above has no button once the keyboard is gone). The digit pads
        # have no bar: their hide key is in the pad.
        self.bar = QWidget()
        self.bar.setObjectName("keyboard-bar")
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self._bar_layout = bar
        self.preedit = QLabel()
        self.preedit.setObjectName("preedit")
        self.preedit.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.preedit)
        self.cand_buttons: list[KeyButton] = []
        for i in range(CANDIDATE_SLOTS):
            b = KeyButton("candidate")
            b.setObjectName(f"candidate:{i}")
            b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _=False, slot=i: self._choose(slot))
            b.hide()
            bar.addWidget(b)
            self.cand_buttons.append(b)
        bar.addStretch(1)
        self.prev_button = self._special("cand_prev")
        self.next_button = self._special("cand_next")
        self.hide_button = self._special("hide")
        for b in (self.prev_button, self.next_button, self.hide_button):
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            bar.addWidget(b)
        outer.addWidget(self.bar)
        self.pages = QStackedWidget()
        self.pages.setObjectName("keyboard-pages")
        self._page_of: dict[str, QWidget] = {}
        self._keys: list[KeyButton] = []
        outer.addWidget(self.pages)
        self.hide()
        self._fit()
        self._relabel()

    # --- public API -------------------------------------------------------------------
    def attach_to(self, field: QWidget, layout: str | None = None) -> None:
        """Type into ``field`` from now on, with ``layout`` ('pinyin', 'english', 'digits',
        'id'; None: from the field's ``inputKind`` property or input-method hints, else the
        panel's language), and show the keyboard."""
        if layout is None:
            layout = layout_for(field.property("inputKind"), self.language,
                                field.inputMethodHints())
        if layout not in LAYOUTS:
            raise ValueError(f"unknown keyboard layout {layout!r}")
        if field is not self._target:
            self._release_target()
            self._target = field
            field.installEventFilter(self)
            field.destroyed.connect(self._target_destroyed)
        self._set_layout(layout)
        self.open()

    def detach(self) -> None:
        """Stop typing into the field and hide; the open composition is dropped."""
        self._release_target()
        self.close_panel()

    def open(self) -> None:
        was = self.isVisible()
        if not was:
            self.opening.emit()
        self.show()
        if not was:
            self.shown.emit()

    def close_panel(self) -> None:
        self.composer.clear()
        self._refresh_bar()
        was = self.isVisible()
        self.hide()
        if was:
            self.hidden.emit()

    def keyboard_height(self) -> int:
        """Height the keyboard takes at the bottom of the window when shown."""
        if self.isVisible() and self.height() > 0:
            return self.height()
        return self.sizeHint().height()

    def set_language(self, language: str) -> None:
        """Language of the key labels and names ('zh_CN' or 'en')."""
        if language != self.language:
            self.language = language
            self._relabel()

    def set_sizes(self, key_px: int, font_px: int, min_key_px: int | None = None, *,
                  max_height: int = 0, elderly: bool = False) -> None:
        """Key height (the touch-target size, larger in 大字版) and label size, in pixels.
        With ``max_height`` (the window's height × ``MAX_SHARE``, set by the dock) keys
        shrink towards ``min_key_px`` (the touch-target floor, default ``key_px``) until the
        keyboard fits; ``elderly`` picks the high-contrast colours."""
        floor = key_px if min_key_px is None else min(min_key_px, key_px)
        wanted = (key_px, font_px, floor, max_height, elderly)
        if wanted != (self._key_px, self._font_px, self._min_key_px, self._max_height,
                      self._elderly):
            (self._key_px, self._font_px, self._min_key_px, self._max_height,
             self._elderly) = wanted
            self._fitted = (0, 0)  # restyle even when the fitted size stays
            self._fit()

    def key_height(self) -> int:
        """Height of the keys as shown now (``set_sizes`` key height, or less to fit)."""
        return self._fitted[0] or self._key_px

    @property
    def target(self) -> QWidget | None:
        return self._target

    def wipe(self) -> None:
        """Session end: forget the field and everything typed or shown for it."""
        self._release_target()
        self.composer.clear()
        self._shifted = False
        self._refresh_bar()
        self._relabel()
        was = self.isVisible()
        self.hide()
        if was:
            self.hidden.emit()

    # --- keys -------------------------------------------------------------------------
    def press(self, key: str) -> None:
        """What a tap on ``key`` does (also for tests and a hardware-free driver)."""
        if key == "hide":
            self.close_panel()
        elif key == "cand_prev":
            self._page = max(0, self._page - 1)
            self._refresh_bar()
        elif key == "cand_next":
            self._page += 1
            self._refresh_bar()
        elif key == "shift":
            self._shifted = not self._shifted
            self._relabel()
        elif key == "symbols":
            self._commit_composition()
            self._show_page("symbols")
        elif key == "letters":
            self._show_page(self._text_layout)
        elif key == "switch_lang":
            self._commit_composition()
            self._set_layout("english" if self._text_layout == "pinyin" else "pinyin")
        elif self.layout_name == "pinyin" and self._pinyin_key(key):
            self._refresh_bar()
        else:
            if key == "space":
                self._send_text(" ")
            elif key in _KEYS:
                self._send_key(_KEYS[key])
                if key == "enter":
                    self._finish_field()
            elif key != "separator":
                self._send_text(key)
            if self._shifted and len(key) == 1:
                self._shifted = False
                self._relabel()

    def _pinyin_key(self, key: str) -> bool:
        """Handle a key on the Pinyin layout; False: it goes to the field as usual."""
        c = self.composer
        if len(key) == 1 and "a" <= key <= "z" or key == "separator" and c.letters:
            c.type("'" if key == "separator" else key)
            self._page = 0
            return True
        if not c.active:
            return False
        if key == "backspace":
            c.backspace()
            self._page = 0
            return True
        if key == "space":  # the first candidate, as on every pinyin keyboard
            self._choose(0)
            return True
        if key == "enter":  # the letters as typed (an English word inside Chinese text)
            self._commit(c.take())
            return True
        self._commit_composition()  # punctuation: the best candidate first, then the mark
        return False

    def _choose(self, slot: int) -> None:
        index = self._page * self._page_size() + slot
        text = self.composer.choose(index)
        self._page = 0
        if text is not None:
            self._commit(text)
        self._refresh_bar()

    def _commit_composition(self) -> None:
        c = self.composer
        while c.letters and c.candidates():
            text = c.choose(0)
            if text is not None:
                self._commit(text)
                break
        if c.active:
            self._commit(c.take())
        self._refresh_bar()

    # --- delivering text to the field ---------------------------------------------------
    def _field(self) -> QWidget | None:
        t = self._target
        if t is None or not shiboken6.isValid(t):
            self._target = None
            return None
        return t

    def _commit(self, text: str) -> None:
        field = self._field()
        if field is None or not text:
            return
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(field, event)

    def _send_text(self, text: str) -> None:
        field = self._field()
        if field is None:
            return
        if not text.isascii():
            self._commit(text)
            return
        key = ord(text.upper()) if text.isalnum() else int(Qt.Key.Key_unknown)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(field, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier,
                                                    text))

    def _send_key(self, key: Qt.Key) -> None:
        field = self._field()
        if field is None:
            return
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(field, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))

    def _finish_field(self) -> None:
        """确定 on a one-line field: on to the next field below it, as a person expects of a
        form (the dock then scrolls it into view); after the last one the keyboard closes.
        A multi-line field keeps its Return as a new line."""
        field = self._field()
        if not isinstance(field, QLineEdit):
            return
        following = next_field_below(field)
        if following is not None:
            following.setFocus(Qt.FocusReason.OtherFocusReason)  # Tab would select all
        else:
            self.close_panel()

    def _release_target(self) -> None:
        t = self._target
        self._target = None
        if t is not None and shiboken6.isValid(t):
            t.removeEventFilter(self)
            try:
                t.destroyed.disconnect(self._target_destroyed)
            except (RuntimeError, TypeError):
                pass

    def _target_destroyed(self) -> None:
        self._target = None
        self.close_panel()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A tap into the attached field brings a hidden keyboard back (the focus did not move,
        # so no focus change announces it).
        if watched is self._target and event.type() == QEvent.Type.MouseButtonPress:
            self.field_tapped.emit()
            if not self.isVisible():
                self.open()
        return False

    # --- building and styling ---------------------------------------------------------
    def _special(self, key: str) -> KeyButton:
        b = KeyButton(key)
        b.clicked.connect(lambda _=False, k=key: self.press(k))
        return b

    def _set_layout(self, layout: str) -> None:
        if layout in ("pinyin", "english"):
            self._text_layout = layout
        if layout != "pinyin":
            self.composer.clear()
        self._shifted = False
        self._show_page(layout)

    def _show_page(self, layout: str) -> None:
        page = self._page_of.get(layout)
        if page is None:
            page = self._page_of[layout] = self._build_page(layout)
            self.pages.addWidget(page)
        self.layout_name = layout
        self._fit()  # first: shown at the old size, a taller page would grow the window
        self.pages.setCurrentWidget(page)
        self.bar.setVisible(layout not in DIGIT_LAYOUTS)
        self._relabel()
        self._refresh_bar()

    def _build_page(self, layout: str) -> QWidget:
        page = QWidget()
        page.setObjectName("keyboard-page")
        page.setProperty("layout", layout)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(self._fitted[1] or key_gap(self._key_px))
        if layout in DIGIT_LAYOUTS:  # a pad in the middle, not keys a metre apart
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(5, 1)
        for r, row in enumerate(rows(layout)):
            col = 1 if layout in DIGIT_LAYOUTS else 0
            for key in row:
                span = 1 if layout in DIGIT_LAYOUTS else WIDE.get(key, 1) * 2
                if key:
                    b = self._special(key) if len(key) > 1 else self._char_key(key)
                    b.setProperty("page", layout)
                    if layout in DIGIT_LAYOUTS:
                        b.setMinimumWidth(round(self.key_height() * 2.2))
                    grid.addWidget(b, r, col, 1, span)
                    self._keys.append(b)
                col += span
        return page

    def _char_key(self, ch: str) -> KeyButton:
        b = KeyButton(ch)
        b.clicked.connect(lambda _=False, btn=b: self.press(btn.key))
        return b

    def _relabel(self) -> None:
        lang = self.language
        shift = self._shifted
        for b in [*self._keys, self.prev_button, self.next_button, self.hide_button]:
            if not shiboken6.isValid(b):
                continue
            key = b.property("base") or b.key
            if len(key) == 1 and key.isalpha() and key.isascii() and b.property("page") == "english":
                b.setProperty("base", key.lower())
                b.key = key.upper() if shift else key.lower()
                b.setText(b.key)
                b.setAccessibleName(b.key)
            else:
                b.setText(key_label(key, lang))
                b.setAccessibleName(key_name(key, lang))
        self.setAccessibleName(key_name("keyboard", lang))
        self.preedit.setAccessibleName(key_name("preedit", lang))
        for b in self.cand_buttons:
            b.setAccessibleName(b.text())

    def _fit(self) -> None:
        """Key height and gap for the current page: as asked, or smaller (not below the
        floor) when the keyboard would take more than ``max_height``."""
        page = self._page_of.get(self.layout_name)
        rows_n = len(rows(self.layout_name)) + (0 if self.layout_name in DIGIT_LAYOUTS else 1)
        k = self._key_px
        if self._max_height > 0 and page is not None:
            chrome = MARGINS[1] + MARGINS[3] + 2  # and the top rule
            edge = 2 * self._border()  # a key's border is outside its min/max-height
            while k > self._min_key_px and \
                    rows_n * (k + edge) + (rows_n - 1) * key_gap(k) + chrome > self._max_height:
                k -= 1
        fitted = (k, key_gap(k))
        if fitted != self._fitted or page is None:
            self._fitted = fitted
            self._restyle()

    def _border(self) -> int:
        return 2 if self._elderly else 1

    def _restyle(self) -> None:
        k, gap = self._fitted if self._fitted[0] else (self._key_px, key_gap(self._key_px))
        f = self._font_px if k >= self._key_px else max(16, round(self._font_px * k / self._key_px))
        c = COLORS[self._elderly]
        self._outer.setSpacing(gap)
        self._bar_layout.setSpacing(gap)
        for page in self._page_of.values():
            grid = page.layout()
            if grid is not None:
                grid.setSpacing(gap)
            if page.property("layout") in DIGIT_LAYOUTS:
                for b in page.findChildren(KeyButton):
                    b.setMinimumWidth(round(k * 2.2))
        border = self._border()
        self.setStyleSheet(f"""
            QFrame#keyboard {{ background: {c['panel']}; border-top: 2px solid {c['rule']}; }}
            QFrame#keyboard QWidget#keyboard-bar, QFrame#keyboard QStackedWidget,
            QFrame#keyboard QWidget#keyboard-page {{ background: transparent; }}
            QFrame#keyboard QPushButton {{ min-height: {k}px; max-height: {k}px;
                min-width: {k}px; padding: 0px 4px; font-size: {round(f * 1.25)}px;
                background: {c['key']}; color: {c['text']};
                border: {border}px solid {c['edge']}; border-radius: 8px;
                font-weight: normal; }}
            QFrame#keyboard QPushButton[special="true"] {{ background: {c['special']};
                font-size: {f}px; }}
            QFrame#keyboard QPushButton:pressed {{ background: {c['pressed']};
                color: {c['pressed_text']}; }}
            QFrame#keyboard QPushButton:disabled {{ color: {c['disabled_text']}; }}
            QFrame#keyboard QLabel#preedit {{ font-size: {round(f * 1.2)}px;
                color: {c['text']}; background: transparent; min-width: {k}px; }}
            """)

    # --- candidate bar ----------------------------------------------------------------
    def _page_size(self) -> int:
        width = self.width() if self.width() > 0 else 1280
        k = self.key_height()
        return max(3, min(CANDIDATE_SLOTS, (width - 4 * k) // (k * 2)))

    def _refresh_bar(self) -> None:
        composing = self.layout_name == "pinyin" and self.composer.active
        cands = self.composer.candidates() if composing else []
        size = self._page_size()
        last_page = max(0, (len(cands) - 1) // size)
        self._page = min(self._page, last_page)
        shown = cands[self._page * size:(self._page + 1) * size]
        self.preedit.setText(self.composer.preedit() if composing else "")
        for i, b in enumerate(self.cand_buttons):
            text = shown[i].text if i < len(shown) else ""
            if b.text() != text:
                b.setText(text)
                b.setAccessibleName(text)
            b.setVisible(bool(text))
        self.prev_button.setVisible(composing)
        self.next_button.setVisible(composing)
        self.prev_button.setEnabled(self._page > 0)
        self.next_button.setEnabled(self._page < last_page)


def next_field_below(field: QLineEdit) -> QLineEdit | None:
    """The editable one-line field shown after ``field`` in reading order (top to bottom,
    then left to right) in the same window, or None. By position, not by focus chain: the
    screens build widgets in place and insert fields that appear later anywhere in the chain."""
    top = field.window()
    def place(w: QWidget) -> tuple[int, int]:
        p = w.mapTo(top, QPoint(0, 0))
        return p.y(), p.x()
    here = place(field)
    after = [w for w in top.findChildren(QLineEdit)
             if w is not field and w.isVisible() and w.isEnabled() and not w.isReadOnly()
             and w.property("inputKind") != "none" and place(w) > here]
    return min(after, key=place, default=None)
