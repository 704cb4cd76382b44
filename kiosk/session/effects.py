"""What the machine asks the application layer to do. The outcome comes back as an event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.session.model import Citizen


@dataclass(frozen=True)
class ReadCard:
    """Wait for an ID card (and a QR on the scanner) until cancelled."""


@dataclass(frozen=True)
class StopReading:
    pass


@dataclass(frozen=True)
class FetchPrefill:
    impl_code: str
    citizen: Citizen
    consent_id: str


@dataclass(frozen=True)
class StartPreview:
    material_code: str


@dataclass(frozen=True)
class StopPreview:
    pass


@dataclass(frozen=True)
class CapturePage:
    material_code: str


@dataclass(frozen=True)
class Submit:
    application: dict[str, Any]  # the contract's application object, minus client id/time
    files: dict[str, list[bytes]]  # materialCode → page JPEGs (one PDF per material is built)


@dataclass(frozen=True)
class PrintReceipt:
    receipt: dict[str, Any]


@dataclass(frozen=True)
class SendRating:
    evaluation: dict[str, Any]


@dataclass(frozen=True)
class QueryStatus:
    citizen: Citizen | None = None
    ref: str = ""
    password: str = ""


@dataclass(frozen=True)
class Speak:
    key: str  # a prompt key; the UI turns it into words in the current language


@dataclass(frozen=True)
class SessionEnded:
    reason: str  # "finished" | "idle" | "declined" …


Effect = (ReadCard | StopReading | FetchPrefill | StartPreview | StopPreview | CapturePage
          | Submit | PrintReceipt | SendRating | QueryStatus | Speak | SessionEnded)
