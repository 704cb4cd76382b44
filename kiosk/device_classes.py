"""Every device class the kiosk knows, declared once.

One ``DeviceClass`` per class says everything the rest of the kiosk derives from it:

- ``name``: the ``class`` value in ``[devices.ROLE]`` (config validation, kiosk.config);
- ``label``: the Chinese source text of its name on screen (ui.texts translates it);
- ``interface``: the typed protocol its drivers satisfy (devices.interfaces);
- ``drivers_module``: the module whose import registers its drivers (devices.base registry;
  each driver parses its options with the one option parser, devices.options);
- ``default_role``: the role an old ``kiosk.toml`` section of this class fills (migration);
- ``test``: the technician's test action (the technician screen and ``kiosk`` device tests);
- ``problem``: how a status becomes the code that greys a service (kiosk.availability);
- ``selftest_options``: the simulated device ``kiosk selftest`` runs it as;
- ``udev``: the udev hints for packaging/udev/70-hall-kiosk.rules and ``kiosk doctor``.

Adding a class is one ``register_device_class(DeviceClass(...))`` (docs/devices.md, "How to
add a device class"); a test registers a throwaway class this way and finds it everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from devices.base import Cancel, Device, set_driver_module
from devices.interfaces import (
    CardReader,
    CodeScanner,
    DocumentCamera,
    DocumentPrinter,
    ReceiptPrinter,
)
from devices.status import Availability, DeviceStatus, Result


@dataclass(frozen=True)
class DeviceTestContext:
    """What a test action may use besides the device: a technician is waiting."""

    cancel: Cancel
    timeout_s: float
    hall_name: str
    kiosk_id: str  # [kiosk] device_id
    software: str  # the kiosk's version


@dataclass(frozen=True)
class DeviceTestReport:
    """What a test action found: a code the technician's screen words in its language
    (ui.texts.device_test_report) and the facts it names. ``str()`` is the log/CLI form."""

    code: str  # CARD_READ | FRAME | FACE_FRAME | TEST_PAGE_PRINTED | CODE_READ | a new class's own code
    facts: tuple[tuple[str, str], ...] = ()

    def fact(self, key: str) -> str:
        return dict(self.facts).get(key, "")

    def __str__(self) -> str:
        return self.code + "".join(f" {k}={v}" for k, v in self.facts)


def report(code: str, **facts: object) -> Result[DeviceTestReport]:
    return Result.success(DeviceTestReport(code, tuple((k, str(v)) for k, v in facts.items())))


D = TypeVar("D", bound=Device)


def ready_problem(status: DeviceStatus) -> str:
    """The usual rule: "" when a service may use the device now, else a fault code (or the
    availability when there is no fault). A device still starting does not serve yet."""
    if status.availability.usable and status.availability is not Availability.STARTING:
        return ""
    return status.fault.code if status.fault else status.availability.value


@dataclass(frozen=True)
class UdevHint:
    subsystem: str  # tty | usb | video4linux | input
    note: str  # what the rule gives: a stable name, group access …


@dataclass(frozen=True)
class DeviceClass(Generic[D]):
    """``D``: the class's interface; its test action takes a device offering it."""

    name: str
    label: str
    interface: type[D]
    test: Callable[[D, DeviceTestContext], Result[DeviceTestReport]]
    default_role: str
    drivers_module: str | None = None  # None: devices.<name>.drivers
    problem: Callable[[DeviceStatus], str] = ready_problem
    selftest_options: Mapping[str, Any] = field(default_factory=dict)
    udev: tuple[UdevHint, ...] = ()

    def run_test(self, device: Device, context: DeviceTestContext) -> Result[DeviceTestReport]:
        """The test action on ``device``, once it is known to offer this class's interface."""
        if not isinstance(device, self.interface):
            return Result.failure("DRIVER_ERROR", f"the driver does not offer the "
                                  f"{self.interface.__name__} interface")
        return self.test(device, context)


_CLASSES: dict[str, DeviceClass[Any]] = {}


def register_device_class(spec: DeviceClass[D]) -> DeviceClass[D]:
    _CLASSES[spec.name] = spec
    set_driver_module(spec.name, spec.drivers_module)
    return spec


def unregister_device_class(name: str) -> None:
    """Remove a class (a test's throwaway class)."""
    _CLASSES.pop(name, None)
    set_driver_module(name, None)


def device_class(name: str) -> DeviceClass[Any] | None:
    return _CLASSES.get(name)


def device_classes() -> tuple[DeviceClass[Any], ...]:
    return tuple(_CLASSES.values())


# -- the built-in classes: test actions --------------------------------------------------

def _fault(r: Result[Any]) -> Result[DeviceTestReport]:
    return Result(fault=r.fault)


def _test_idcard(reader: CardReader, ctx: DeviceTestContext) -> Result[DeviceTestReport]:
    from kiosk.privacy import mask_id_number

    r = reader.read_card(ctx.cancel, ctx.timeout_s)
    if r.value is None:
        return _fault(r)
    card = r.value
    try:
        return report("CARD_READ", id=mask_id_number(card.id_number))
    finally:
        card.wipe()


