"""``kiosk diag export``: a diagnostic bundle for technicians and the help desk.

The bundle holds what the kiosk's own commands report (doctor, queue status, audit chain,
effective config with secrets hidden), versions, and the tail of the log masked once more.
Each part is collected by running the command in a child process, so one broken part still
leaves the rest of the bundle.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tarfile
import time
from importlib import metadata
from pathlib import Path

from kiosk.audit import AuditLog, audit_path
from kiosk.config import load_settings
from kiosk.privacy import mask_text

PARTS = {
    "doctor.json": ["doctor", "--json"],
    "queue-status.json": ["queue", "status", "--json"],
    "audit-verify.json": ["audit", "verify", "--json"],
    "config.json": ["config", "show", "--json"],
}
LOG_TAIL_BYTES = 512 * 1024
VERSIONED = ("hall-kiosk", "PySide6-Essentials", "opencv-python-headless", "python-escpos",
             "pyserial", "requests", "sqlite-utils", "cryptography", "zxing-cpp")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diag", help="export a diagnostic bundle (no citizen data)")
    p.add_argument("action", choices=("export",))
    p.add_argument("--out", metavar="FILE.tar.gz", help="where to write the bundle")
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


def _versions() -> bytes:
    info: dict[str, str] = {"python": sys.version, "platform": platform.platform()}
    for name in VERSIONED:
        try:
            info[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            info[name] = "not installed"
    return json.dumps(info, indent=2).encode()


def _log_tail(log_dir: Path) -> bytes:
    path = log_dir / "kiosk.log"
    if not path.exists():
        return b""
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - LOG_TAIL_BYTES))
        return mask_text(f.read().decode("utf-8", "replace")).encode("utf-8")


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = Path(args.out) if args.out else (
        settings.kiosk.data_dir / "diag" / f"diag-{settings.kiosk.device_id}-{stamp}.tar.gz")
    out.parent.mkdir(parents=True, exist_ok=True)
    files = {name: _run_part(argv, args.config) for name, argv in PARTS.items()}
    files["versions.json"] = _versions()
    files["kiosk.log"] = _log_tail(settings.kiosk.log_dir)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for name, data in files.items():
            ti = tarfile.TarInfo(f"diag-{stamp}/{name}")
            ti.size, ti.mtime, ti.mode = len(data), int(time.time()), 0o600
            tar.addfile(ti, io.BytesIO(data))
    AuditLog(audit_path(settings.kiosk.data_dir)).record(
        "tech.diagnostics_exported", actor="technician", file=out.name)
    print(out)
    return 0
