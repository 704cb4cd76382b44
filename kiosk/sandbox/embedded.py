"""Demo mode: the sandbox in-process on a free loopback port (``api.base_url = "embedded"``)."""

from __future__ import annotations

from kiosk.config import Settings
from kiosk.sandbox.server import SandboxServer


def start_embedded(settings: Settings, *, status_step_s: float | None = 30.0) -> SandboxServer:
    """Starts the sandbox with its database under ``kiosk.data_dir/sandbox/`` and the kiosk's
    own access key and secret as a credential, serving ``[sandbox] seed_matters`` matters;
    returns the running server (``.base_url``)."""
    db = settings.kiosk.data_dir / "sandbox" / "sandbox.db"
    creds = {}
    try:
        from kiosk.credentials import current_secret

        # a secret rotated by ROTATE_KEY (kept by the kiosk) is the one it signs with
        creds[settings.api.access_key] = current_secret(settings)
    except OSError:
        pass  # the client reports the missing secret; the demo credentials still work

    return SandboxServer(db, credentials=creds, status_step_s=status_step_s,
                         seed_matters=settings.sandbox.seed_matters).start()
