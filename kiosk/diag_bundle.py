"""The diagnostic bundle (a .tar.gz for technicians and the help desk), written one way for
both ``kiosk diag export`` (parts from child processes) and the technician screen of a
running kiosk (parts collected in-process: the running kiosk holds the serial ports a
``kiosk doctor`` child would try to open).

Every part is masked once more on the way in (ID and mobile numbers), whatever its source.
"""

from __future__ import annotations

import io
import json
import os
import platform
import sys
import tarfile
import time
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from kiosk.config import Settings, shown_settings
from kiosk.privacy import mask_log_text, mask_text

LOG_TAIL_BYTES = 512 * 1024
VERSIONED = ("hall-kiosk", "PySide6-Essentials", "opencv-python-headless", "python-escpos",
             "pyserial", "requests", "sqlite-utils", "cryptography", "zxing-cpp")


def default_bundle_path(settings: Settings, stamp: str) -> Path:
    return settings.kiosk.data_dir / "diag" / f"diag-{settings.kiosk.device_id}-{stamp}.tar.gz"


def versions() -> bytes:
    info: dict[str, str] = {"python": sys.version, "platform": platform.platform()}
    for name in VERSIONED:
        try:
            info[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            info[name] = "not installed"
    return json.dumps(info, indent=2).encode()


def log_tail(log_dir: Path) -> bytes:
    path = log_dir / "kiosk.log"
    if not path.exists():
        return b""
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - LOG_TAIL_BYTES))
        return f.read()


def config_json(settings: Settings) -> bytes:
    """The effective settings as ``kiosk config show --json`` prints them."""
    return json.dumps(shown_settings(settings), ensure_ascii=False).encode("utf-8")


def common_parts(settings: Settings) -> dict[str, bytes]:
    """The parts both variants collect the same way."""
    return {"versions.json": versions(), "kiosk.log": log_tail(settings.kiosk.log_dir)}


def write_bundle(out: Path, parts: Mapping[str, bytes], stamp: str) -> Path:
    """Writes the parts (masked again) into ``out`` (mode 0600) under ``diag-<stamp>/``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    now = int(time.time())
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for name, data in parts.items():
            # the log's lines may carry names or addresses in Chinese; the reports do not
            mask = mask_log_text if name.endswith(".log") else mask_text
            masked = mask(data.decode("utf-8", "replace")).encode("utf-8")
            ti = tarfile.TarInfo(f"diag-{stamp}/{name}")
            ti.size, ti.mtime, ti.mode = len(masked), now, 0o600
            tar.addfile(ti, io.BytesIO(masked))
    return out


def stamp_now() -> str:
    return time.strftime("%Y%m%d-%H%M%S")
