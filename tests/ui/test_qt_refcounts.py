"""The locked Python/PySide6 pair must not leak references from ``None``/``True``/``False``.

PySide6 6.12.0 on CPython 3.11 took one reference from ``None`` on every void Qt call (measured
here: -100,000 over 100,000 ``setVisible`` calls; the kiosk died with "none_dealloc" after ~200
journeys). The lock pins 6.11.3 (0 over the same calls), so the old ``ui/refcount_guard.py``
workaround is gone. If a lock update brings the regression back, these tests fail."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel

CALLS = 20_000


def test_void_qt_calls_leave_the_refcount_of_none_unchanged(qapp: object) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        label.setVisible(False)
        label.setText("")
    # Other threads may hold or drop a few references meanwhile; a leak would be 2 * CALLS.
    assert abs(sys.getrefcount(None) - before) < 100


def test_bool_arguments_leave_the_refcounts_of_true_and_false_unchanged(qapp: object) -> None:
    label = QLabel()
    before = (sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(CALLS):
        label.setEnabled(True)
        label.setEnabled(False)
        label.isEnabled()
    after = (sys.getrefcount(True), sys.getrefcount(False))
    assert abs(after[0] - before[0]) < 100 and abs(after[1] - before[1]) < 100
