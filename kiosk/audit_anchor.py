"""Sending the audit log's head off the box (kiosk/audit.py explains the scheme).

The head goes with a heartbeat only after the local chain was verified against the anchor
the platform already holds: a log rewritten on the disk is never anchored by the kiosk's own
heartbeat (its records before the old anchor no longer match it). The heartbeat then goes
without ``auditHead``, and the mismatch is logged as critical."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.audit import ChainReport, Head, audit_path, verify_chain
from kiosk.config import Settings

if TYPE_CHECKING:
    from kiosk.api.client import ApiClient

log = logging.getLogger("kiosk.audit")


@dataclass(frozen=True)
class AnchorOutcome:
    answer: dict[str, Any]       # the HeartbeatResponse
    local: ChainReport           # the local chain, checked against the anchor held before
    sent: Head | None            # the head sent (None: refused to anchor a failing log)
    held: Head | None            # the anchor the platform holds now


def platform_anchor(client: ApiClient, device_id: str) -> Head | None:
    """The anchor the platform holds for this kiosk (None: none yet)."""
    from kiosk.api import errors

    try:
        answer = client.audit_head(device_id).json
    except errors.ApiError as err:
        if err.status == 404:
            return None
        raise
    return Head.from_json({"seq": answer.get("seq"), "hash": answer.get("hash")})


def heartbeat_with_head(client: ApiClient, settings: Settings,
                        payload: Mapping[str, Any] | None = None) -> AnchorOutcome:
    """One heartbeat carrying the verified audit head. Raises the client's ``ApiError``."""
    device = settings.kiosk.device_id
    before = platform_anchor(client, device)
    local = verify_chain(audit_path(settings.kiosk.data_dir), before)
    body = dict(payload or {})
    sent = None
    if local.ok and local.restarted is None:
        sent = local.head
        body["auditHead"] = sent.to_json()
    else:
        log.critical("audit log NOT anchored: %s", local.reason or
                     f"restarted after tampering (old log kept as {local.restarted})")
    answer = client.heartbeat(body, device_id=device).json
    return AnchorOutcome(answer, local, sent, Head.from_json(answer.get("auditHead")))
