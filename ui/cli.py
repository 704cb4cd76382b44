"""The ``kiosk`` program: the core's commands (kiosk.commands) and the ones that start the
window (ui.commands). The one place that knows both layers' commands: ``kiosk.cli`` itself
never imports the UI."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk import cli, commands
from ui import commands as ui_commands


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, (commands, ui_commands))
