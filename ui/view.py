"""The render model: a screen describes what it shows as a tree of plain, comparable nodes, and
``sync`` brings the real widgets in line with it.

Why: a person's tap must never be lost. A widget is created the first time its node appears
and keeps its identity for as long as a node of the same kind and key stays in the same
container (a button keeps its identity while it means the same thing); only the properties
that differ are set; a tree equal to the last one touches no widget at all. Buttons are
keyed by what they do (``action:next``), so a background result can never delete the button
under a finger, and nothing is ever rebuilt "to be safe".

Nodes hold data only (no callbacks): a button names an action and a value, and the screen
that owns the tree decides what a tap means. That keeps trees comparable with ``==``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

Props = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Node:
    kind: str
    key: str
    props: Props = ()
    children: tuple[Node, ...] = ()

    def get(self, name: str, default: Any = None) -> Any:
        for k, v in self.props:
            if k == name:
                return v
        return default


def _props(**kw: Any) -> Props:
    return tuple(sorted((k, v) for k, v in kw.items() if v is not None))


def action_name(action: object, value: object = None) -> str:
    """The object name a button is found by (tests, the journey driver, screen readers' tools):
    ``action:next``, ``action:select_matter:CODE``."""
    act = getattr(action, "value", action)
    return f"action:{act}" + (f":{value}" if isinstance(value, str) else "")


# -- node constructors ---------------------------------------------------------------------

def Label(text: str, style: str = "", *, key: str = "", align: str = "", wrap: bool = True,
          stretch: int = 0, accessible: str = "") -> Node:
    """``style``: the object name the theme styles (title, hint, error, ok, source, panel)."""
    return Node("label", key or f"label:{style}:{text[:24]}",
                _props(text=text, style=style, align=align, wrap=wrap, stretch=stretch,
                       accessible=accessible))


def Button(text: str, action: object, value: object = None, *, primary: bool = False,
           enabled: bool = True, checkable: bool = False, checked: bool = False,
           tile: bool = False, name: str = "", key: str = "", stretch: int = 0,
           accessible: str = "", icon: str = "", role: str = "") -> Node:
    """``accessible``: the name a screen reader says (defaults to the text on one line);
    ``role``: a style hint (``danger``, ``quiet``)."""
    name = name or action_name(action, value)
    return Node("button", key or name,
                _props(text=text, action=action, value=value, primary=primary,
                       enabled=enabled, checkable=checkable, checked=checked, tile=tile,
                       name=name, stretch=stretch, accessible=accessible or
                       " ".join(text.split()), icon=icon or None, role=role or None))


def Field(name: str, text: str, action: object, field_key: str, *, placeholder: str = "",
          readonly: bool = False, invalid: bool = False, input_kind: str = "text",
          max_length: int = 0, accessible: str = "", key: str = "") -> Node:
    """A one-line text input; typing sends ``action`` with ``(field_key, text)``. ``text``
    is put into the widget only while it does not have the focus (never under the typist)."""
    return Node("field", key or name,
                _props(name=name, text=text, action=action, field_key=field_key,
                       placeholder=placeholder, readonly=readonly, invalid=invalid,
                       input_kind=input_kind, max_length=max_length,
                       accessible=accessible or placeholder or name))


def Box(*children: Node, key: str, horizontal: bool = False, spacing: int = 12,
        stretch: int = 0, style: str = "", align: str = "", max_width: int = 0) -> Node:
    return Node("box", key, _props(horizontal=horizontal, spacing=spacing, stretch=stretch,
                                   style=style, align=align, max_width=max_width),
                tuple(children))


def Row(*children: Node, key: str, spacing: int = 12, stretch: int = 0) -> Node:
    return Box(*children, key=key, horizontal=True, spacing=spacing, stretch=stretch)


def Panel(*children: Node, key: str, stretch: int = 0) -> Node:
    return Box(*children, key=key, style="panel", stretch=stretch)


def Grid(*children: Node, key: str, columns: int, spacing: int = 12, max_width: int = 0,
         align: str = "") -> Node:
    return Node("grid", key, _props(columns=max(1, columns), spacing=spacing,
                                    max_width=max_width, align=align), tuple(children))


def Busy(key: str = "busy") -> Node:
    """An indeterminate progress bar: the time depends on the network or the printer."""
    return Node("busy", key)


def Image(data: bytes, key: str, name: str = "", fit: tuple[int, int] = (0, 0)) -> Node:
    """``fit``: (width, height) the picture is scaled into, keeping its proportions."""
    return Node("image", key, _props(data=data, name=name, fit=fit))


def Stretch(key: str = "stretch", factor: int = 1) -> Node:
    return Node("stretch", key, _props(stretch=factor))


def Own(key: str, stretch: int = 0, align: str = "") -> Node:
    """A widget the screen keeps for itself (camera preview, animation, search field): placed
    by the tree, never created or deleted by it."""
    return Node("own", key, _props(stretch=stretch, align=align))


def Scroll(*children: Node, key: str = "scroll", stretch: int = 1) -> Node:
    return Node("scroll", key, _props(stretch=stretch), tuple(children))


# -- the reconciler ------------------------------------------------------------------------

ALIGN = {"": Qt.AlignmentFlag(0), "center": Qt.AlignmentFlag.AlignCenter,
         "hcenter": Qt.AlignmentFlag.AlignHCenter, "right": Qt.AlignmentFlag.AlignRight,
         "left": Qt.AlignmentFlag.AlignLeft, "top": Qt.AlignmentFlag.AlignTop}


def repolish(w: QWidget) -> None:
    """Apply the style sheet again after a property or object name the sheet selects on
    changed (Qt does not notice by itself)."""
    w.style().unpolish(w)
    w.style().polish(w)


@dataclass
class Host:
    """What the widgets of a tree need from their screen: where taps and typing go, and the
    widgets the screen owns."""

    tap: Callable[[object, object], None]
    owned: dict[str, QWidget] = field(default_factory=dict)
    # Widgets created and updated, counted for the tests that prove nothing was touched.
    created: int = 0
    updated: int = 0


class Container(QFrame):
    """A box or grid whose children are kept by (kind, key)."""

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.slots: dict[tuple[str, str], QWidget] = {}
        self.node: Node | None = None
        self.setFrameShape(QFrame.Shape.NoFrame)
        if node.kind == "grid":
            self.grid: QGridLayout | None = QGridLayout(self)
            self.box: QBoxLayout | None = None
            self.grid.setContentsMargins(0, 0, 0, 0)
        else:
            self.grid = None
            self.box = QHBoxLayout(self) if node.get("horizontal") else QVBoxLayout(self)
            if node.get("style") != "panel":
                self.box.setContentsMargins(0, 0, 0, 0)

    def layout_(self) -> QLayout:
        lay = self.grid if self.grid is not None else self.box
        assert lay is not None
        return lay


def _apply_container(c: Container, node: Node) -> None:
    old = c.node
    if old is None or old.props != node.props:
        c.layout_().setSpacing(node.get("spacing", 12))
        style = node.get("style", "")
        if c.objectName() != style:
            c.setObjectName(style)
            if old is not None:
                repolish(c)
        width = node.get("max_width", 0)
        c.setMaximumWidth(width if width else 16777215)
    c.node = node


def _make(node: Node, host: Host) -> QWidget:
    host.created += 1
    kind = node.kind
    w: QWidget
    if kind in ("box", "grid"):
        w = Container(node)
    elif kind == "label":
        w = QLabel()
        w.setTextFormat(Qt.TextFormat.PlainText)  # citizen data is never interpreted as HTML
    elif kind == "button":
        b = QPushButton()
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a tap must not take the focus (keyboard)

        def clicked(_checked: bool = False, button: QPushButton = b) -> None:
            n = _node_of(button)
            if n is None:  # pragma: no cover - a button is given its node when made
                return
            if n.get("checkable"):  # the machine decides what is checked, not the click
                button.setChecked(bool(n.get("checked")))
            host.tap(n.get("action"), n.get("value"))

        b.clicked.connect(clicked)
        w = b
    elif kind == "field":
        e = QLineEdit()
        e.setProperty("invalid", False)  # set before the first show: no re-polish later

        def edited(text: str, edit: QLineEdit = e) -> None:
            n = _node_of(edit)
            if n is None:  # pragma: no cover - a field is given its node when made
                return
            key = n.get("field_key")
            host.tap(n.get("action"), (key, text) if key else text)

        e.textEdited.connect(edited)
        w = e
    elif kind == "busy":
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        w = bar
    elif kind == "image":
        w = QLabel()
    elif kind == "stretch":
        w = QWidget()
        w.setObjectName("stretch")  # transparent (theme): empty room shows what is behind
        w.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
    elif kind == "scroll":
        area = QScrollArea()
        # A touch on a button in the list must not take the focus from the field being
        # typed: the keyboard would close under the finger, the list would move, and the
        # release would land on another button (a lost tap).
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        area.setWidget(Container(Node("box", node.key + ":body")))
        w = area
    elif kind == "own":
        w = host.owned[node.key]
    else:  # pragma: no cover - a new kind without a maker is a bug
        raise ValueError(f"unknown node kind {kind!r}")
    _update(w, None, node, host)
    return w


def _set_text(w: QLabel | QPushButton, text: str) -> None:
    if w.text() != text:
        w.setText(text)


def _update(w: QWidget, old: Node | None, node: Node, host: Host) -> None:
    """Set on ``w`` what differs between ``old`` and ``node``."""
    kind = node.kind
    if old is not None and old == node:
        return  # the same subtree: nothing to touch
    if kind in ("box", "grid"):
        assert isinstance(w, Container)
        _apply_container(w, node)
        sync_children(w, node.children, host)
        return
    if kind == "scroll":
        assert isinstance(w, QScrollArea)
        body = w.widget()
        assert isinstance(body, Container)
        sync_children(body, node.children, host)
        return
    if old is not None:
        host.updated += 1
    p = dict(node.props)
    o = dict(old.props) if old is not None else {}
    if kind == "label":
        assert isinstance(w, QLabel)
        _set_text(w, p.get("text", ""))
        if o.get("wrap") != p.get("wrap"):
            w.setWordWrap(bool(p.get("wrap")))
        if o.get("align") != p.get("align"):
            w.setAlignment(ALIGN[p.get("align", "")] or Qt.AlignmentFlag.AlignLeft)
        style = p.get("style", "")
        if w.objectName() != style:
            w.setObjectName(style)
            if old is not None:
                repolish(w)
        if p.get("accessible"):
            w.setAccessibleName(p["accessible"])
    elif kind == "button":
        assert isinstance(w, QPushButton)
        _set_text(w, p.get("text", ""))
        if w.objectName() != p.get("name", ""):
            w.setObjectName(p.get("name", ""))
        if w.accessibleName() != p.get("accessible", ""):
            w.setAccessibleName(p.get("accessible", ""))
        restyle = False
        for prop in ("primary", "tile", "role"):
            value = p.get(prop) or False
            if w.property(prop) != value:
                w.setProperty(prop, value)
                restyle = True
        if restyle and old is not None:
            repolish(w)
        if w.isCheckable() != bool(p.get("checkable")):
            w.setCheckable(bool(p.get("checkable")))
        if w.isCheckable() and w.isChecked() != bool(p.get("checked")):
            w.setChecked(bool(p.get("checked")))
        if w.isEnabled() != bool(p.get("enabled", True)):
            w.setEnabled(bool(p.get("enabled", True)))
        icon = p.get("icon")
        if icon != o.get("icon") or bool(p.get("primary")) != bool(o.get("primary")):
            from ui.icons import icon as load_icon

            w.setIcon(load_icon(icon or "", bool(p.get("primary"))))
    elif kind == "field":
        assert isinstance(w, QLineEdit)
        if w.objectName() != p["name"]:
            w.setObjectName(p["name"])
        text = p.get("text", "")
        if w.text() != text and not w.hasFocus():
            w.setText(text)
        if w.placeholderText() != p.get("placeholder", ""):
            w.setPlaceholderText(p.get("placeholder", ""))
        if w.isReadOnly() != bool(p.get("readonly")):
            w.setReadOnly(bool(p.get("readonly")))
        if w.property("inputKind") != p.get("input_kind"):
            w.setProperty("inputKind", p.get("input_kind"))
        limit = p.get("max_length") or 32767
        if w.maxLength() != limit:
            w.setMaxLength(limit)
        if w.accessibleName() != p.get("accessible", ""):
            w.setAccessibleName(p.get("accessible", ""))
        if w.property("invalid") != bool(p.get("invalid")):  # re-style only on a change
            w.setProperty("invalid", bool(p.get("invalid")))
            repolish(w)
    elif kind == "image":
        assert isinstance(w, QLabel)
        if o.get("data") != p.get("data") or o.get("fit") != p.get("fit"):
            img = QImage.fromData(p.get("data") or b"")
            fw, fh = p.get("fit") or (0, 0)
            if fw and fh and not img.isNull():
                img = img.scaled(fw, fh, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
            w.setPixmap(QPixmap.fromImage(img) if not img.isNull() else QPixmap())
        if p.get("name") and w.objectName() != p["name"]:
            w.setObjectName(p["name"])


def _node_of(w: QWidget) -> Node | None:
    node: Node | None = getattr(w, "_view_node", None)
    return node


def sync_children(c: Container, nodes: tuple[Node, ...], host: Host) -> None:
    """Make the children of ``c`` what ``nodes`` describe, reusing widgets by (kind, key)."""
    wanted: list[tuple[tuple[str, str], Node]] = []
    seen: set[tuple[str, str]] = set()
    for n in nodes:
        k = (n.kind, n.key)
        if k in seen:  # pragma: no cover - two children with one key is a screen bug
            raise ValueError(f"duplicate key {k} in one container")
        seen.add(k)
        wanted.append((k, n))
    for k in [k for k in c.slots if k not in seen]:
        _drop(c, c.slots.pop(k), k[0] == "own")
    for index, (k, n) in enumerate(wanted):
        w = c.slots.get(k)
        if w is None:
            w = _make(n, host)
            c.slots[k] = w
        else:
            _update(w, _node_of(w), n, host)
        setattr(w, "_view_node", n)  # noqa: B010 - the click and the next sync read it
        _place(c, w, index, n)
        if n.kind == "own" and w.isHidden():
            w.show()


def _place(c: Container, w: QWidget, index: int, n: Node) -> None:
    stretch = n.get("stretch", 0) or 0
    # A label aligns its text and takes the full width: aligned in the layout it would get
    # its one-line width, and a wrapped label the wrong height (lines cut off).
    align = ALIGN[n.get("align", "") or ""] if n.kind != "label" else ALIGN[""]
    if c.grid is not None:
        columns = c.node.get("columns", 1) if c.node is not None else 1
        r, col = divmod(index, columns)
        at = c.grid.indexOf(w)
        placed: Any = c.grid.getItemPosition(at) if at >= 0 else None  # (row, col, rows, cols)
        if placed is None or tuple(placed)[:2] != (r, col):
            if at >= 0:
                c.grid.removeWidget(w)
            c.grid.addWidget(w, r, col)
        return
    box = c.box
    assert box is not None
    at = box.indexOf(w)
    if at != index:
        if at >= 0:
            box.removeWidget(w)
        box.insertWidget(index, w, stretch, align)
    else:
        if box.stretch(index) != stretch:
            box.setStretch(index, stretch)
        if align and box.itemAt(index) is not None:
            box.setAlignment(w, align)


def _drop(c: Container, w: QWidget, owned: bool) -> None:
    c.layout_().removeWidget(w)
    w.hide()
    if owned:
        w.setParent(None)
        return  # the screen keeps it for its next visit
    # Not reparented: taking a widget out as a window of its own costs ~0.15 ms each (a third
    # of a session-end wipe); hidden, it is deleted with its children at the next turn.
    # Owned widgets further down outlive the containers that held them.
    inner = w.widget() if isinstance(w, QScrollArea) else w
    if isinstance(inner, Container):
        clear(inner)
    w.deleteLater()


def clear(c: Container) -> None:
    """Drop every child (the session ended: nothing that showed citizen data remains)."""
    for k in list(c.slots):
        _drop(c, c.slots.pop(k), k[0] == "own")
    # The layout around ``c`` keeps its old minimum size (a cached size hint) until ``c``
    # says it changed: a screen wiped while hidden held the whole window at the size its
    # content needed (1280×776 when 1280×720 was asked for; tests/ui/test_fit.py).
    c.updateGeometry()


def alive(w: QWidget | None) -> bool:
    return w is not None and shiboken6.isValid(w)


def refresh_icons(root: QWidget) -> None:
    """Redraw every button icon under ``root`` (the theme's colours changed)."""
    from ui.icons import icon as load_icon

    for b in root.findChildren(QPushButton):
        n = _node_of(b)
        if n is not None and n.get("icon"):
            b.setIcon(load_icon(n.get("icon"), bool(n.get("primary"))))
