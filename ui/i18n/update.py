"""Refresh ``en.ts`` from the sources (pyside6-lupdate) and compile ``en.qm`` (lrelease).

    python -m ui.i18n.update
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
UI = HERE.parent


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def main() -> int:
    sources = sorted(str(p) for p in UI.rglob("*.py") if "i18n" not in p.parts)
    subprocess.run([_tool("pyside6-lupdate"), *sources, "-no-obsolete", "-locations", "none",
                    "-ts", str(HERE / "en.ts")], check=True)
    subprocess.run([_tool("pyside6-lrelease"), str(HERE / "en.ts"), "-qm",
                    str(HERE / "en.qm")], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