def _test_camera(camera: DocumentCamera, ctx: DeviceTestContext) -> Result[DeviceTestReport]:
    from devices.camera.detect import detect_page

    r = camera.read_preview(ctx.cancel)
    if r.value is None:
        return _fault(r)
    w, h = r.value.size
    if getattr(camera, "name", "") == "face_camera":  # the role looks at people, not pages
        from devices.camera.face_analysis import DetectorFaceAnalyser

        a = DetectorFaceAnalyser().analyse(r.value.image)  # figures only: no image is kept
        q = a.quality.to_json() if a.quality else {}
        return report("FACE_FRAME", size=f"{w}x{h}", faces=a.faces,
                      usable="yes" if a.usable else ",".join(a.reasons),
                      **{("faceShare" if k == "size" else k): v for k, v in q.items()})
    found = detect_page(r.value.image)
    return report("FRAME", size=f"{w}x{h}", page="found" if found.found else
                  (found.reason or "no_page"))


def _test_printer(printer: ReceiptPrinter, ctx: DeviceTestContext) -> Result[DeviceTestReport]:
    # Here, not at the top: the receipt templates import python-escpos (≈ 0.4 s).
    from kiosk.receipts.data import TestPageData
    from kiosk.receipts.templates import technician_test_page

    info = printer.info
    data = technician_test_page(TestPageData(
        ctx.hall_name, ctx.kiosk_id, datetime.now().astimezone(),
        (("型号", info.model), ("厂商", info.vendor), ("固件", info.firmware),
         ("端口", info.port), ("软件", ctx.software))), **printer.layout)
    r = printer.print_job(data)
    if not r.ok:
        return _fault(r)
    return report("TEST_PAGE_PRINTED", bytes=len(data))


def _test_scanner(scanner: CodeScanner, ctx: DeviceTestContext) -> Result[DeviceTestReport]:
    from kiosk.qr_payload import classify

    r = scanner.read_code(ctx.cancel, ctx.timeout_s)
    if r.value is None:
        return _fault(r)
    code = r.value
    # Length and kind only: a code may be a receipt's query password.
    return report("CODE_READ", characters=len(code.text), format=code.format,
                  kind=classify(code.text).kind.value)


def _test_document_printer(printer: DocumentPrinter,
                           ctx: DeviceTestContext) -> Result[DeviceTestReport]:
    from kiosk.a4_documents import a4_test_page_pdf

    info = printer.info
    pdf = a4_test_page_pdf(hall_name=ctx.hall_name, device_id=ctx.kiosk_id, software=ctx.software,
                        printed_at=datetime.now().astimezone().isoformat(timespec="seconds"),
                        facts=(("型号", info.model), ("端口", info.port)))
    r = printer.print_pdf(pdf, f"test page {ctx.kiosk_id}", ctx.cancel)
    if r.value is None:
        return _fault(r)
    return report("TEST_PAGE_PRINTED", bytes=r.value.size, job=r.value.job_id)


def _printer_problem(status: DeviceStatus) -> str:
    """A printer out of paper greys the services even while it still answers READY."""
    if status.media.get("paper") == "out":
        return "PAPER_OUT"
    problem = ready_problem(status)
    if problem and status.media.get("cover") == "open":
        return "COVER_OPEN"
    return problem


IDCARD = register_device_class(DeviceClass(
    "idcard", "身份证读卡器", CardReader, _test_idcard, default_role="id_reader",
    # The card is laid down by the selftest itself (no automatic demo cards).
    selftest_options={"auto_present_s": 86400.0, "realistic": False},
    udev=(UdevHint("tty", "USB-serial bridge by VID:PID → /dev/kiosk-idcard, group dialout"),)))
CAMERA = register_device_class(DeviceClass(
    "camera", "高拍仪", DocumentCamera, _test_camera, default_role="document_camera",
    udev=(UdevHint("video4linux", "first capture device → /dev/kiosk-camera"),)))
PRINTER = register_device_class(DeviceClass(
    "printer", "回执打印机", ReceiptPrinter, _test_printer, default_role="receipt_printer",
    problem=_printer_problem,
    udev=(UdevHint("usb", "USB printer-class interface: group lp (pyusb)"),
          UdevHint("usbmisc", "usblp device file → /dev/kiosk-printer, group lp"))))
SCANNER = register_device_class(DeviceClass(
    "scanner", "扫码器", CodeScanner, _test_scanner, default_role="code_scanner",
    udev=(UdevHint("tty", "CDC scanner on a USB-serial bridge → /dev/kiosk-serial-N"),
          UdevHint("input", "keyboard-wedge scanner by VID → /dev/kiosk-scanner, group input"))))
DOCUMENT_PRINTER = register_device_class(DeviceClass(
    "document_printer", "文书打印机", DocumentPrinter, _test_document_printer,
    default_role="document_printer",
    udev=(UdevHint("usb", "USB printer: CUPS (usb backend, group lp) owns it, not the kiosk"),)))
