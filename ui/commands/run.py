"""``kiosk run``: the touchscreen kiosk (demo mode with kiosk.toml as shipped: embedded
sandbox on loopback, simulated devices)."""

from __future__ import annotations

import argparse
import os
import sys

from kiosk.config import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run", help="start the touchscreen kiosk")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--fullscreen", action="store_true", default=None,
                   help="full screen (default: [ui] fullscreen)")
    g.add_argument("--windowed", dest="fullscreen", action="store_false")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            or os.environ.get("QT_QPA_PLATFORM")):
        print("kiosk: no display; run `make run` (it starts a virtual screen) or set DISPLAY",
              file=sys.stderr)
        return 1
    from kiosk.logs import setup_logging

    setup_logging(settings.kiosk.log_dir)
    if settings.kiosk.demo:
        print(f"kiosk: demo mode ({settings.kiosk.hall_name}): simulated devices, "
              "embedded sandbox on 127.0.0.1", flush=True)
    from ui.main import run as run_window

    return run_window(settings, args.fullscreen)
