"""``kiosk selftest``: the whole citizen journey, headless, on this machine's software stack —
simulated devices, the embedded sandbox on loopback, Qt offscreen, a temporary data dir —
then checks through the sandbox that the application arrived with its files and through the
printer simulator that a receipt was printed. The GUI thread's longest stall is measured."""

from __future__ import annotations

import copy
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Settings, parse_settings
from kiosk.device_roles import ID_READER, RECEIPT_PRINTER
from kiosk.services import KioskBackend

if TYPE_CHECKING:
    from kiosk.app_services import AppServices
    from ui.journey import Driver

GJJ_QUERY = "gjj"  # 提取住房公积金, found by its pinyin initials


def selftest_settings(base: Settings, data_dir: Path) -> Settings:
    """The installed config with every part swapped for its simulator and a private data dir
    (nothing reaches the real platform, queue or printer)."""
    raw: dict[str, Any] = copy.deepcopy(dict(base.raw))
    raw.setdefault("kiosk", {})
    raw["kiosk"]["data_dir"] = str(data_dir)
    raw["kiosk"]["demo"] = True
    raw.setdefault("api", {})["base_url"] = "embedded"
    if not Path(base.api.secret_file).exists():
        secret = data_dir / "selftest-secret"
        secret.write_text(os.urandom(16).hex())
        raw["api"]["secret_file"] = str(secret)
    else:
        raw["api"]["secret_file"] = str(base.api.secret_file)
    raw["devices"] = simulated_devices(base)
    raw.setdefault("ui", {})["voice_prompts"] = False
    return parse_settings(raw, base.source)


def simulated_devices(base: Settings) -> dict[str, dict[str, Any]]:
    """Every role the installed config fills or a service needs, as a simulated device of
    its class with the class's selftest options (kiosk.device_classes)."""
    from kiosk.availability import required_roles
    from kiosk.device_classes import device_class
    from kiosk.device_roles import device_role

    out: dict[str, dict[str, Any]] = {}
    for role in dict.fromkeys((*(d.role for d in base.devices.values()), *required_roles())):
        section = base.device_for(role)
        spec = device_role(role)
        cls = section.device_class if section is not None else spec.classes[0] if spec else ""
        klass = device_class(cls)
        if klass is None:
            continue
        out[role] = {"class": cls, "driver": "simulated", **klass.selftest_options,
                     **(spec.simulated if spec else {})}
    return out


@dataclass
class SelftestReport:
    ok: bool = False
    steps: list[dict[str, Any]] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)
    max_stall_ms: float = 0.0
    missing: list[str] = field(default_factory=list)
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "steps": self.steps, "checks": self.checks,
                "maxStallMs": round(self.max_stall_ms, 1), "missing": self.missing,
                "error": self.error}


def run_selftest(base: Settings, journeys: int = 1) -> SelftestReport:
    from ui.offscreen import use_offscreen

    use_offscreen()
    report = SelftestReport()
    with tempfile.TemporaryDirectory(prefix="kiosk-selftest-") as tmp:
        settings = selftest_settings(base, Path(tmp))
        from kiosk.logs import setup_logging

        setup_logging(settings.kiosk.log_dir)
        from kiosk.app_services import AppServices
        from ui.journey import Driver, JourneyError, StallMeter
        from ui.main import application, build_kiosk

        app = application(base.kiosk.language)
        t0 = time.perf_counter()
        services = AppServices(settings)
        report.missing = list(services.missing)
        kiosk = None
        try:
            catalog = services.catalog()
            kiosk = build_kiosk(settings, services, catalog=catalog, voice=False)
            kiosk.window.show()
            report.steps.append({"name": "start", "ms": round((time.perf_counter() - t0) * 1000,
                                                              1), "ok": True})
            meter = StallMeter()
            meter.start()
            driver = Driver(kiosk, meter=meter)
            for _ in range(journeys):
                run_journey(driver, services)
            meter.stop()
            report.max_stall_ms = meter.max_stall_ms
            report.steps += [{"name": s.name, "ms": round(s.ms, 1), "ok": s.ok,
                              "stallMs": round(s.stall_ms, 1),
                              **({"detail": s.detail} if s.detail else {})}
                             for s in driver.steps]
            report.checks = check_outcome(services, journeys)
            report.ok = all(c["ok"] for c in report.checks.values()) and not kiosk.controller.errors
            if kiosk.controller.errors:
                report.error = "background errors: " + ", ".join(kiosk.controller.errors)
        except JourneyError as exc:
            report.error = str(exc)
            if kiosk is not None:
                report.steps += [{"name": s.name, "ms": round(s.ms, 1), "ok": s.ok,
                                  **({"detail": s.detail} if s.detail else {})}
                                 for s in Driver(kiosk).steps]
        finally:
            if kiosk is not None:
                kiosk.controller.shutdown()
                kiosk.window.close()
                kiosk.window.deleteLater()
            services.close()
            app.processEvents()
    return report


