"""The one submission path (DESIGN §3, §6): application → durable outbox item → sync attempt.

The touchscreen (through the UI's background-operation helper) and ``kiosk submit`` both
call ``Submitter.submit``. There is no separate "online" path: an application is always
stored first (encrypted, fsynced, committed) and then sent at once if the platform answers.
The result says honestly where it stands: ``delivered`` (the platform holds it) or
``queued`` (收件待上传, with the local reference), ``dead`` (the platform refused it; staff
see it in the queue), or ``refused`` / ``invalid`` (nothing was stored).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.channels import CHANNEL_SELF_SERVICE, CHANNEL_STAFF, CHANNELS
from kiosk.config import Settings
from offline_queue import (
    ItemState,
    NewFile,
    Outbox,
    OutboxItem,
    Refusal,
    SealError,
    SyncWorker,
    file_ref,
)

log = logging.getLogger("kiosk.submission")

KIND_APPLICATION = "application"
KIND_SUPPLEMENT = "supplement"  # 补齐补正: materials sent to an application the platform holds
DEFAULT_DELIVERY = {"method": "WINDOW", "address": None}
REQUIRED_APPLICANT_KEYS = ("certType", "certNo", "name", "phone")


@dataclass(frozen=True)
class Attachment:
    """One file of one material (a material may have several)."""

    material_code: str
    data: bytes
    media_type: str
    # how the material is handed in: a photographed file, or EXEMPT_PROMISE with the signed
    # 承诺书 as its file (告知承诺制)
    submission: str = "ELECTRONIC_FILE"



@dataclass(frozen=True)
class Application:
    """What the citizen (or staff) confirmed. Field names follow the contract's payload."""

    impl_code: str
    applicant: Mapping[str, Any]
    form: Mapping[str, Any]
    attachments: Sequence[Attachment] = ()
    agent: Mapping[str, Any] | None = None
    delivery: Mapping[str, Any] | None = None
    # Materials handed in without a file (exempt, e-licence, paper at the window), as is.
    other_materials: Sequence[Mapping[str, Any]] = ()
    matter_version: str | None = None
    consent_id: str | None = None
    channel: str = CHANNEL_SELF_SERVICE
    client_application_id: str | None = None  # minted here when None (batch may bring one)
    payment_id: str | None = None  # 统一公共支付: the paid order of a chargeable matter
    # How the applicant was identified at the kiosk (IDCARD, IDCARD_FACE, EID_QR,
    # STAFF_VERIFIED); None for batch entry, where nobody was identified here.
    identification_method: str | None = None


@dataclass(frozen=True)
class SubmissionResult:
    client_application_id: str | None
    state: str                   # delivered | queued | dead | refused | invalid
    stored: bool                 # durably in the outbox (the receipt may be printed)
    message: str = ""
    code: str | None = None      # refusal / rejection code
    application_id: str | None = None
    proj_id: str | None = None
    query_password: str | None = None   # in memory only, for the receipt; never stored
    platform_status: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "clientApplicationId": self.client_application_id, "state": self.state,
            "stored": self.stored, "applicationId": self.application_id, "projId": self.proj_id,
            "platformStatus": self.platform_status,
        }
        if self.code:
            out["code"] = self.code
        if self.message:
            out["message"] = self.message
        return out


def canonical_json(value: Any) -> bytes:
    """The stored and re-sent bytes: sorted keys, no spaces, UTF-8 (not re-serialised later)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def validate(app: Application) -> str | None:
    """Why the application cannot be stored, or None. No personal data in the message."""
    if not app.impl_code or not isinstance(app.impl_code, str):
        return "the matter code is empty"
    if not isinstance(app.applicant, Mapping):
        return "the applicant must be a JSON object"
    missing = [k for k in REQUIRED_APPLICANT_KEYS
               if not isinstance(app.applicant.get(k), str) or not app.applicant.get(k, "").strip()]
    if missing:
        return "the applicant lacks " + ", ".join(missing)
    if not isinstance(app.form, Mapping):
        return "the form must be a JSON object"
    if app.agent is not None and not isinstance(app.agent, Mapping):
        return "the agent must be a JSON object"
    if app.delivery is not None and (not isinstance(app.delivery, Mapping)
                                     or not isinstance(app.delivery.get("method"), str)):
        return "the delivery must be a JSON object with a method"
    if app.channel not in CHANNELS:
        return "the channel must be one of " + ", ".join(CHANNELS)
    for a in app.attachments:
        if not a.material_code:
            return "an attachment has no material code"
        if not a.data:
            return f"an attachment of material {a.material_code} is empty"
    cid = app.client_application_id
    if cid is not None and not is_client_id(cid):
        return ("the client application id must be a UUID "
                "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hexadecimal)")
    return None


def is_client_id(value: str) -> bool:
    """A clientApplicationId is a UUID in its canonical 36-character form (the contract
    mints UUIDv7; a batch line without one gets a derived UUIDv8, ``derived_client_id``)."""
    if len(value) != 36 or not value.isascii():
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def derived_client_id(line: Any, device_id: str) -> str:
    """A stable id for a batch line that brings none: the same line (same JSON content, key
    order and spacing aside) on the same kiosk always gets the same id, so running a batch
    file again never stores an application twice. UUIDv8 (RFC 9562 §5.8) of SHA-256."""
    digest = bytearray(hashlib.sha256(
        b"kiosk batch line v1\0" + device_id.encode() + b"\0" + canonical_json(line)).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x80   # version 8
    digest[8] = (digest[8] & 0x3F) | 0x80   # RFC 9562 variant
    return str(uuid.UUID(bytes=bytes(digest)))


def content_fingerprint(body: bytes, files: Sequence[NewFile]) -> str:
    """What makes two submissions under one id "the same application": the body without its
    ``createdAt`` (a re-run mints a new time) and the files' bytes, in order."""
    value = json.loads(body)
    value.pop("createdAt", None)
    h = hashlib.sha256(canonical_json(value))
    for f in files:
        h.update(hashlib.sha256(f.data).digest())
    return h.hexdigest()


