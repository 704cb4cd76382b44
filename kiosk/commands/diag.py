"""``kiosk diag export``: a diagnostic bundle for technicians and the help desk.

The bundle holds what the kiosk's own commands report (doctor, queue status, audit chain,
effective config with secrets hidden), versions, and the tail of the log masked once more.
Each part is collected by running the command in a child process, so one broken part still
leaves the rest of the bundle. The bundle itself is written by ``kiosk.diag_bundle``, which
the technician screen of a running kiosk uses too (with parts collected in-process).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from kiosk.commands._actor import add_staff_option, cli_audit, os_actor  # noqa: F401
from kiosk.config import load_settings
from kiosk.diag_bundle import common_parts, default_bundle_path, stamp_now, write_bundle
from kiosk.privacy import mask_text

PARTS = {
    "doctor.json": ["doctor", "--json"],
    "queue-status.json": ["queue", "status", "--json"],
    "audit-verify.json": ["audit", "verify", "--json", "--offline"],
    "config.json": ["config", "show", "--json"],
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("diag", help="export a diagnostic bundle (no citizen data)")
    p.add_argument("action", choices=("export",))
    p.add_argument("--out", metavar="FILE.tar.gz", help="where to write the bundle")
    add_staff_option(p)
    p.set_defaults(func=run)


def _run_part(argv: list[str], config: str | None) -> bytes:
    cmd = [sys.executable, "-m", "kiosk"] + (["--config", config] if config else []) + argv
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return json.dumps({"error": "timed out after 60 s"}).encode()
    out = proc.stdout if proc.stdout.strip() else json.dumps(
        {"error": mask_text(proc.stderr.decode("utf-8", "replace")[-2000:]),
         "exit": proc.returncode}).encode()
    return mask_text(out.decode("utf-8", "replace")).encode("utf-8")


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    stamp = stamp_now()
    out = Path(args.out) if args.out else default_bundle_path(settings, stamp)
    files = {name: _run_part(argv, args.config) for name, argv in PARTS.items()}
    files.update(common_parts(settings))
    write_bundle(out, files, stamp)
    cli_audit(settings, args, "tech.diagnostics_exported", file=out.name)
    print(out)
    return 0
