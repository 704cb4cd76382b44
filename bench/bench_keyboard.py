"""On-screen keyboard: keystroke-to-candidate latency of the Pinyin layout beside typing into a
plain QLineEdit (the baseline: a hardware key event and the field's repaint), in one
offscreen process, in a 1280x720 window with the kiosk's theme.

For each keystroke, the time from the tap (mouse press and release on the key, through
``KeyboardPanel.press``, the pinyin lookup and the candidate bar's relabelling) until the
window has painted (``repaint()``, synchronous) — what a citizen waits for before the
candidates show. Measured: every letter of common kiosk words (names, places, matters),
the first candidate taken with the space key (the commit into the field), the English
layout (key events, no lookup), and the plain QLineEdit. Also: the table's first load (on
a worker thread while the citizen reaches for the first key, see ``pinyin.preload``) and
the lookup alone.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_keyboard.py [--runs N]``.
A benchmark, not a timed test: figures vary with the machine (docs/keyboard.md quotes one).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import Qt, qInstallMessageHandler  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QLabel,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.keyboard import KeyboardDock, pinyin  # noqa: E402
from ui.keyboard.panel import KeyboardPanel, KeyButton  # noqa: E402
from ui.theme import Theme, ui_font_family  # noqa: E402

WORDS = ["nihao", "zhangsan", "wangxiaoming", "hangzhou", "xihuqu", "beijingshi",
         "gongjijin", "juzhuzheng", "shenfenzheng", "zhonghuarenmingongheguo"]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Window(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.resize(1280, 720)
        self.theme = Theme(1280, 476.0, False, ui_font_family())
        self.setStyleSheet(self.theme.stylesheet())
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        body = QWidget()
        form = QVBoxLayout(body)
        self.fields = []
        for i in range(8):
            form.addWidget(QLabel(f"第 {i + 1} 项"))
            edit = QLineEdit()
            form.addWidget(edit)
            self.fields.append(edit)
        scroller.setWidget(body)
        outer.addWidget(scroller, 1)
        self.setCentralWidget(central)
        t = self.theme
        self.dock = KeyboardDock(self, outer, sizes=lambda: (t.target, t.font_px,
                                                               t.min_target, t.elderly))

    @property
    def panel(self) -> KeyboardPanel:
        return self.dock.panel


def keys_of(panel: KeyboardPanel) -> dict[str, KeyButton]:
    page = panel.pages.currentWidget()
    return {b.key: b for b in page.findChildren(KeyButton) if b.isVisible()}


def timed(action: Callable[[], None], window: QWidget) -> float:
    t0 = time.perf_counter()
    action()
    window.repaint()  # until the window has painted what changed
    return (time.perf_counter() - t0) * 1000


def summary(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (f"{name:<44}{len(ms):>6}  {statistics.median(ms):>8.2f}  {p95:>8.2f}  "
            f"{ms[-1]:>8.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="times each word is typed")
    args = ap.parse_args()
    qInstallMessageHandler(lambda *_: None)  # offscreen: "does not support propagateSizeHints"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    before = rss_mb()
    t0 = time.perf_counter()
    pinyin.table()
    load_ms = (time.perf_counter() - t0) * 1000
    table_mb = rss_mb() - before

    w = Window()
    w.show()
    app.processEvents()
    field = w.fields[0]
    field.setFocus()
    w.dock.open_for(field)
    app.processEvents()
    panel = w.panel
    keys = keys_of(panel)

    def tap(k: str) -> Callable[[], None]:
        return lambda: QTest.mouseClick(keys[k], Qt.MouseButton.LeftButton)

    lookup: list[float] = []
    per_key: list[float] = []
    commit: list[float] = []
    by_word: dict[str, list[float]] = {}
    for _ in range(max(1, args.runs)):
        for word in WORDS:
            field.clear()
            for i, ch in enumerate(word):
                c0 = time.perf_counter()
                pinyin.candidates(word[:i + 1], pinyin.table())
                lookup.append((time.perf_counter() - c0) * 1000)
                ms = timed(tap(ch), w)
                per_key.append(ms)
                by_word.setdefault(word, []).append(ms)
            assert panel.cand_buttons[0].isVisible(), word
            for _ in range(8):  # 王小 first, then 明: a word not in the table, part by part
                commit.append(timed(tap("space"), w))
                if not panel.composer.active:
                    break
            assert field.text() and not panel.composer.active, word

    english: list[float] = []
    panel.press("switch_lang")
    keys = keys_of(panel)
    for _ in range(max(1, args.runs)):
        for word in WORDS:
            field.clear()
            for ch in word:
                english.append(timed(tap(ch), w))

    panel.detach()
    plain: list[float] = []
    edit = w.fields[1]
    edit.setProperty("inputKind", "none")  # no keyboard: a hardware keyboard's key events
    edit.setFocus()
    app.processEvents()
    for _ in range(max(1, args.runs)):
        for word in WORDS:
            edit.clear()
            for ch in word:
                plain.append(timed(lambda c=ch: QTest.keyClick(edit, c), w))  # type: ignore[misc]

    import PySide6

    print("On-screen keyboard, 1280x720 offscreen window, kiosk theme "
          f"(Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}, "
          f"{os.cpu_count()} cores)")
    print(f"pinyin table first load: {load_ms:.0f} ms, +{table_mb:.1f} MB RSS "
          "(on a worker thread when a field opens the Pinyin layout)")
    print(f"{'keystroke → painted (ms)':<44}{'n':>6}  {'median':>8}  {'p95':>8}  {'max':>8}")
    print(summary("plain QLineEdit, key event (baseline)", plain))
    print(summary("English layout key → field", english))
    print(summary("Pinyin letter → candidates shown", per_key))
    print(summary("Pinyin space → first candidate in field", commit))
    print(summary("  of which the lookup alone", lookup))
    print("per word, Pinyin letter → candidates (median / max ms):")
    for word, ms in by_word.items():
        print(f"  {word:<26}{statistics.median(ms):>7.2f} / {max(ms):.2f}")
    base = statistics.median(plain)
    print(f"ratio Pinyin letter / plain QLineEdit keystroke (medians): "
          f"{statistics.median(per_key) / base:.1f}x; worst Pinyin keystroke "
          f"{max(per_key):.1f} ms (a 60 Hz frame is 16.7 ms)")
    w.close()


if __name__ == "__main__":
    main()
