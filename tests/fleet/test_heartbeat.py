"""The device heartbeat carries the kiosk's state and executes the platform's commands, with
results reported on the next beat — through ``kiosk heartbeat --once`` and in a running
kiosk, against the sandbox on loopback (real HTTP, real signatures, the contract's schemas
checked by the sandbox on every request)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.app_services import AppServices
from kiosk.sandbox.server import SandboxServer
from tests.operator.conftest import settings_for
from tests.queue.sandbox_apps import kiosk, write_config
from tests.waiting import wait_until

DEVICE = "DEMO-KIOSK-0001"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path / "platform" / "sandbox.db").start()
    yield server
    server.stop()


def queue_command(sandbox: SandboxServer, kind: str, device: str = DEVICE,
                  **args: str) -> str:
    """What an operator does on the platform: a command for one kiosk (admin endpoint)."""
    body: dict[str, Any] = {"type": kind, **({"args": args} if args else {})}
    r = requests.post(f"{sandbox.root_url}/__admin/devices/{device}/commands", json=body,
                      timeout=10)
    assert r.status_code == 201, r.text
    cid: str = r.json()["id"]
    return cid


def platform_view(sandbox: SandboxServer, device: str = DEVICE) -> dict[str, Any]:
    r = requests.get(f"{sandbox.root_url}/__admin/devices/{device}", timeout=10)
    assert r.status_code == 200, r.text
    view: dict[str, Any] = r.json()
    return view


def beat(cfg: Path, *extra: str) -> dict[str, Any]:
    res = kiosk("--config", cfg, "heartbeat", "--once", "--json", *extra)
    assert res.returncode == 0, res.stderr
    out: dict[str, Any] = json.loads(res.stdout)
    return out


def service_status(cfg: Path) -> dict[str, Any]:
    res = kiosk("--config", cfg, "service", "status", "--json")
    assert res.returncode == 0, res.stderr
    out: dict[str, Any] = json.loads(res.stdout)
    return out


def test_maintenance_mode_from_the_platform_takes_the_kiosk_out_of_service_and_reports_it(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    cid = queue_command(sandbox, "MAINTENANCE_MODE", reason="大厅停电检修")
    out = beat(cfg, "--no-devices")
    assert out["sent"] is True and isinstance(out["clockSkewSec"], int)
    assert [(c["id"], c["type"], c["result"]) for c in out["commands"]] == [
        (cid, "MAINTENANCE_MODE", "DONE")]
    status = service_status(cfg)
    assert status["state"] == "OUT_OF_SERVICE" and status["by"] == "platform"
    assert status["reason"] == "大厅停电检修"
    # The next beat reports the result and the new state; the platform keeps both.
    assert beat(cfg, "--no-devices")["commands"] == []
    view = platform_view(sandbox)
    assert view["commands"] == [{"id": cid, "type": "MAINTENANCE_MODE", "delivered": True,
                                 "result": "DONE", "detail": "out of service"}]
    last = view["lastHeartbeat"]
    assert last["state"] == "OUT_OF_SERVICE"
    assert last["outOfService"]["reason"] == "大厅停电检修" and last["outOfService"]["by"] == "platform"
    # And back into service.
    cid2 = queue_command(sandbox, "MAINTENANCE_MODE", enabled="false")
    assert beat(cfg, "--no-devices")["commands"][0]["id"] == cid2
    assert service_status(cfg)["state"] == "IN_SERVICE"


def test_the_heartbeat_reports_devices_supplies_queue_storage_and_catalog(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    with cfg.open("a", encoding="utf-8") as f:
        f.write('\n[devices.printer]\ndriver = "simulated"\nsim_paper = "low"\n'
                '\n[devices.idcard]\ndriver = "none"\n')
    queue_command(sandbox, "REFRESH_CATALOG")
    out = beat(cfg)
    [refresh] = out["commands"]
    assert refresh["result"] == "DONE" and refresh["detail"].startswith("catalog version ")
    beat(cfg)
    last = platform_view(sandbox)["lastHeartbeat"]
    assert last["state"] == "IN_SERVICE" and last["hallCode"] == "330106-HALL-01"
    assert last["catalogVersion"] and last["catalogVersion"] in refresh["detail"]
    assert last["queue"] == {"pendingApplications": 0, "pendingUploadsBytes": 0,
                             "oldestPendingAgeSec": 0, "deadLetter": 0}
    assert last["devices"]["printer"]["supplies"]["paper"] == "low"
    assert last["peripherals"]["printer"] == last["devices"]["printer"]["availability"]
    assert last["devices"]["idcard"]["availability"] == "NOT_CONFIGURED"
    assert last["storage"]["freeBytes"] > 0
    assert isinstance(last["clock"]["lastSkewSec"], int)


def test_a_command_this_kiosk_does_not_know_is_rejected_with_a_reason(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    with cfg.open("a", encoding="utf-8") as f:
        f.write('\n[update]\nring = 0\n')
    cid = queue_command(sandbox, "INSTALL_VERSION", version="not a version")
    [result] = beat(cfg, "--no-devices")["commands"]
    assert (result["id"], result["result"]) == (cid, "REJECTED") and result["detail"]
    beat(cfg, "--no-devices")
    assert platform_view(sandbox)["commands"][0]["result"] == "REJECTED"


def test_rotate_key_switches_to_a_new_secret_kept_0600_and_the_old_one_fades(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    from kiosk.api.client import ApiClient
    from kiosk.api.errors import ApiError
    from tests.queue.sandbox_apps import ROOT

    cfg = write_config(tmp_path, sandbox.base_url)
    cid = queue_command(sandbox, "ROTATE_KEY")
    [result] = beat(cfg, "--no-devices")["commands"]
    assert (result["id"], result["result"]) == (cid, "DONE"), result
    rotated = tmp_path / "var" / "credentials" / "api-secret"
    assert oct(rotated.stat().st_mode & 0o777) == "0o600"
    new = rotated.read_bytes().strip()
    old = (ROOT / "packaging" / "demo" / "demo-api-secret").read_bytes().strip()
    assert new != old and len(new) >= 32
    # Every later command signs with the new secret (the provisioned file is unchanged).
    assert beat(cfg, "--no-devices")["sent"] is True
    assert platform_view(sandbox)["commands"][0]["result"] == "DONE"
    # The old secret is still accepted for the grace period, then no more.
    with ApiClient(sandbox.base_url, "DEMO-KIOSK-0001", old) as client:
        client.heartbeat(device_id="DEMO-KIOSK-0001")
        sandbox.faults.set(clock_offset_s=601)
        with ApiClient(sandbox.base_url, "DEMO-KIOSK-0001", new, correct_clock=True) as fresh:
            fresh.heartbeat(device_id="DEMO-KIOSK-0001")
        try:
            client.heartbeat(device_id="DEMO-KIOSK-0001")
        except ApiError as err:
            assert err.code in ("AUTH_INVALID_SIGNATURE", "AUTH_CLOCK_SKEW")
        else:
            raise AssertionError("the old secret still works after the grace period")


def test_upload_logs_exports_the_masked_diagnostic_bundle(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    queue_command(sandbox, "UPLOAD_LOGS")
    [result] = beat(cfg, "--no-devices")["commands"]
    assert result["result"] == "DONE", result
    assert list((tmp_path / "var").rglob("*.tar.gz")), "no bundle written"


def test_a_clock_off_by_45_seconds_is_shown_as_a_warning_before_signatures_fail(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    sandbox.faults.set(clock_offset_s=45)
    out = beat(cfg, "--no-devices")
    assert out["sent"] and 44 <= out["clockSkewSec"] <= 46
    status = service_status(cfg)
    assert status["clock"]["warning"] is True
    assert "behind the platform" in status["clockWarning"]
    res = kiosk("--config", cfg, "service", "status")
    assert "warning: clock 4" in res.stdout and "±90 s" in res.stdout


def test_an_unreachable_platform_is_one_line_and_exit_3(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    res = kiosk("--config", cfg, "heartbeat", "--once", "--no-devices")
    assert res.returncode == 3
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr


def test_service_suspend_and_resume_from_the_command_line(tmp_path: Path,
                                                          sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    res = kiosk("--config", cfg, "service", "suspend", "--reason", "更换打印机", "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["outOfService"] is True
    beat(cfg, "--no-devices")
    assert platform_view(sandbox)["lastHeartbeat"]["outOfService"]["by"] == "cli"
    res = kiosk("--config", cfg, "service", "resume")
    assert res.returncode == 0 and res.stdout.strip() == "in service"
    audit = (tmp_path / "var" / "audit").glob("*")
    text = "".join(p.read_text(encoding="utf-8") for p in audit if p.is_file())
    assert "tech.out_of_service" in text and "tech.in_service" in text


@pytest.mark.parametrize("argv", [["suspend", "--reason", "a\x1b[2Jb"],
                                  ["resume", "--reason", "x"],
                                  ["suspend", "--reason", "x" * 201]])
def test_a_bad_service_reason_is_refused_with_one_line(tmp_path: Path, argv: list[str]) -> None:
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    res = kiosk("--config", cfg, "service", *argv)
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    assert service_status(cfg)["state"] == "IN_SERVICE"


@pytest.fixture
def running_kiosk(tmp_path: Path) -> Iterator[Callable[[], AppServices]]:
    started: list[AppServices] = []

    def start() -> AppServices:
        services = AppServices(settings_for(tmp_path / "kiosk", api={"heartbeat_s": 0.2}))
        started.append(services)
        return services

    yield start
    for s in started:
        s.close()


def test_a_running_kiosk_executes_maintenance_mode_and_a_cli_suspend_reaches_it(
        tmp_path: Path, running_kiosk: Callable[[], AppServices]) -> None:
    services = running_kiosk()
    sandbox = services.parts.sandbox  # the embedded sandbox of the demo settings
    root = sandbox.base_url.split("/uap/")[0]
    device = services.settings.kiosk.device_id
    r = requests.post(f"{root}/__admin/devices/{device}/commands",
                      json={"type": "MAINTENANCE_MODE"}, timeout=10)
    assert r.status_code == 201
    wait_until(services.operator.out_of_service, "the kiosk out of service")
    wait_until(lambda: requests.get(f"{root}/__admin/devices/{device}", timeout=10).json()
               ["commands"][0]["result"] == "DONE", "the result reported")
    # A technician's CLI in another process resumes service; the running kiosk sees it.
    state = services.settings.kiosk.data_dir / "state" / "service.json"
    assert state.exists()
    from kiosk.service_state import ServiceState

    ServiceState(state).set_out_of_service(False, "cli")
    wait_until(lambda: not services.operator.out_of_service(), "the kiosk back in service")


def test_install_version_writes_a_request_for_the_root_installer_in_its_ring_only(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    with cfg.open("a", encoding="utf-8") as f:
        f.write("\n[update]\nring = 1\n")
    skipped = queue_command(sandbox, "INSTALL_VERSION", version="0.1.0-2", rings="0")
    bad = queue_command(sandbox, "INSTALL_VERSION", version="0.1.0; rm -rf /")
    wanted = queue_command(sandbox, "INSTALL_VERSION", version="0.1.0-2", rings="0,1")
    results = {c["id"]: c for c in beat(cfg, "--no-devices")["commands"]}
    assert results[skipped]["result"] == "DONE" and "skipped" in results[skipped]["detail"]
    assert results[bad]["result"] == "REJECTED"
    assert results[wanted]["result"] == "DONE"
    request = json.loads((tmp_path / "var" / "update" / "request.json").read_text())
    assert request["version"] == "0.1.0-2" and request["commandId"] == wanted
    # What the root installer leaves is reported with the next beats.
    (tmp_path / "var" / "update" / "result.json").write_text(json.dumps(
        {"version": "0.1.0-2", "result": "DONE", "detail": "installed", "commandId": wanted,
         "at": "2026-12-07T11:00:00Z"}))
    beat(cfg, "--no-devices")
    assert platform_view(sandbox)["lastHeartbeat"]["update"]["result"] == "DONE"


def test_the_technician_desk_shows_the_clock_skew_the_platform_reported(
        tmp_path: Path, running_kiosk: Callable[[], AppServices]) -> None:
    services = running_kiosk()
    services.parts.sandbox.faults.set(clock_offset_s=-40)  # the kiosk's clock runs 40 s ahead
    wait_until(lambda: services.operator.clock_status()[0] is not None
               and services.operator.clock_status()[0] <= -39, "a beat with the skew")
    skew, warning = services.operator.clock_status()
    assert "ahead of the platform" in warning and "±90 s" in warning
