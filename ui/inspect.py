"""Everything a window shows or holds as text: labels, inputs, buttons, item models, window
titles, tool tips, pixmaps (the idle-wipe test and the selftest look for citizen data in it);
and whether what it shows fits: text in its widget, widgets on screen, touch-target sizes,
accessible names, text contrast (the fit test walks every screen with these)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QTextEdit,
    QWidget,
)


def _model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[str]:
    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        for col in range(model.columnCount(parent)):
            index = model.index(row, col, parent)
            value = model.data(index, Qt.ItemDataRole.DisplayRole)
            if value is not None:
                yield str(value)
            yield from _model_texts(model, index)


def widget_texts(root: QObject) -> list[str]:
    """All strings reachable from ``root`` and its children (hidden ones included)."""
    out: list[str] = []
    objects = [root, *root.findChildren(QObject)]
    for obj in objects:
        if isinstance(obj, QWidget):
            out += [obj.windowTitle(), obj.toolTip(), obj.accessibleName()]
        if isinstance(obj, QLabel):
            out.append(obj.text())
        elif isinstance(obj, QLineEdit):
            out += [obj.text(), obj.placeholderText()]
        elif isinstance(obj, QTextEdit | QPlainTextEdit):
            out.append(obj.toPlainText())
        elif isinstance(obj, QAbstractButton):
            out.append(obj.text())
        elif isinstance(obj, QComboBox):
            out += [obj.itemText(i) for i in range(obj.count())]
        if isinstance(obj, QAbstractItemView) and obj.model() is not None:
            out += list(_model_texts(obj.model()))
    return [t for t in out if t]


def pixmap_count(root: QObject) -> int:
    """Labels still holding a picture (captured pages must be gone after a wipe)."""
    return sum(1 for lbl in root.findChildren(QLabel)
               if lbl.pixmap() is not None and not lbl.pixmap().isNull())


# -- does everything fit? (tests/ui/test_fit.py) ---------------------------------------------
#
# Measured on the real widgets after layout, with the font metrics Qt itself uses to draw:
# a text fits when the rectangle Qt draws it into holds it (a QLabel's contents rect, a
# button's contents rect after the style sheet's border and padding, less its icon); a
# widget is cut off when an ancestor, the window or a scroll viewport (horizontally: the
# kiosk never scrolls sideways) does not show all of it.

_HUGE = 1_000_000


@dataclass(frozen=True)
class Misfit:
    check: str  # "text", "clipped", "window", "name", "target", "overlap", "contrast"
    widget: str  # what a person finds it by: object name, class and text
    detail: str  # needed vs available, in px
    where: QRect | None = field(default=None, compare=False)  # in the root's coordinates

    def __str__(self) -> str:
        return f"[{self.check}] {self.widget}: {self.detail}"


def describe(w: QWidget) -> str:
    text = ""
    if isinstance(w, QLabel | QAbstractButton):
        text = " ".join(w.text().split())
    elif isinstance(w, QLineEdit):
        text = w.text() or w.placeholderText()
    if len(text) > 40:
        text = text[:39] + "…"
    name = w.objectName()
    return f"{type(w).__name__}{'#' + name if name else ''}" + (f" {text!r}" if text else "")


def _at(w: QWidget, root: QWidget) -> QRect:
    return QRect(w.mapTo(root, QPoint(0, 0)), w.size())


def _visible_widgets(root: QWidget, kinds: tuple[type, ...]) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisible()]


def text_need(w: QWidget) -> tuple[QSize, QRect] | None:
    """(the size the widget's text needs, the rectangle Qt gives it), or None for no text."""
    fm = w.fontMetrics()
    if isinstance(w, QLabel):
        if not w.text() or (w.pixmap() is not None and not w.pixmap().isNull()):
            return None
        m = w.margin()
        room = w.contentsRect().adjusted(m, m, -m, -m)
        # Only the size matters: top-left (a vertical centre in a huge rectangle rounds up).
        flags = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop).value)
        if w.wordWrap():
            flags |= int(Qt.TextFlag.TextWordWrap.value)
            bound = QRect(0, 0, max(1, room.width()), _HUGE)
        else:
            bound = QRect(0, 0, _HUGE, _HUGE)
        need = fm.boundingRect(bound, flags, w.text()).size()
        return need, room
    if isinstance(w, QPushButton | QCheckBox):
        if not w.text():
            return None
        opt = QStyleOptionButton()
        w.initStyleOption(opt)
        element = (QStyle.SubElement.SE_PushButtonContents if isinstance(w, QPushButton)
                   else QStyle.SubElement.SE_CheckBoxContents)
        room = w.style().subElementRect(element, opt, w)
        need = fm.boundingRect(QRect(0, 0, _HUGE, _HUGE), int(Qt.AlignmentFlag.AlignLeft.value),
                               w.text()).size()
        if isinstance(w, QPushButton) and not w.icon().isNull():
            # Qt draws the icon left of the text with 4 px between (QCommonStyle).
            icon = w.iconSize()
            need = QSize(need.width() + icon.width() + 4, max(need.height(), icon.height()))
        return need, room
    return None


