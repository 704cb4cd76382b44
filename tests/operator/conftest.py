"""The staff and technician backend on real parts, without Qt: ``AppServices`` built from the
selftest settings (embedded sandbox on loopback, the offline queue on SQLite in a temp dir,
simulated devices over pty/TCP), as ``tests/ui/conftest.py`` does with a window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.app_services import AppServices
from kiosk.config import Settings, load_settings, parse_settings
from kiosk.sandbox.demo_identities import ZHAO_LIU
from tests.queue.sandbox_apps import MATERIAL, MATTER, applicant, form, jpeg
from tests.waiting import wait_until
from ui.selftest import selftest_settings

CITIZEN = ZHAO_LIU  # fictitious: region 330199 does not exist
AGENT_NAME = "钱七代办测试"  # fictitious agent (代办人)
AGENT_CERT_NO = "33019919700101002X"
AGENT_PHONE = "13900000009"
# Everything that must never appear in clear in a file the kiosk writes for staff mode.
SECRETS = (CITIZEN.name, CITIZEN.name[1:], CITIZEN.cert_no, CITIZEN.phone, AGENT_NAME,
           AGENT_NAME[1:], AGENT_CERT_NO, AGENT_PHONE)


def settings_for(data_dir: Path, **changes: Any) -> Settings:
    """The selftest settings of the repo's kiosk.toml; ``changes`` patch raw sections,
    e.g. ``kiosk={"demo": False}``."""
    base = selftest_settings(load_settings(), data_dir)
    if not changes:
        return base
    raw: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in base.raw.items()}
    for section, values in changes.items():
        raw.setdefault(section, {}).update(values)
    return parse_settings(raw, base.source)


@pytest.fixture
def start_kiosk(tmp_path: Path) -> Iterator[Callable[..., AppServices]]:
    """Starts a kiosk on ``tmp_path`` (again after a close: a restart) and waits until its
    devices are up."""
    running: list[AppServices] = []

    def start(settings: Settings | None = None) -> AppServices:
        services = AppServices(settings or settings_for(tmp_path))
        running.append(services)
        wait_until(lambda: all(s.availability.value != "STARTING"
                               for s in services.parts.manager.statuses().values()), "devices up")
        return services

    yield start
    for services in running:
        services.close()


@pytest.fixture
def kiosk(start_kiosk: Callable[..., AppServices]) -> AppServices:
    return start_kiosk()


def submit(services: AppServices) -> Any:
    """One application through the touchscreen's submission path (AppServices.submit)."""
    app = {"implCode": MATTER, "applicant": applicant(), "form": form(),
           "materials": [{"materialCode": MATERIAL, "submission": "ELECTRONIC_FILE"}],
           "delivery": {"method": "WINDOW", "address": None}}
    r = services.submit(app, {MATERIAL: [jpeg(7)]})
    assert r.ok, r.fault
    return r.unwrap()


def receipt_dict(outcome: Any, agent: dict[str, Any] | None = None) -> dict[str, Any]:
    """What kiosk.session.application.receipt_content hands to print_receipt."""
    d: dict[str, Any] = {
        "matterName": "居住证申领", "matterCode": MATTER,
        "applicantName": CITIZEN.name, "applicantCertNo": CITIZEN.cert_no,
        "materialsReceived": [("居住登记材料", 1)], "materialsExempted": ["居民身份证"],
        "materialsOnPaper": [], "deliveryMode": "WINDOW", "deliveryAddress": "",
        "delivered": outcome.delivered, "clientApplicationId": outcome.client_application_id,
        "applicationId": outcome.application_id, "queryPassword": outcome.query_password,
        "promised": 5}
    if agent is not None:
        d["agent"] = agent
    return d


def staff_agent() -> dict[str, Any]:
    return {"kind": "HALL_STAFF", "name": AGENT_NAME, "certType": "RESIDENT_ID_CARD",
            "certNo": AGENT_CERT_NO, "phone": AGENT_PHONE}


def printed(services: AppServices) -> list[str]:
    """Text of every job the simulated printer received, oldest first."""
    from devices.printer.render import render

    printer = services.device("receipt_printer")
    return ["\n".join(render(job, printer.paper.dots).lines) for job in printer.engine.jobs]


def leaks(data: bytes) -> list[str]:
    """The citizen values found in clear in ``data`` (UTF-8, GB18030 or UTF-16)."""
    found = []
    for s in SECRETS:
        for enc in ("utf-8", "gb18030", "utf-16-le"):
            if s.encode(enc) in data:
                found.append(f"{s} ({enc})")
    return found


def files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()]
