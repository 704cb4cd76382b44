"""The ``kiosk`` command line.

Each module in ``kiosk/commands/`` defines ``register(subparsers)`` and adds its subcommand(s)
with ``set_defaults(func=handler)``; a handler takes the parsed args and returns the exit
status. Expected failures print one line and exit non-zero; a traceback only reaches the log.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import re
import sys
from collections.abc import Sequence
from types import ModuleType

from kiosk import __version__, commands
from kiosk.config import ConfigError
from kiosk.logs import block_basic_config

log = logging.getLogger("kiosk.cli")

EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE


def build_parser(argv: Sequence[str] | None = None,
                 packages: Sequence[ModuleType] = (commands,)) -> argparse.ArgumentParser:
    """The parser. Given the command line, only the asked command's module is imported (one
    module per command, named after it; ``config_cmd`` for ``config``): each pulls in its own
    stack (Qt, OpenCV, escpos …) and ``kiosk printer status`` needs none of the others.
    Help, no command or an unknown one get every command. ``packages``: the command packages
    (``kiosk.commands``; the program's entry ``ui.cli`` adds ``ui.commands``, whose commands
    start the window: the core never imports the UI)."""
    modules = {m.name: f"{pkg.__name__}.{m.name}" for pkg in packages
               for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_")}
    wanted = _command_in(argv)
    own = [modules[n] for n in sorted(modules) if n in (wanted, f"{wanted}_cmd")] \
        if wanted else []
    if own:
        parser, sub = _bare_parser()
        _register(sub, own)
        if wanted in sub.choices:
            return parser
    parser, sub = _bare_parser()
    _register(sub, [modules[n] for n in sorted(modules)])
    return parser


def _bare_parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction[argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Self-service kiosk terminal of the 一窗受理 service hall.",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--config", metavar="FILE",
                        help="kiosk.toml to use (default: $KIOSK_CONFIG, else the bundled one)")
    return parser, parser.add_subparsers(dest="command", metavar="COMMAND")


def _register(sub: argparse._SubParsersAction[argparse.ArgumentParser], modules: Sequence[str]) -> None:
    for module in modules:
        importlib.import_module(module).register(sub)
    for parser in sub.choices.values():
        _plain_help(parser)


def plain(text: str) -> str:
    """Docstrings are reStructuredText (``code``, a paragraph ending ``::``); a terminal
    shows plain text: 'code' and a single colon."""
    text = re.sub(r"``([^`]+)``", r"'\1'", text)
    return re.sub(r"(\S)::$", r"\1:", re.sub(r"\s::$", "", text, flags=re.M), flags=re.M)


def _plain_help(parser: argparse.ArgumentParser) -> None:
    if parser.description:
        parser.description = plain(parser.description)
    if parser.epilog:
        parser.epilog = plain(parser.epilog)
    for action in parser._actions:
        if action.help and action.help is not argparse.SUPPRESS:
            action.help = plain(action.help)
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _plain_help(child)


def _command_in(argv: Sequence[str] | None) -> str | None:
    """The command word of a command line (``--config FILE`` may come before it)."""
    args = iter(sys.argv[1:] if argv is None else argv)
    for arg in args:
        if arg == "--config":
            next(args, None)
        elif not arg.startswith("--config="):
            # --help, --version or a mistake: the full parser answers
            return None if arg.startswith("-") else arg
    return None


def main(argv: Sequence[str] | None = None,
         packages: Sequence[ModuleType] = (commands,)) -> int:
    block_basic_config()
    parser = build_parser(argv, packages)
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        if args.command == "run":  # the touchscreen: its output is the log, not a terminal
            return int(func(args) or 0)
        from kiosk.cli_text import escaped_output

        with escaped_output():  # nothing printed can drive the terminal (#14 item 10)
            return int(func(args) or 0)
    except ConfigError as exc:
        print(f"kiosk: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("kiosk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: keep the trace in the log, tell the person one line
        where = _open_log(args)
        log.exception("unexpected error in kiosk %s", args.command)
        print(f"kiosk: internal error in '{args.command}' ({exc.__class__.__name__}); {where}",
              file=sys.stderr)
        return EXIT_INTERNAL


def _open_log(args: argparse.Namespace) -> str:
    """Makes sure the kiosk log (masked) receives the traceback, also for commands that
    never set logging up; says where it went, or why it could not be written."""
    from kiosk.logs import log_file, setup_logging

    try:
        current = log_file()
        if current is None:
            from kiosk.config import load_settings

            setup_logging(load_settings(getattr(args, "config", None)).kiosk.log_dir)
            current = log_file()
    except Exception as exc:  # noqa: BLE001 - the config may be what is broken
        return f"no kiosk log could be written ({exc.__class__.__name__}: {str(exc)[:200]})"
    if current is None:
        return "no kiosk log is configured"
    return f"details are in {current}"