@contextmanager
def real_kiosk(settings: Settings) -> Iterator[Driver]:
    """The kiosk's window on real parts (services, embedded sandbox, simulators) for a
    ``Driver`` to tap through, closed with everything it started afterwards. Tests, the
    screenshot walk and the fit walk share it."""
    from kiosk.app_services import AppServices
    from ui.journey import Driver
    from ui.main import application, build_kiosk

    app = application()
    services = AppServices(settings)
    kiosk = build_kiosk(settings, services, catalog=services.catalog(), voice=False)
    kiosk.window.show()
    try:
        yield Driver(kiosk)
    finally:
        kiosk.controller.shutdown()
        kiosk.window.close()
        services.close()
        kiosk.window.deleteLater()
        app.processEvents()


def with_face_camera(settings: Settings, subject: str | None, policy: str = "optional",
                     **identity: Any) -> Settings:
    """``settings`` with a simulated face camera filming ``subject`` ("match", "stranger",
    "photo", "portrait", "none"; None: no face camera installed) and the face check at
    ``policy``; ``identity`` adds [identity] keys."""
    from kiosk.device_roles import FACE_CAMERA

    raw: dict[str, Any] = copy.deepcopy(dict(settings.raw))
    devices = raw.setdefault("devices", {})
    devices.pop(FACE_CAMERA, None)
    if subject is not None:
        devices[FACE_CAMERA] = {"class": "camera", "driver": "simulated", "face": subject}
    raw["identity"] = {"face_check": policy, "liveness_timeout_s": 9, **identity}
    return parse_settings(raw, settings.source)


def demo_card_for(services: KioskBackend) -> Any:
    """The simulated ID-card reader's simulator (demo and selftest: AppServices)."""
    from kiosk.app_services import AppServices

    reader = services.device(ID_READER) if isinstance(services, AppServices) else None
    sim = getattr(reader, "simulator", None)
    if sim is None:
        raise RuntimeError("no simulated ID-card reader")
    return sim


def run_journey(driver: Driver, services: KioskBackend, query: str = GJJ_QUERY,
                choose: Callable[[], None] | None = None) -> None:
    """One citizen's whole journey, step by step (``driver.steps`` times each); ``choose``
    replaces the search for ``query`` (the catalog benchmark pages and types instead)."""
    sim = demo_card_for(services)
    matter = driver.kiosk.machine.catalog.search(query)[0]
    driver.step("attract → identify", driver.start_apply)

    def read_card() -> None:
        sim.present()
        driver.wait_for("card read", lambda: driver.kiosk.machine.data.citizen is not None)

    driver.step("read ID card", read_card)
    driver.step("choose matter, consent, prefill",
                choose or (lambda: driver.choose(query, matter.code)))
    driver.step("fill form", driver.fill_form)
    driver.step("capture materials", driver.capture_materials)
    driver.step("delivery", driver.deliver)
    driver.step("review and submit", driver.confirm)
    driver.step("print receipt", driver.take_receipt)
    driver.step("rate", driver.rate)
    sim.lift()


def check_outcome(services: AppServices, journeys: int, wait_s: float = 15.0) -> dict[str, Any]:
    """What arrived where. The rating is sent in the background as the session ends, so the
    sandbox is asked again (for up to ``wait_s``) until everything is there."""
    deadline = time.monotonic() + wait_s
    while True:
        checks = _outcome(services, journeys)
        if all(c["ok"] for c in checks.values()) or time.monotonic() > deadline:
            return checks
        time.sleep(0.2)


def _outcome(services: AppServices, journeys: int) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    sandbox = services.parts.sandbox
    apps = sandbox.storage.dump() if sandbox is not None else []
    with_files = [a for a in apps if a.get("files")]
    checks["applicationArrived"] = {"ok": len(apps) >= journeys and len(with_files) >= journeys,
                                    "applications": len(apps), "withFiles": len(with_files)}
    printer = services.device(RECEIPT_PRINTER)
    jobs = list(getattr(getattr(printer, "engine", None), "jobs", []))
    checks["receiptPrinted"] = {"ok": len(jobs) >= journeys, "jobs": len(jobs),
                                "bytes": sum(len(j) for j in jobs)}
    rated = [a for a in apps if a.get("evaluation")]
    checks["ratingArrived"] = {"ok": len(rated) >= journeys, "rated": len(rated)}
    return checks
