"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every void Qt call; the guard
in ``ui`` keeps a long-running kiosk alive (the unguarded process dies after ~10^5 calls)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def _run(guarded: bool) -> subprocess.CompletedProcess[str]:
    code = textwrap.dedent(f"""
        import sys
        {"import ui" if guarded else ""}
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        label = QLabel()
        for _ in range(300_000):
            label.setVisible(False)
        print("survived")
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120)


def test_many_qt_calls_survive_with_the_guard() -> None:
    assert "survived" in _run(guarded=True).stdout


def test_guard_is_needed_on_this_interpreter_and_pyside() -> None:
    if sys.version_info >= (3, 12):
        return  # immortal None: nothing to guard against
    result = _run(guarded=False)
    # When PySide6 is fixed this fails: then delete ui/refcount_guard.py and this test.
    assert "survived" not in result.stdout and "none_dealloc" in result.stderr
