"""The real kiosk window inside a Wayland kiosk compositor (run by run_keyboard_session.sh,
not by pytest): walk to the application form, tap a text field, type ``hangzhou`` on the
on-screen keyboard, take the first candidate, open the digit pad for a phone field, and
screenshot the compositor's output at each step. Writes ``report.json`` with what it saw.

    python -m tests.wayland.keyboard_session OUTDIR -- SCREENSHOT-COMMAND...

The screenshot command gets the PNG path appended (``grim``), or writes into the current
directory when it is ``weston-screenshooter``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QWidget

MESSAGES: list[str] = []


def _collect(kind: QtMsgType, _ctx: Any, text: str) -> None:
    MESSAGES.append(f"{kind.name}: {text}")


def _rect(w: QWidget, top: QWidget) -> QRect:
    return QRect(w.mapTo(top, QPoint(0, 0)), w.size())


def main(argv: list[str]) -> int:
    out = Path(argv[0]).resolve()
    shot_cmd = argv[argv.index("--") + 1:] if "--" in argv else ["grim"]
    out.mkdir(parents=True, exist_ok=True)
    qInstallMessageHandler(_collect)

    from kiosk.app_services import AppServices
    from kiosk.config import load_settings
    from ui.journey import Driver
    from ui.keyboard.panel import KeyButton
    from ui.main import application, build_kiosk
    from ui.selftest import demo_card_for, selftest_settings

    app = application()
    report: dict[str, Any] = {"platform": app.platformName(), "shots": [], "checks": {}}
    with tempfile.TemporaryDirectory() as tmp:
        settings = selftest_settings(load_settings(), Path(tmp))
        services = AppServices(settings)
        kiosk = build_kiosk(settings, services, catalog=services.catalog(), voice=False,
                            width=1280, height=720)
        window = kiosk.window
        window.showFullScreen()
        d = Driver(kiosk)

        def shot(name: str) -> None:
            d.pump(400)  # let the compositor get the frame
            path = out / name
            if Path(shot_cmd[0]).name == "weston-screenshooter":
                before = set(Path.cwd().glob("wayland-screenshot-*.png"))
                subprocess.run(shot_cmd, check=True, timeout=30)
                new = sorted(set(Path.cwd().glob("wayland-screenshot-*.png")) - before)
                new[-1].replace(path)
            else:
                subprocess.run([*shot_cmd, str(path)], check=True, timeout=30)
            report["shots"].append(str(path))

        try:
            sim = demo_card_for(services)
            matter = kiosk.machine.catalog.search("gjj")[0]
            d.start_apply()
            sim.present()
            d.choose("gjj", matter.code)
            screen = window.stack.currentWidget()
            edits = [e for e in screen.findChildren(QLineEdit)
                     if e.isVisible() and not e.isReadOnly()]
            field = edits[-1]
            panel = window.keyboard.panel
            QTest.mouseClick(field, Qt.MouseButton.LeftButton)
            d.pump()
            for ch in "hangzhou":
                key = next(b for b in panel.findChildren(KeyButton)
                           if b.key == ch and b.isVisible())
                QTest.mouseClick(key, Qt.MouseButton.LeftButton)
                d.pump(30)
            central = window.centralWidget()
            kb, where = _rect(panel, central), _rect(field, central)
            report["window"] = [window.width(), window.height()]
            report["keyboard"] = [kb.x(), kb.y(), kb.width(), kb.height()]
            report["field"] = [where.x(), where.y(), where.width(), where.height()]
            report["candidates"] = [b.text() for b in panel.cand_buttons if b.isVisible()]
            report["checks"]["keyboard shown inside the window"] = panel.isVisible() and (
                kb.bottom() == central.rect().bottom())
            report["checks"]["field above the keyboard"] = where.bottom() < kb.top()
            report["checks"]["杭州 first candidate"] = report["candidates"][:1] == ["杭州"]
            shot("1-pinyin-candidates.png")
            QTest.mouseClick(panel.cand_buttons[0], Qt.MouseButton.LeftButton)
            d.pump()
            report["checks"]["field got 杭州"] = field.text().endswith("杭州")
            shot("2-committed.png")
            field.setProperty("inputKind", "phone")  # as the form will mark its phone fields
            window.keyboard.open_for(field)
            d.pump()
            report["checks"]["phone field opens the digit pad"] = panel.layout_name == "digits"
            shot("3-digit-pad.png")
            kiosk.machine.elderly = True  # 大字版 keys, on the next opening
            window.keyboard.open_for(field)
            d.pump()
            report["key height elderly"] = next(
                b.height() for b in panel.findChildren(KeyButton) if b.isVisible() and b.key == "1")
            shot("4-digit-pad-elderly.png")
        finally:
            report["virtual keyboard warnings"] = [m for m in MESSAGES if "irtualkeyboard" in m]
            report["messages"] = MESSAGES[:50]
            kiosk.controller.shutdown()
            window.close()
            services.close()
    report["ok"] = all(report["checks"].values()) and not report["virtual keyboard warnings"]
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    app.quit()
    time.sleep(0.1)
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
