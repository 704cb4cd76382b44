"""ROTATE_KEY: a new API secret from the platform, stored before any client uses it
(kiosk.credentials keeps it), then used by every live client."""

from __future__ import annotations

from pathlib import Path

from kiosk.api.client import ApiClient, use_secret
from kiosk.credentials import SECRET_RE, store_rotated_secret


def rotate(client: ApiClient, device_id: str, data_dir: Path, command_id: str) -> tuple[str, str]:
    """The ROTATE_KEY handler: (DONE|FAILED, detail). The new secret is stored before any
    client uses it, and used by every live client right after."""
    # the command id as idempotency key: a lost answer is fetched again, not a 2nd rotation
    answer = client.rotate_credentials(device_id=device_id, idempotency_key=command_id).json
    raw = answer.get("secret") if isinstance(answer, dict) else None
    # like a provisioned secret file: the text itself is the HMAC key
    if not isinstance(raw, str) or not SECRET_RE.match(raw):
        return "FAILED", "the platform's answer holds no usable secret"
    secret = raw.encode("ascii")
    store_rotated_secret(data_dir, secret)
    switched = use_secret(client.access_key, secret)
    until = answer.get("previousValidUntil", "")
    return "DONE", f"secret rotated ({switched} client(s) switched); the previous one is " \
                   f"accepted until {until}"
