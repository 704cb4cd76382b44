"""Everything a window shows or holds as text: labels, inputs, buttons, item models, window
titles, tool tips, pixmaps. The idle-wipe test and the selftest look for citizen data in it."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
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
