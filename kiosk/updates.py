"""``INSTALL_VERSION``: the platform asks a kiosk to install a version of the package from the
hall's signed apt repository, in staged rings.

The kiosk runs as an unprivileged user and cannot install anything. It only writes a request
(``data_dir/update/request.json``: version, command id, time); ``hall-kiosk-update.path``
(root) sees it and starts ``hall-kiosk-update.service``, a oneshot that runs
``/usr/lib/hall-kiosk/install-version``: it checks the version, refuses a downgrade, updates
the package lists of the hall repository only (``/etc/apt/sources.list.d/hall-kiosk.list``,
``signed-by`` its key: apt refuses an unsigned or wrongly signed repository) and installs
``hall-kiosk=VERSION``; it writes ``update/result.json``, which the next heartbeat reports.

Rings: ``[update] ring = N`` in kiosk.toml (0 = the pilot kiosks, then 1, 2 …). A command
with ``rings=0,1`` is carried out by kiosks of those rings and answered "skipped" by the
others, so an operator rolls a version out ring by ring and watches each before the next.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

VERSION_RE = re.compile(r"^[0-9][A-Za-z0-9.+~-]{0,40}$")
PACKAGE = "hall-kiosk"


def update_dir(data_dir: Path) -> Path:
    return data_dir / "update"


def kiosk_ring(settings: Any) -> int:
    from kiosk.config import ConfigError

    raw = (settings.raw or {}).get("update") or {}
    ring = raw.get("ring", 0) if isinstance(raw, Mapping) else 0
    if not isinstance(ring, int) or isinstance(ring, bool) or not 0 <= ring <= 9:
        raise ConfigError(settings.source, "update.ring", ring, "a whole number 0 to 9")
    return ring


def parse_rings(value: str | None) -> set[int] | None:
    """``"0,1"`` → {0, 1}; empty → None (every ring); anything else → ValueError."""
    if value is None or not value.strip():
        return None
    rings = set()
    for part in value.split(","):
        part = part.strip()
        if not part.isdigit() or len(part) > 1:
            raise ValueError(part)
        rings.add(int(part))
    return rings


def request_install(data_dir: Path, ring: int, command_id: str,
                    args: Mapping[str, str]) -> tuple[str, str]:
    """The kiosk's side of INSTALL_VERSION: (DONE|REJECTED, detail)."""
    version = args.get("version", "")
    if not VERSION_RE.match(version):
        return "REJECTED", "version must be a Debian package version"
    try:
        rings = parse_rings(args.get("rings"))
    except ValueError:
        return "REJECTED", "rings must be digits separated by commas"
    if rings is not None and ring not in rings:
        return "DONE", f"skipped: ring {ring} is not in this stage"
    folder = update_dir(data_dir)
    folder.mkdir(mode=0o750, parents=True, exist_ok=True)
    request = {"version": version, "commandId": command_id, "requestedAt": time.time()}
    tmp = folder / f".request.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    try:
        os.write(fd, json.dumps(request).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, folder / "request.json")  # hall-kiosk-update.path starts the install
    return "DONE", f"install of {version} requested (ring {ring})"


def last_update(data_dir: Path) -> dict[str, Any] | None:
    """The last result the root installer wrote, for the heartbeat (``update``)."""
    try:
        raw = json.loads((update_dir(data_dir) / "result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict):
        return None
    out = {k: str(raw[k])[:200] for k in ("version", "result", "detail", "commandId", "at")
           if k in raw}
    return out or None