def build_body(app: Application, client_id: str, device_id: str, hall_code: str,
               created_at: str) -> bytes:
    """The contract's ApplicationRequest; file ids are refs the outbox fills in after upload."""
    materials: dict[str, list[str]] = {}
    how: dict[str, str] = {}
    for seq, a in enumerate(app.attachments):
        materials.setdefault(a.material_code, []).append(file_ref(client_id, seq))
        how.setdefault(a.material_code, a.submission)
    body: dict[str, Any] = {
        "clientApplicationId": client_id,
        "implCode": app.impl_code,
        "applicant": dict(app.applicant),
        "agent": dict(app.agent) if app.agent else None,
        "form": dict(app.form),
        "materials": [{"materialCode": code, "submission": how[code], "fileIds": ids}
                      for code, ids in materials.items()]
        + [dict(m) for m in app.other_materials if m.get("materialCode") not in materials],
        "delivery": dict(app.delivery) if app.delivery else dict(DEFAULT_DELIVERY),
        "channel": app.channel,
        "deviceId": device_id,
        "createdAt": created_at,
    }
    if hall_code:
        body["hallCode"] = hall_code
    if app.matter_version:
        body["matterVersion"] = app.matter_version
    if app.consent_id:
        body["consentId"] = app.consent_id
    if app.payment_id:
        body["paymentId"] = app.payment_id
    if app.identification_method:
        body["identificationMethod"] = app.identification_method
    return canonical_json(body)


