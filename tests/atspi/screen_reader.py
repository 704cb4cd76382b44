"""An outside program that reads the kiosk's window the way a screen reader does, over AT-SPI
(Debian's python3-pyatspi, run by the system's python3, not the kiosk's venv): it prints one
JSON line with the push buttons and check boxes shown, and with ``--press NAME`` it first
presses the named button through its accessible action, as assistive technology would.

    /usr/bin/python3 tests/atspi/screen_reader.py APP-NAME [--press NAME]
"""

from __future__ import annotations

import json
import sys

import pyatspi

ROLES = ("push button", "check box", "toggle button", "radio button")


def find_app(name: str):  # type: ignore[no-untyped-def]
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.name == name:
            return app
    return None


def controls(node, out):  # type: ignore[no-untyped-def]
    try:
        role = node.getRoleName()
        state = node.getState()
    except Exception:  # a widget that went away while being read
        return out
    if role in ROLES and state.contains(pyatspi.STATE_SHOWING):
        out.append({"node": node, "role": role, "name": node.name,
                    "enabled": state.contains(pyatspi.STATE_ENABLED)})
    for child in node:
        if child is not None:
            controls(child, out)
    return out


def main(argv: list[str]) -> int:
    app = find_app(argv[0])
    if app is None:
        print(json.dumps({"app": None}))
        return 0
    found = controls(app, [])
    if "--press" in argv:
        name = argv[argv.index("--press") + 1]
        target = next((c for c in found if c["name"] == name and c["enabled"]), None)
        if target is not None:
            action = target["node"].queryAction()
            names = [action.getName(i) for i in range(action.nActions)]
            action.doAction(names.index("press") if "press" in names else 0)
        print(json.dumps({"pressed": target is not None}))
        return 0
    print(json.dumps({"app": argv[0], "controls": [
        {k: v for k, v in c.items() if k != "node"} for c in found]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
