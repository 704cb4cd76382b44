"""人证比对 and e-ID QR login: ``POST /identity/face-verifications`` and
``POST /identity/eid-verifications``, with deterministic, documented demo behaviour
(docs/identity.md):

Face: the photo on file of every demo identity is the simulator's demo portrait
(devices.camera.face_scenes.DEMO_PORTRAIT). The "comparison" is a colour check of the face's
middle against that portrait's skin tone — the simulator's ``match`` subject scores ≈ 0.95,
its ``stranger`` ≈ 0.4 (threshold 0.8). It is a stand-in for the certified service, not face
recognition. A certificate number that is no demo identity has no photo on file
(``NO_REFERENCE``). Liveness not passed, fewer than two images or identical images (a
replay) give ``NOT_LIVE``. Images are decoded in memory and dropped; nothing is stored.

e-ID: codes are ``EID1.<payload>.<signature>`` (base64url; payload JSON ``{"c": certNo,
"e": expiry epoch}``, HMAC-SHA256 with the sandbox's demo issuer key, 16 bytes). ``eid_code``
mints one for a demo identity (``kiosk sandbox eid-qr``); a real issuer's format is the
platform's business, the kiosk only forwards what it scanned.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

import cv2
import numpy as np
from flask import Blueprint, Response

from devices.camera.face_scenes import DEMO_PORTRAIT
from kiosk.sandbox import demo_identities
from kiosk.sandbox.bodies import invalid, json_body
from kiosk.sandbox.context import sandbox
from kiosk.sandbox.problems import json_response, rfc3339

bp = Blueprint("identity", __name__)

MATCH_THRESHOLD = 0.8
EID_PREFIX = "EID1."
EID_TTL_S = 300  # a code on the citizen's phone lives five minutes
# The sandbox issuer's demo key: it signs demo codes only (fictitious people).
DEMO_EID_KEY = b"sandbox-eid-issuer-demo-key-not-a-secret"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def eid_code(cert_no: str, now: float | None = None, ttl_s: float = EID_TTL_S) -> str:
    """A signed demo e-ID code for ``cert_no``, valid ``ttl_s`` from ``now``."""
    expiry = int((time.time() if now is None else now) + ttl_s)
    payload = _b64(json.dumps({"c": cert_no, "e": expiry}, separators=(",", ":")).encode())
    sig = hmac.new(DEMO_EID_KEY, payload.encode("ascii"), hashlib.sha256).digest()[:16]
    return f"{EID_PREFIX}{payload}.{_b64(sig)}"


def check_eid(code: str, now: float) -> tuple[str, str, dict[str, Any]]:
    """(decision, reason, payload) of a scanned code: VALID | EXPIRED | INVALID."""
    if not code.startswith(EID_PREFIX) or code.count(".") != 2:
        return "INVALID", "UNKNOWN_FORMAT", {}
    _, payload, sig = code.split(".")
    try:
        given = _unb64(sig)
        data = json.loads(_unb64(payload))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return "INVALID", "UNKNOWN_FORMAT", {}
    want = hmac.new(DEMO_EID_KEY, payload.encode("ascii"), hashlib.sha256).digest()[:16]
    if not hmac.compare_digest(given, want):
        return "INVALID", "BAD_SIGNATURE", {}
    if not isinstance(data, dict) or not isinstance(data.get("c"), str) \
            or not isinstance(data.get("e"), int):
        return "INVALID", "UNKNOWN_FORMAT", {}
    if data["e"] < now:
        return "EXPIRED", "EXPIRED", data
    return "VALID", "", data


@bp.post("/identity/eid-verifications")
def verify_eid() -> Response:
    st = sandbox()
    data = json_body("EidVerificationRequest")
    decision, reason, payload = check_eid(data["code"].strip(), st.now())
    body: dict[str, Any] = {"verificationId": "ev_" + secrets.token_hex(8), "decision": decision,
                            "reasonCodes": [reason] if reason else []}
    if decision == "VALID":
        person = demo_identities.find(payload["c"])
        if person is None:
            body.update(decision="INVALID", reasonCodes=["UNKNOWN_PERSON"])
        else:
            body["identity"] = {"certType": person.cert_type, "certNo": person.cert_no,
                                "name": person.name}
            body["expiresAt"] = rfc3339(float(payload["e"]))
    return json_response(body, 200)


MAX_SIDE = 4000  # a face picture; a header declaring more is refused before decoding


def _skin_tone(jpeg: bytes) -> tuple[float, float, float] | None:
    """The median colour of the picture's middle, or None when it is no (sane) JPEG."""
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    if not jpeg.startswith(b"\xff\xd8"):
        return None
    try:
        with Image.open(BytesIO(jpeg)) as header:  # reads the header only
            if max(header.size) > MAX_SIDE or header.format != "JPEG":
                return None
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    try:
        img = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    except cv2.error:
        return None
    if img is None:
        return None
    h, w = img.shape[:2]
    if h < 16 or w < 16:
        return None
    mid = img[round(0.3 * h):round(0.7 * h), round(0.3 * w):round(0.7 * w)].reshape(-1, 3)
    b, g, r = (float(v) for v in np.median(mid, axis=0))
    return b, g, r


def _score(tones: list[tuple[float, float, float]]) -> float:
    ref = np.array(DEMO_PORTRAIT.skin_bgr, float)
    dists = [float(np.linalg.norm(np.array(t) - ref)) for t in tones]
    return round(max(0.0, 1.0 - min(dists) / 120.0), 3)


@bp.post("/identity/face-verifications")
def verify_face() -> Response:
    data = json_body("FaceVerificationRequest")
    images: list[bytes] = []
    for i, item in enumerate(data["images"]):
        try:
            images.append(base64.b64decode(item["data"], validate=True))
        except (binascii.Error, ValueError):
            raise invalid(f"/images/{i}/data", "NOT_BASE64", "image data is not base64") from None
    answer: dict[str, Any] = {"verificationId": "fv_" + secrets.token_hex(8), "score": None,
                              "threshold": MATCH_THRESHOLD, "reasonCodes": []}

    def decided(decision: str, *reasons: str, score: float | None = None) -> Response:
        images.clear()
        answer.update(decision=decision, reasonCodes=list(reasons), score=score)
        return json_response(answer, 200)

    tones = []
    for i, img in enumerate(images):
        tone = _skin_tone(img)
        if tone is None:
            raise invalid(f"/images/{i}/data", "NOT_AN_IMAGE", "image data is not a JPEG")
        tones.append(tone)
    if not data["liveness"]["passed"]:
        return decided("NOT_LIVE", "LIVENESS_NOT_PASSED")
    if len(images) < 2 or len(set(images)) < len(images):
        return decided("NOT_LIVE", "STATIC_IMAGES")
    if demo_identities.find(data["certNo"]) is None:
        return decided("NO_REFERENCE", "NO_PHOTO_ON_FILE")
    # a face's middle is skin: YCrCb skin ranges (the kiosk's analyser uses the same)
    ycc = [cv2.cvtColor(np.array([[t]], np.uint8), cv2.COLOR_BGR2YCrCb)[0, 0] for t in tones]
    if not all(133 <= int(c[1]) <= 173 and 77 <= int(c[2]) <= 127 for c in ycc):
        return decided("NO_FACE", "NO_FACE_FOUND")
    score = _score(tones)
    if score >= MATCH_THRESHOLD:
        return decided("MATCH", score=score)
    return decided("NO_MATCH", "LOW_SIMILARITY", score=score)