class Submitter:
    def __init__(self, outbox: Outbox, worker: SyncWorker | None, *, device_id: str,
                 hall_code: str = "") -> None:
        self.outbox = outbox
        self.worker = worker
        self.device_id = device_id
        self.hall_code = hall_code

    @classmethod
    def from_settings(cls, settings: Settings, outbox: Outbox, worker: SyncWorker | None) -> Submitter:
        return cls(outbox, worker, device_id=settings.kiosk.device_id,
                   hall_code=settings.kiosk.hall_code)

    def submit(self, app: Application, *, sync: bool = True) -> SubmissionResult:
        """Stores the application durably, then (``sync``) tries to deliver it at once."""
        problem = validate(app)
        if problem:
            return SubmissionResult(app.client_application_id, "invalid", False, problem, "INVALID")
        from kiosk.api.uuid7 import uuid7  # here: the CLI parser must load without the API

        client_id = (app.client_application_id or uuid7()).lower()
        created_at = datetime.now().astimezone().isoformat(timespec="seconds")
        body = build_body(app, client_id, self.device_id, self.hall_code, created_at)
        files = [NewFile(a.material_code, a.data, a.media_type) for a in app.attachments]
        fingerprint = content_fingerprint(body, files)
        existing = self.outbox.get(client_id)
        if existing is not None:
            if self._same_content(existing, fingerprint):
                # A replay (a batch re-run): the stored item stands; report where it is.
                return self.result_for(client_id, note="already stored")
            log.warning("submission refused: id %s is already stored with other content",
                        client_id)
            return SubmissionResult(client_id, "refused", False,
                                    "another application with this client id is already stored; "
                                    "nothing was stored (use a new id)", "DUPLICATE_ID")
        stored = self.outbox.enqueue(client_id, KIND_APPLICATION, body, files,
                                     meta={"implCode": app.impl_code, "files": len(files),
                                           "content": fingerprint})
        if isinstance(stored, Refusal):
            log.warning("submission refused before storing: %s %s", stored.code, stored.message)
            return SubmissionResult(client_id, "refused", False, stored.message, stored.code)
        log.info("application %s stored in the outbox (%d files)", client_id, len(files))
        if sync and self.worker is not None:
            report = self.worker.sync_once(only=[client_id])
            taken = self.worker.take_acknowledgement(client_id)  # this pass's or a background one's
            ack = report.acknowledgements.get(client_id) or taken or \
                self._answer_of_other_pass(client_id)
            if ack is not None:
                answer = ack.answer
                return SubmissionResult(
                    client_id, "delivered", True, "", None, ack.platform_id,
                    ack.platform_ref or answer.get("projId"), answer.get("queryPassword"),
                    answer.get("status"), {"receipt": answer})
        return self.result_for(client_id)

    def submit_supplement(self, application_id: str, attachments: Sequence[Attachment],
                          note: str = "", *, sync: bool = True) -> SubmissionResult:
        """补齐补正: the materials the platform asked for, stored durably and sent like an
        application (same outbox: encrypted at rest, uploads first, exactly once under the
        supplement's own id), to ``POST /applications/{id}/supplements``."""
        from kiosk.api.uuid7 import uuid7

        if not application_id or not attachments:
            return SubmissionResult(None, "invalid", False,
                                    "a supplement names its application and brings a file",
                                    "INVALID")
        supplement_id = uuid7().lower()
        materials: dict[str, list[str]] = {}
        for seq, a in enumerate(attachments):
            materials.setdefault(a.material_code, []).append(file_ref(supplement_id, seq))
        payload: dict[str, Any] = {
            "materials": [{"materialCode": code, "submission": "ELECTRONIC_FILE",
                           "fileIds": ids} for code, ids in materials.items()]}
        if note:
            payload["note"] = note[:500]
        files = [NewFile(a.material_code, a.data, a.media_type) for a in attachments]
        stored = self.outbox.enqueue(supplement_id, KIND_SUPPLEMENT, canonical_json(payload),
                                     files, meta={"applicationId": application_id,
                                                  "files": len(files)})
        if isinstance(stored, Refusal):
            return SubmissionResult(supplement_id, "refused", False, stored.message, stored.code)
        log.info("supplement %s stored in the outbox (%d files)", supplement_id, len(files))
        if sync and self.worker is not None:
            report = self.worker.sync_once(only=[supplement_id])
            ack = report.acknowledgements.get(supplement_id) or \
                self.worker.take_acknowledgement(supplement_id) or \
                self._answer_of_other_pass(supplement_id)
            if ack is not None:
                return SubmissionResult(supplement_id, "delivered", True, "", None,
                                        ack.platform_id or application_id, None, None,
                                        ack.answer.get("status"), {"receipt": ack.answer})
        return self.result_for(supplement_id)

    def _answer_of_other_pass(self, client_id: str, wait_s: float = 30.0) -> Any:
        """The background worker claimed the item first (SENDING): wait for its attempt to
        end and take its answer, instead of telling the citizen "queued" meanwhile."""
        assert self.worker is not None
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            item = self.outbox.get(client_id)
            if item is None or item.state != ItemState.SENDING:
                break
            time.sleep(0.05)
        return self.worker.take_acknowledgement(client_id)

    def _same_content(self, item: OutboxItem, fingerprint: str) -> bool:
        known = item.meta.get("content")
        if isinstance(known, str):
            return known == fingerprint
        # Stored before fingerprints were kept: compare the stored body while it is there.
        raw = self.outbox.read_body(item.id)
        if raw is None:
            return False  # purged: no proof of sameness, so no "already stored"
        try:
            files = [NewFile(f.key, self.outbox.read_file(f), f.media_type) for f in item.files]
        except (OSError, SealError):
            return False
        return content_fingerprint(raw, files) == fingerprint

    def result_for(self, client_id: str, note: str = "") -> SubmissionResult:
        """Where a stored application stands now (for reports and re-runs)."""
        item = self.outbox.get(client_id)
        assert item is not None
        if item.state == ItemState.DELIVERED:
            return SubmissionResult(client_id, "delivered", True, note, None, item.platform_id,
                                    item.platform_ref)
        if item.state == ItemState.DEAD:
            return SubmissionResult(client_id, "dead", True,
                                    "the platform refused it: " + (item.last_error or ""),
                                    (item.last_error or "").split(":")[0] or None)
        if item.state == ItemState.VOID:
            return SubmissionResult(client_id, "void", True, note or "voided by staff", "VOID")
        msg = note or ("waiting to upload" + (f" ({item.last_error})" if item.last_error else ""))
        return SubmissionResult(client_id, "queued", True, msg)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge, ``null`` removes, anything else replaces."""
    if not isinstance(patch, Mapping):
        return patch
    result = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def correct_dead_application(outbox: Outbox, client_id: str, patch: Mapping[str, Any]) -> str | None:
    """Staff's fix of a refused application (e.g. a mistyped ID number the platform named in
    its problem details): the stored body, merge-patched, replaces the old one under the same
    clientApplicationId. Returns None on success, else why not (nothing changed)."""
    if "clientApplicationId" in patch:
        return "the clientApplicationId cannot be changed (void and submit anew instead)"
    raw = outbox.read_body(client_id)
    if raw is None:
        return f"no stored application {client_id}"
    patched = merge_patch(json.loads(raw), patch)
    app = Application(impl_code=patched.get("implCode", ""), applicant=patched.get("applicant"),
                      form=patched.get("form"), client_application_id=client_id,
                      channel=patched.get("channel", CHANNEL_STAFF))
    problem = validate(app)
    if problem:
        return problem
    return outbox.replace_body(client_id, canonical_json(patched))
