"""Keeps ``None``, ``True`` and ``False`` alive under PySide6 6.12.0 on CPython 3.11.

Measured here (``sys.getrefcount(None)`` before/after 300 calls): every void-returning Qt
method call in PySide6 6.12.0 — ``setVisible``, ``setEnabled``, ``setText``, ``hide`` … —
takes one reference from ``None`` that it never gave, as if ``None`` were immortal (it is only
from CPython 3.12 on). A kiosk that runs for hours drives the count to zero and the process
dies with "Fatal Python error: none_dealloc" (we saw it after ~200 journeys, and at the end
of a long test run; ``bool_dealloc`` likewise for ``True``).

These three objects are static singletons that are never freed, so raising their reference
counts by a large constant is harmless; it makes them effectively immortal, as 3.12 does.
Remove this module when the interpreter is 3.12+ or PySide6 no longer has the bug.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # ~10^12 calls: beyond any kiosk's uptime


def protect_singletons() -> bool:
    """Applied once; returns True when it was needed (CPython < 3.12)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if getattr(sys, "_kiosk_singletons_protected", False):
        return True
    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object (Include/object.h).
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEADROOM
    sys._kiosk_singletons_protected = True  # type: ignore[attr-defined]
    return True
