"""The ``kiosk`` parser imports only the module of the command asked for, so one command does
not pay for every other command's libraries; help and unknown commands still see them all."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from kiosk.cli import build_parser


def _command_modules_imported(*argv: str, program: bool = False) -> list[str]:
    """The command modules a parser for ``argv`` imports: the core's parser (kiosk.cli), or
    with ``program`` the ``kiosk`` script's (ui.cli: the core's commands and the UI's)."""
    packages = "(commands, ui_commands)" if program else "(commands,)"
    code = ("import json, sys\n"
            "from kiosk import commands\n"
            "from kiosk.cli import build_parser\n"
            + ("from ui import commands as ui_commands\n" if program else "") +
            f"build_parser({list(argv)!r}, {packages})\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith("
            "('kiosk.commands.', 'ui.commands.')))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True)
    return list(json.loads(out.stdout))


def test_a_command_imports_only_its_own_module() -> None:
    assert _command_modules_imported("--config", "kiosk.toml", "receipt", "sample") == \
        ["kiosk.commands.receipt"]
    assert _command_modules_imported("--config=kiosk.toml", "config", "show") == \
        ["kiosk.commands.config_cmd"]


def test_the_kiosk_program_offers_the_commands_that_start_the_window() -> None:
    # `kiosk run` and `kiosk selftest` (README, Makefile, the systemd unit) live in ui.commands:
    # the core's parser does not know them, the program's (ui.cli) does, importing only its own.
    assert _command_modules_imported("--config", "kiosk.toml", "run", program=True) == \
        ["ui.commands.run"]
    assert _command_modules_imported("selftest", "--json", program=True) == \
        ["ui.commands.selftest"]
    every = _command_modules_imported("--help", program=True)
    assert {"ui.commands.run", "ui.commands.selftest", "kiosk.commands.doctor"} <= set(every)
    assert not any(m.startswith("ui.") for m in _command_modules_imported("--help"))


def test_the_kiosk_script_is_the_program() -> None:
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["scripts"]["kiosk"] == "ui.cli:main"
    out = subprocess.run([sys.executable, "-m", "kiosk", "--help"], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert " run " in out and " selftest " in out and " doctor " in out


def test_help_and_unknown_commands_see_every_command() -> None:
    every = _command_modules_imported("--help")
    assert "kiosk.commands.printer" in every and "kiosk.commands.idcard" in every
    assert _command_modules_imported("no-such-command") == every


@pytest.mark.parametrize(("argv", "command"), [
    (["printer", "status", "--json"], "printer"),
    (["--config", "kiosk.toml", "config", "show"], "config")])
def test_the_narrow_parser_parses_like_the_full_one(argv: list[str], command: str) -> None:
    narrow = vars(build_parser(argv).parse_args(argv))
    full = vars(build_parser(["--help"]).parse_args(argv))
    assert narrow == full and narrow["command"] == command and callable(narrow["func"])


def test_help_texts_are_plain_text_without_restructuredtext_markup() -> None:
    from kiosk import commands
    from ui import commands as ui_commands

    parser = build_parser(["--help"], (commands, ui_commands))
    helps = [parser.format_help()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps += [p.format_help() for p in action.choices.values()]
    assert len(helps) > 10
    for text in helps:
        assert "``" not in text and not any(line.rstrip().endswith("::")
                                            for line in text.splitlines()), text[:200]
