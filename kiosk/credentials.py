"""``ROTATE_KEY``: the kiosk's API secret, replaced on the platform's command.

The provisioned secret is ``[api] secret_file`` (``/etc/kiosk/api-secret``, 0640 root:kiosk:
the kiosk can read it, not change it). On ``ROTATE_KEY`` the kiosk asks the platform for a new
secret (``POST /devices/{deviceId}/credentials``, signed with the current one, over TLS), keeps
it in ``data_dir/credentials/api-secret`` (0600, the kiosk's own) and signs with it from then
on — every live client at once (kiosk.api.client keeps them in a registry). The platform
accepts the previous secret for a grace period, so requests already on their way still pass.
A rotated secret always wins over the provisioned file; deleting it (root) falls back to the
provisioned one, e.g. after the platform re-provisions the kiosk.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from offline_queue.fsutil import fsync_dir

SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{32,128}$")  # base64url, at least 24 bytes


def rotated_secret_path(data_dir: Path) -> Path:
    return data_dir / "credentials" / "api-secret"


def current_secret(settings: Any) -> bytes:
    """The secret to sign with: the rotated one when there is one, else the provisioned."""
    path = rotated_secret_path(settings.kiosk.data_dir)
    try:
        secret = path.read_bytes().strip()
    except FileNotFoundError:
        secret = b""
    if secret:
        return secret
    provisioned: bytes = settings.api.secret()
    return provisioned


def store_rotated_secret(data_dir: Path, secret: bytes) -> Path:
    """Atomically, 0600, fsynced: a crash leaves the old or the new secret, never half."""
    path = rotated_secret_path(data_dir)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, secret + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)
    return path