def text_misfits(root: QWidget, window: QWidget | None = None) -> list[Misfit]:
    """Visible labels, buttons and check boxes whose text does not fit the room Qt draws it
    in (it is clipped, or runs over the border)."""
    out: list[Misfit] = []
    for w in _visible_widgets(root, (QLabel, QPushButton, QCheckBox)):
        measured = text_need(w)
        if measured is None:
            continue
        need, room = measured
        if need.width() > room.width() or need.height() > room.height():
            wrap = " (word-wrapped)" if isinstance(w, QLabel) and w.wordWrap() else ""
            out.append(Misfit("text", describe(w),
                              f"text needs {need.width()}×{need.height()} px{wrap}, "
                              f"has {room.width()}×{room.height()}", _at(w, window or root)))
    return out


def _viewport_of(w: QWidget) -> bool:
    parent = w.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is w


def shown_rect(w: QWidget, window: QWidget, area: QRect) -> tuple[QRect, str]:
    """The most of ``w`` (in window coordinates) a person can see, and what cuts the rest
    off: its ancestors, the window's ``area``; content in a scroll viewport can be dragged
    up and down (so it shows as much as the viewport's height) but never sideways."""
    full = _at(w, window)
    shown, by = QRect(full), ""
    parent = w.parentWidget()
    while parent is not None and parent is not window:
        if _viewport_of(parent):
            port, port_by = shown_rect(parent, window, area)
            across = QRect(shown.x(), port.y(), shown.width(), port.height()).intersected(port)
            height = min(shown.height(), port.height())
            if across.width() < shown.width():
                by = by or "its scroll viewport (sideways)"
            elif height < shown.height():
                by = by or (port_by if port.height() < parent.height()
                            else f"its scroll viewport, {port.height()} px high")
            return QRect(across.x(), port.y(), across.width(), height), by
        before = QRect(shown)
        shown = shown.intersected(_at(parent, window))
        if shown != before:
            by = by or describe(parent)
        parent = parent.parentWidget()
    before = QRect(shown)
    shown = shown.intersected(area)
    if shown != before:
        by = by or "the window"
    return shown, by


def clip_misfits(root: QWidget, area: QRect, window: QWidget | None = None) -> list[Misfit]:
    """Visible labels, buttons, check boxes and fields under ``root`` not wholly on screen
    (``area``: the window's rectangle, in ``window`` coordinates)."""
    window = window or root
    out: list[Misfit] = []
    for w in _visible_widgets(root, (QLabel, QAbstractButton, QLineEdit, QComboBox)):
        if w.width() <= 0 or w.height() <= 0:
            continue
        shown, by = shown_rect(w, window, area)
        if shown.size() != w.size():
            full = _at(w, window)
            out.append(Misfit("clipped", describe(w),
                              f"cut off by {by}: {w.width()}×{w.height()} px at "
                              f"({full.x()},{full.y()}), {max(0, shown.width())}×"
                              f"{max(0, shown.height())} shown", full))
    return out


def accessible_name(w: QWidget) -> str:
    """What a screen reader says for ``w``: Qt's accessibility interface, not the property."""
    iface = QAccessible.queryAccessibleInterface(w)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def unnamed_buttons(root: QWidget, window: QWidget | None = None) -> list[Misfit]:
    """Visible enabled buttons a screen reader (or an outside test driver) cannot name."""
    return [Misfit("name", describe(b), "enabled button with no accessible name and no text",
                   _at(b, window or root))
            for b in _visible_widgets(root, (QAbstractButton,))
            if b.isEnabled() and not accessible_name(b)]


def small_targets(root: QWidget, min_px: int, window: QWidget | None = None) -> list[Misfit]:
    """Visible buttons and fields smaller than ``min_px`` either way."""
    return [Misfit("target", describe(w), f"{w.width()}×{w.height()} px, needs ≥ {min_px}×{min_px}",
                   _at(w, window or root))
            for w in _visible_widgets(root, (QAbstractButton, QLineEdit, QComboBox))
            if w.width() < min_px or w.height() < min_px]


def overlapping_targets(root: QWidget, window: QWidget | None = None) -> list[Misfit]:
    """Visible buttons whose visible parts overlap (a squeezed layout): a tap there is a
    guess. Content scrolled out of its viewport is not visible and overlaps nothing."""
    window = window or root
    buttons = _visible_widgets(root, (QAbstractButton,))
    far = QRect(-_HUGE, -_HUGE, 2 * _HUGE, 2 * _HUGE)
    rects = [_scrolled_part(b, window, far) for b in buttons]
    out: list[Misfit] = []
    for i, a in enumerate(rects):
        for j in range(i + 1, len(rects)):
            both = a.intersected(rects[j])
            if not both.isEmpty():
                out.append(Misfit("overlap", describe(buttons[i]),
                                  f"overlaps {describe(buttons[j])} by "
                                  f"{both.width()}×{both.height()} px", both))
    return out


