"""Who compares the live face with the identity: a ``FaceMatcher``.

The default is the platform (``POST /identity/face-verifications``): real deployments compare
against the public-security photo or through a certified 实人认证 service, not against the
card's chip photo (that needs a vendor WLT decoder). A site with a local vendor SDK names its
factory in ``[identity] matcher = "package.module:factory"``; the factory takes the settings
and returns an object with ``verify(probe) -> Result[FaceDecision]``.
"""

from __future__ import annotations

import base64
import importlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from devices.status import Result

if TYPE_CHECKING:
    from kiosk.api.client import ApiClient

log = logging.getLogger("kiosk.face")

DECISIONS = ("MATCH", "NO_MATCH", "NOT_LIVE", "NO_REFERENCE", "NO_FACE")


@dataclass(frozen=True, repr=False)
class FaceProbe:
    """What is compared: the live images (JPEG, in memory only), the liveness evidence and
    the identity the card gave. ``wipe()`` zeroes the images."""

    cert_type: str
    cert_no: str
    images: tuple[bytearray, ...]
    liveness: Mapping[str, Any] = field(default_factory=dict)

    def wipe(self) -> None:
        for img in self.images:
            img[:] = b"\0" * len(img)
            img.clear()

    def __repr__(self) -> str:  # identity and faces stay out of logs and tracebacks
        return f"FaceProbe({len(self.images)} images)"


@dataclass(frozen=True)
class FaceDecision:
    decision: str  # one of DECISIONS
    score: float | None = None
    reasons: tuple[str, ...] = ()
    verification_id: str = ""

    @property
    def matched(self) -> bool:
        return self.decision == "MATCH"


class FaceMatcher(Protocol):
    def verify(self, probe: FaceProbe) -> Result[FaceDecision]:
        """The comparison. Expected failures (no network…) are ``Result`` faults."""
        ...


class PlatformFaceMatcher:
    """The platform compares (contract operation ``verifyFace``)."""

    def __init__(self, client: ApiClient | None, device_id: str) -> None:
        self.client, self.device_id = client, device_id

    def verify(self, probe: FaceProbe) -> Result[FaceDecision]:
        if self.client is None:
            return Result.failure("face_unavailable", "no connection to the platform")
        body = {"certType": probe.cert_type, "certNo": probe.cert_no,
                "images": [{"mediaType": "image/jpeg",
                            "data": base64.b64encode(bytes(img)).decode("ascii")}
                           for img in probe.images],
                "liveness": dict(probe.liveness), "deviceId": self.device_id}
        try:
            answer = self.client.verify_face(body)
        except Exception as exc:  # the platform's faults: the citizen may try again
            log.warning("face verification failed: %s", type(exc).__name__)
            return Result.failure("face_unavailable", "face verification not available")
        finally:
            body.clear()
        j = answer.json
        return Result.success(FaceDecision(
            decision=str(j.get("decision", "NO_MATCH")),
            score=float(j["score"]) if isinstance(j.get("score"), (int, float)) else None,
            reasons=tuple(str(r) for r in j.get("reasonCodes", ())),
            verification_id=str(j.get("verificationId", ""))))


def load_matcher(spec: str, settings: Any, client: ApiClient | None,
                 device_id: str) -> FaceMatcher:
    """``platform`` or ``package.module:factory`` (a site's plug-in, called with settings)."""
    if spec in ("", "platform"):
        return PlatformFaceMatcher(client, device_id)
    module, _, name = spec.partition(":")
    factory = getattr(importlib.import_module(module), name)
    matcher: FaceMatcher = factory(settings)
    return matcher
