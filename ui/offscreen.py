"""Qt's offscreen platform for tests, the self-test and screenshots, with a screen big enough
for every kiosk size.

Offscreen's default screen is 800×800. Touch scrolling (QScroller) finds the widget under a
press by screen position, so a press on a 1280×800 window right of x=800 reached nothing: the
button never saw it. The shipped config gives a 3840×2160 screen without window frames.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

CONFIG = Path(__file__).resolve().parent / "assets" / "offscreen.json"


def use_offscreen(env: MutableMapping[str, str] = os.environ) -> None:
    """Select offscreen unless a platform was chosen; plain ``offscreen`` gets the config."""
    platform = env.get("QT_QPA_PLATFORM", "") or "offscreen"
    if platform == "offscreen":
        env["QT_QPA_PLATFORM"] = f"offscreen:configfile={CONFIG}"


def is_offscreen(env: MutableMapping[str, str] = os.environ) -> bool:
    return env.get("QT_QPA_PLATFORM", "").split(":", 1)[0] == "offscreen"