def _scrolled_part(w: QWidget, window: QWidget, area: QRect) -> QRect:
    """The part of ``w`` on screen now, as scrolled (not as it could be scrolled)."""
    shown = _at(w, window).intersected(area)
    parent = w.parentWidget()
    while parent is not None and parent is not window:
        shown = shown.intersected(_at(parent, window))
        parent = parent.parentWidget()
    return shown


# -- contrast (WCAG 2.x definitions) --------------------------------------------------------

def relative_luminance(colour: str) -> float:
    c = QColor(colour)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
            + 0.0722 * channel(c.blueF()))


def contrast_ratio(fg: str, bg: str) -> float:
    a, b = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _background_of(w: QWidget) -> QColor:
    """The colour behind a label: the nearest ancestor that paints one (labels, and boxes
    inside a panel, are transparent in the theme)."""
    parent = w.parentWidget()
    while parent is not None:
        colour = parent.palette().color(QPalette.ColorRole.Window)
        if not isinstance(parent, QLabel) and colour.alpha() == 255:
            return colour
        parent = parent.parentWidget()
    return QColor("#ffffff")


def text_colours(root: QWidget) -> list[tuple[QWidget, str, str, str]]:
    """(widget, what, text colour, background) of every visible, enabled label and button
    as the style sheet polished it (WCAG exempts inactive controls). A checked button is
    drawn with the :checked colours, which the palette does not hold: the pure test of the
    theme covers those."""
    out: list[tuple[QWidget, str, str, str]] = []
    for w in _visible_widgets(root, (QLabel, QPushButton)):
        if not w.isEnabled() or not w.text():  # type: ignore[attr-defined]
            continue
        pal = w.palette()
        if isinstance(w, QPushButton):
            if w.isChecked():
                continue
            fg, bg = pal.color(QPalette.ColorRole.ButtonText), pal.color(QPalette.ColorRole.Button)
            what = "primary button" if w.property("primary") else "button"
        else:
            fg, bg = pal.color(QPalette.ColorRole.WindowText), _background_of(w)
            what = f"label#{w.objectName() or '(plain)'}"
        out.append((w, what, fg.name(), bg.name()))
    return out


def low_contrast(root: QWidget, minimum: float,
                 window: QWidget | None = None) -> list[Misfit]:
    out: list[Misfit] = []
    for w, what, fg, bg in text_colours(root):
        ratio = contrast_ratio(fg, bg)
        if ratio < minimum:
            out.append(Misfit("contrast", describe(w),
                              f"{what} {fg} on {bg}: {ratio:.2f}:1, needs ≥ {minimum}:1",
                              _at(w, window or root)))
    return out


def sheet_rules(sheet: str) -> dict[str, dict[str, str]]:
    """``selector -> {property: value}`` of a flat Qt style sheet (no nesting, no comments),
    a selector list split into its selectors: enough to read the theme's colours back."""
    rules: dict[str, dict[str, str]] = {}
    for block in sheet.split("}"):
        if "{" not in block:
            continue
        head, body = block.split("{", 1)
        props = {}
        for decl in body.split(";"):
            if ":" in decl:
                k, v = decl.split(":", 1)
                props[k.strip()] = v.strip()
        for selector in head.split(","):
            rules.setdefault(" ".join(selector.split()), {}).update(props)
    return rules


def sheet_text_colours(sheet: str) -> dict[str, tuple[str, str]]:
    """Every text colour the style sheet sets, on every background it can be drawn on:
    ``"QLabel#hint on QFrame#panel" -> (fg, bg)``; a button state on its own background.
    Disabled states are left out: WCAG 1.4.3 sets no minimum for inactive controls."""
    rules = sheet_rules(sheet)
    base = rules.get("QWidget", {})
    fg0, bg0 = base.get("color", "#000000"), base.get("background", "#ffffff")
    grounds = {"QWidget": bg0, **{s: r["background"] for s, r in rules.items()
                                  if s.startswith("QFrame#")
                                  and r.get("background", "transparent") != "transparent"}}
    out: dict[str, tuple[str, str]] = {}
    labels = {"QLabel": rules.get("QLabel", {})} | {
        s: r for s, r in rules.items() if s.startswith("QLabel#")}
    for selector, rule in labels.items():
        fg = rule.get("color", fg0)
        own = rule.get("background", "transparent")
        if own != "transparent":
            out[selector] = (fg, own)
            continue
        for ground, bg in grounds.items():
            out[f"{selector} on {ground}"] = (fg, bg)
    button = rules.get("QPushButton", {})
    for selector, rule in rules.items():
        if not selector.startswith("QPushButton") or ":disabled" in selector:
            continue
        if not ({"color", "background"} & rule.keys()) and selector != "QPushButton":
            continue
        out[selector] = (rule.get("color", button.get("color", fg0)),
                         rule.get("background", button.get("background", bg0)))
    edits = rules.get("QLineEdit", {})
    if edits:
        out["QLineEdit"] = (edits.get("color", fg0), edits.get("background", bg0))
    return out
