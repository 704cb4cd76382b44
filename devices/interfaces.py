"""The typed interface of each device class: what the core may call on a device of that class.

``devices.base.Device`` is what every device offers the manager (open, close, poll). Each class
adds its reads and writes here, as a ``Protocol`` its drivers and simulators satisfy
structurally; the core asks for a role (``kiosk.device_roles``) and gets one of these back, never
``Any``. A new class adds its protocol here (see docs/devices.md, "How to add a device class").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from devices.base import Cancel, Device
from devices.status import DeviceInfo, Result

if TYPE_CHECKING:  # the values of each class; imported for the type checker only (OpenCV, escpos)
    from devices.camera.types import Frame
    from devices.document_printer.types import PrintedJob
    from devices.idcard.types import IdCard
    from devices.printer.builder import Layout
    from devices.scanner.types import ScannedCode


@runtime_checkable
class CardReader(Device, Protocol):
    """Second-generation ID card reader (GA 467 SAM): ``idcard`` class."""

    def read_card(self, cancel: Cancel, timeout_s: float) -> Result[IdCard]:
        """Wait up to ``timeout_s`` for a card and read it; TIMEOUT, DISCONNECTED… as faults."""
        ...


@runtime_checkable
class CodeScanner(Device, Protocol):
    """QR/barcode scanner (serial, keyboard wedge, camera frames): ``scanner`` class."""

    def read_code(self, cancel: Cancel, timeout_s: float) -> Result[ScannedCode]: ...


@runtime_checkable
class ReceiptPrinter(Device, Protocol):
    """ESC/POS receipt printer: ``printer`` class."""

    info: DeviceInfo

    @property
    def layout(self) -> Layout:
        """Keyword arguments for the ``kiosk.receipts`` templates that fit this printer."""
        ...

    def print_job(self, data: bytes, cancel: Cancel | None = None) -> Result[None]: ...


@runtime_checkable
class DocumentCamera(Device, Protocol):
    """UVC document camera (高拍仪), also the face camera: ``camera`` class."""

    def read_preview(self, cancel: Cancel | None = None) -> Result[Frame]: ...

    def capture_still(self) -> Result[Frame]: ...


@runtime_checkable
class DocumentPrinter(Device, Protocol):
    """A4 page printer taking PDF jobs (CUPS, or the PDF sink): ``document_printer`` class."""

    info: DeviceInfo

    def print_pdf(self, pdf: bytes, title: str, cancel: Cancel | None = None
                  ) -> Result[PrintedJob]:
        """Queue one PDF job; a printer out of paper or jammed refuses it as a fault."""
        ...
