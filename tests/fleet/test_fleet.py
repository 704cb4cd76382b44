"""The fleet channel through a real Mosquitto on loopback: a kiosk process (``kiosk fleet
agent``, the real client code) comes online, executes MAINTENANCE_MODE sent by an operator
(``kiosk fleet send``) and answers on the MQTT 5 response topic; killed, it shows "offline"
(last will); a command sent while it is down is executed when it returns (persistent
session, QoS 1). Nothing personal ever crosses the bus. TLS with client certificates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from kiosk.sandbox.server import SandboxServer
from tests.fleet.conftest import Mosquitto, make_pki, start_mosquitto
from tests.queue.sandbox_apps import CERT_NO, MATTER, NAME, applicant, form, kiosk, write_config
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
DEVICE = "DEMO-KIOSK-0001"
KEEPALIVE = 5


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxServer]:
    server = SandboxServer(tmp_path / "platform" / "sandbox.db").start()
    yield server
    server.stop()


def fleet_config(tmp: Path, sandbox: SandboxServer, broker: str, **extra: str) -> Path:
    cfg = write_config(tmp, sandbox.base_url)
    lines = [f'broker = "{broker}"', f"keepalive_s = {KEEPALIVE}", "state_every_s = 1"]
    lines += [f'{k} = "{v}"' for k, v in extra.items()]
    with cfg.open("a", encoding="utf-8") as f:
        f.write("\n[fleet]\n" + "\n".join(lines) + "\n")
    return cfg


class Agent:
    """`kiosk fleet agent` as its own process, as on a kiosk."""

    def __init__(self, cfg: Path) -> None:
        self.cfg = cfg
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Agent:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--config", str(self.cfg), "fleet", "agent",
             "--no-devices"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, sig)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture
def agents() -> Iterator[Callable[[Path], Agent]]:
    started: list[Agent] = []

    def make(cfg: Path) -> Agent:
        a = Agent(cfg).start()
        started.append(a)
        return a

    yield make
    for a in started:
        if a.proc is not None and a.proc.poll() is None:
            os.kill(a.proc.pid, signal.SIGCONT)
        a.kill()


def fleet(*args: str | Path, tls: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    return kiosk("fleet", *args, *(tls or []), "--json")


def status(broker: str, *filters: str, tls: list[str] | None = None) -> dict[str, Any]:
    res = fleet("status", "--broker", broker,
                *[x for f in filters for x in ("--filter", f)], tls=tls)
    assert res.returncode == 0, res.stderr
    out: dict[str, Any] = json.loads(res.stdout)
    return out


def me(broker: str, tls: list[str] | None = None) -> dict[str, Any] | None:
    rows = [r for r in status(broker, tls=tls)["kiosks"] if r["kiosk"] == DEVICE]
    return rows[0] if rows else None


class Sniffer:
    """Everything published on the broker, as an eavesdropper with access to '#' sees it."""

    def __init__(self, broker: Mosquitto) -> None:
        self.payloads: list[tuple[str, bytes]] = []
        self.client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="sniffer",
                                  protocol=mqtt.MQTTv5)
        self.client.on_connect = lambda c, u, f, r, p: c.subscribe("#", qos=1)
        self.client.on_message = self._message
        self.last_presence = b""
        self.last_presence_at = 0.0
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()

    def _message(self, c: mqtt.Client, u: Any, m: mqtt.MQTTMessage) -> None:
        self.payloads.append((m.topic, m.payload))
        if m.topic.endswith(f"/{DEVICE}/presence"):
            self.last_presence, self.last_presence_at = m.payload, time.monotonic()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def test_maintenance_mode_offline_and_a_command_queued_while_the_kiosk_is_down(
        tmp_path: Path, sandbox: SandboxServer, broker: Mosquitto,
        agents: Callable[[Path], Agent]) -> None:
    sniffer = Sniffer(broker)
    cfg = fleet_config(tmp_path, sandbox, broker.url)
    # An application waiting in the queue: its applicant must never appear on the bus.
    (tmp_path / "a.json").write_text(json.dumps(applicant(), ensure_ascii=False), "utf-8")
    (tmp_path / "f.json").write_text(json.dumps(form(), ensure_ascii=False), "utf-8")
    stored = kiosk("--config", cfg, "submit", "--matter", MATTER, "--applicant",
                   tmp_path / "a.json", "--form", tmp_path / "f.json", "--no-sync")
    assert stored.returncode == 0, stored.stderr

    agent = agents(cfg)
    wait_until(lambda: (me(broker.url) or {}).get("online") is True, "the kiosk online", 30)
    view = me(broker.url)
    assert view is not None and view["state"] == "IN_SERVICE" and view["hall"] == "330106-HALL-01"
    assert view["queue"]["pendingApplications"] == 1

    res = fleet("send", "--broker", broker.url, "--kiosk", DEVICE, "--command",
                "MAINTENANCE_MODE", "--arg", "reason=大厅检修")
    assert res.returncode == 0, res.stderr
    answer = json.loads(res.stdout)
    assert (answer["result"], answer["detail"], answer["queued"]) == \
        ("DONE", "out of service", False)
    print(f"\nMAINTENANCE_MODE round trip through the broker: {answer['rttMs']} ms")
    service = json.loads(kiosk("--config", cfg, "service", "status", "--json").stdout)
    assert (service["state"], service["by"], service["reason"]) == \
        ("OUT_OF_SERVICE", "platform", "大厅检修")
    wait_until(lambda: [r["kiosk"] for r in status(broker.url, "out-of-service")["kiosks"]]
               == [DEVICE], "the retained state out of service", 15)

    # Killed (power cut): the broker publishes its last will.
    agent.kill()
    killed = time.monotonic()
    wait_until(lambda: (me(broker.url) or {}).get("online") is False, "offline", 15)
    print(f"offline seen {time.monotonic() - killed:.1f} s after the kill")
    assert [r["kiosk"] for r in status(broker.url, "offline")["kiosks"]] == [DEVICE]

    # A command sent while it is down waits in its persistent session…
    res = fleet("send", "--broker", broker.url, "--kiosk", DEVICE, "--command",
                "MAINTENANCE_MODE", "--arg", "enabled=false", "--timeout", "1")
    assert res.returncode == 3, res.stderr
    queued = json.loads(res.stdout)
    assert queued["queued"] is True and queued["online"] is False

    # …and is executed when it comes back.
    agents(cfg)
    wait_until(lambda: json.loads(kiosk("--config", cfg, "service", "status", "--json").stdout)
               ["state"] == "IN_SERVICE", "the queued command executed", 30)
    wait_until(lambda: any(c["id"] == queued["id"] and c["result"] == "DONE"
                           for c in ((me(broker.url) or {}).get("recentCommands") or
                                     _state(sniffer).get("recentCommands", []))),
               "the result in the retained state", 15)
    sniffer.close()
    everything = b"".join(t.encode() + p for t, p in sniffer.payloads)
    assert NAME.encode() not in everything and CERT_NO.encode() not in everything
    assert CERT_NO[-6:].encode() not in everything


def _state(sniffer: Sniffer) -> dict[str, Any]:
    for topic, payload in reversed(sniffer.payloads):
        if topic.endswith(f"/{DEVICE}/state"):
            out: dict[str, Any] = json.loads(payload)
            return out
    return {}


def test_a_silent_kiosk_is_offline_within_one_and_a_half_keepalives(
        tmp_path: Path, sandbox: SandboxServer, broker: Mosquitto,
        agents: Callable[[Path], Agent]) -> None:
    cfg = fleet_config(tmp_path, sandbox, broker.url)
    agent = agents(cfg)
    wait_until(lambda: (me(broker.url) or {}).get("online") is True, "the kiosk online", 30)
    sniffer = Sniffer(broker)
    wait_until(lambda: any(t.endswith("/presence") for t, _ in sniffer.payloads), "retained")
    # The network goes silent (cable cut, kiosk frozen): no FIN, no RST, no pings.
    agent.signal(signal.SIGSTOP)
    stopped = time.monotonic()
    wait_until(lambda: sniffer.last_presence == b"offline", "offline after the keepalive", 20,
               interval_s=0.02)
    took = sniffer.last_presence_at - stopped
    sniffer.close()
    print(f"\nsilent kiosk offline after {took:.1f} s (keepalive {KEEPALIVE} s)")
    # MQTT says 1.5 × keepalive after the last packet. Mosquitto 2.0.11 (Debian 12) took
    # 9–11 s here at keepalive 5 for a kiosk that had been publishing every second (an idle
    # client: 1.5 × keepalive); measured, not what the issue aims at (docs/operations.md).
    assert 1.5 * KEEPALIVE - 1 <= took <= 3 * KEEPALIVE + 1
    agent.signal(signal.SIGCONT)


def test_tls_with_client_certificates(tmp_path: Path, sandbox: SandboxServer,
                                      agents: Callable[[Path], Agent]) -> None:
    pki = make_pki(tmp_path / "pki", [DEVICE, "operator"])
    broker = start_mosquitto(tmp_path, tls=pki)
    try:
        cfg = fleet_config(tmp_path, sandbox, broker.url, ca_file=str(pki["ca"]),
                           client_cert=str(pki[f"{DEVICE}-cert"]),
                           client_key=str(pki[f"{DEVICE}-key"]))
        agents(cfg)
        tls = ["--ca", str(pki["ca"]), "--cert", str(pki["operator-cert"]),
               "--key", str(pki["operator-key"])]
        wait_until(lambda: (me(broker.url, tls) or {}).get("online") is True, "online (TLS)", 30)
        res = fleet("send", "--broker", broker.url, "--kiosk", DEVICE, "--command",
                    "MAINTENANCE_MODE", *tls)
        assert res.returncode == 0 and json.loads(res.stdout)["result"] == "DONE", res.stderr
        # Without a client certificate the broker refuses the connection.
        res = kiosk("fleet", "status", "--broker", broker.url, "--ca", str(pki["ca"]), "--json")
        assert res.returncode != 0 or json.loads(res.stdout)["count"] == 0
        assert "Traceback" not in res.stderr
    finally:
        broker.stop()


def test_unknown_kiosk_and_bad_arguments_are_one_line(broker: Mosquitto) -> None:
    res = kiosk("fleet", "send", "--broker", broker.url, "--kiosk", "NOPE", "--command",
                "REFRESH_CATALOG")
    assert res.returncode == 1 and "NOPE" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    res = kiosk("fleet", "status", "--broker", "http://x", "--json")
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    res = kiosk("fleet", "status", "--broker", broker.url, "--filter", "bogus")
    assert res.returncode == 2


def test_a_command_message_that_is_not_json_is_rejected_not_fatal(
        tmp_path: Path, sandbox: SandboxServer, broker: Mosquitto,
        agents: Callable[[Path], Agent]) -> None:
    cfg = fleet_config(tmp_path, sandbox, broker.url)
    agents(cfg)
    wait_until(lambda: (me(broker.url) or {}).get("online") is True, "the kiosk online", 30)
    got = threading.Event()
    c = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="garbage", protocol=mqtt.MQTTv5)
    c.connect("127.0.0.1", broker.port)
    c.loop_start()
    try:
        c.publish(f"kiosk/330106/330106-HALL-01/{DEVICE}/cmd", b"\xff{not json", qos=1) \
            .wait_for_publish(5)
        got.set()
    finally:
        c.disconnect()
        c.loop_stop()
    res = fleet("send", "--broker", broker.url, "--kiosk", DEVICE, "--command", "ROTATE_KEY")
    assert res.returncode == 0 and json.loads(res.stdout)["result"] in ("REJECTED", "DONE")


def test_the_running_kiosk_is_on_the_bus_and_obeys_maintenance_mode(
        tmp_path: Path, broker: Mosquitto) -> None:
    from kiosk.app_services import AppServices
    from tests.operator.conftest import settings_for

    services = AppServices(settings_for(tmp_path / "kiosk", fleet={
        "broker": broker.url, "keepalive_s": 5, "state_every_s": 1}))
    try:
        device = services.settings.kiosk.device_id
        wait_until(lambda: any(r["kiosk"] == device and r["online"]
                               for r in status(broker.url)["kiosks"]), "online", 30)
        res = fleet("send", "--broker", broker.url, "--kiosk", device, "--command",
                    "MAINTENANCE_MODE", "--arg", "reason=换纸")
        assert res.returncode == 0 and json.loads(res.stdout)["result"] == "DONE", res.stderr
        assert services.operator.out_of_service()
        # ROTATE_KEY over the bus: every live client of the running kiosk switches at once.
        res = fleet("send", "--broker", broker.url, "--kiosk", device, "--command", "ROTATE_KEY")
        answer = json.loads(res.stdout)
        assert answer["result"] == "DONE" and "switched" in answer["detail"], answer
        new = (services.settings.kiosk.data_dir / "credentials" / "api-secret").read_bytes()
        assert services.parts.client.session.auth.secret == new.strip()
        assert services.parts.client.list_matters(page=1, page_size=1).json["items"]
        assert services.parts.heartbeat.beat_once(services.parts.heartbeat_client, device).sent
    finally:
        services.close()
    # A clean stop says goodbye itself (no need to wait for the keepalive).
    [row] = [r for r in status(broker.url)["kiosks"] if r["kiosk"] == device]
    assert row["online"] is False and row["state"] == "OUT_OF_SERVICE"


def test_simulate_a_small_fleet_with_a_worker_frozen_killed_and_restarted(
        broker: Mosquitto) -> None:
    res = kiosk("fleet", "simulate", "--broker", broker.url, "--kiosks", "24", "--seconds", "12",
                "--processes", "3", "--rate", "20", "--broker-pid", str(broker.proc.pid),
                "--json", timeout=180)
    assert res.returncode == 0, res.stdout + res.stderr
    report = json.loads(res.stdout)
    print("\n", report)
    assert report["kiosks"] == 24 and report["online"] == 24
    assert report["lostCommands"] == 0 and report["commands"] >= 150
    assert report["queuedWhileOffline"] > 0
    assert report["queuedDelivered"] == report["queuedWhileOffline"]
    assert report["offlineDetectedSec"]["kiosks"] == 8
    assert report["offlineDetectedSec"]["max"] <= 3 * report["keepaliveSec"] + 1
    assert report["broker"]["rssMB"] > 0 and report["workers"]["cpuSec"] > 0
