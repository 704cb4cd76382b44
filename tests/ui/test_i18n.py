"""Every on-screen string has an English translation, and the compiled file is loadable."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from ui.i18n import HERE, set_language, tr

UI = HERE.parent


def test_every_ui_string_is_translated_to_english(tmp_path: Path) -> None:
    ts = tmp_path / "en.ts"
    shutil.copy(HERE / "en.ts", ts)
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    sources = sorted(str(p) for p in UI.rglob("*.py") if "i18n" not in p.parts)
    subprocess.run([str(lupdate), *sources, "-no-obsolete", "-locations", "none", "-ts", str(ts)],
                   check=True, capture_output=True)
    missing = [m.findtext("source") for m in ET.parse(ts).iter("message")
               if m.find("translation") is not None
               and (m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
                    or not (m.findtext("translation") or "").strip())]
    assert missing == [], "run `python -m ui.i18n.update` and translate: " + ", ".join(
        str(x) for x in missing)


def test_english_switches_on_and_off(qapp: QCoreApplication) -> None:
    set_language("en")
    try:
        assert tr("办理业务") == "Apply for a service"
    finally:
        set_language("zh_CN")
    assert tr("办理业务") == "办理业务"


def test_every_declared_device_label_has_its_english(qapp: QCoreApplication) -> None:
    """A device class or role declared once (kiosk.device_classes/device_roles) is named in
    English on the technician screen too, not left in Chinese."""
    from kiosk.device_classes import device_classes
    from kiosk.device_roles import device_roles
    from ui.texts import DEVICE_LABELS, device_class

    declared = {c.label for c in device_classes()} | {r.label for r in device_roles()}
    assert declared <= set(DEVICE_LABELS), "add the new label to ui.texts.DEVICE_LABELS"
    set_language("en")
    try:
        for code in [c.name for c in device_classes()] + [r.name for r in device_roles()]:
            name = device_class(code)
            assert name.isascii() and name, f"{code}: {name!r}"
    finally:
        set_language("zh_CN")
