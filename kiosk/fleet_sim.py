"""``kiosk fleet simulate``: N light kiosks on a real broker, with the real client code
(kiosk.fleet.FleetClient, kiosk.heartbeat's command runner and log), spread over a few worker
processes; an operator sends commands throughout; one worker is frozen (its kiosks go silent:
offline detection by keepalive), then killed and restarted (commands sent meanwhile must be
executed on return).

Report: ``{"kiosks", "online", "commandRttMs": {"p50", "p99"}, "commands", "lostCommands",
"queuedWhileOffline", "offlineDetectedSec": {"max", "median"}, "keepaliveSec", "workers":
{"cpuSec", "rssMB"}, "broker": {...} (with --broker-pid)}``.
"""

from __future__ import annotations

import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

AREA, HALL_PREFIX = "330106", "SIM-HALL-"
STATE_EVERY_S = 30.0


def kiosk_id(i: int) -> str:
    return f"SIM-{i:05d}"


def worker(broker: str, first: int, count: int, keepalive: int, folder: Path) -> int:
    """One process of simulated kiosks; prints ``ready`` once all are connected, runs until
    SIGTERM (or is killed)."""
    from kiosk.fleet import FleetClient, FleetSettings
    from kiosk.heartbeat import (
        CommandLog,
        CommandRunner,
        Heartbeat,
        HeartbeatParts,
        standard_handlers,
    )
    from kiosk.service_state import ServiceState

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    settings = FleetSettings(broker, keepalive_s=keepalive, state_every_s=STATE_EVERY_S)
    clients = []
    for i in range(first, first + count):
        d = folder / kiosk_id(i)
        service = ServiceState(d / "service.json")

        def set_out(out: bool, actor: str, reason: str, s: ServiceState = service) -> None:
            s.set_out_of_service(out, actor, reason)

        parts = HeartbeatParts(data_dir=d, hall_code=f"{HALL_PREFIX}{i // 20:03d}",
                               area_code=AREA, service=service)
        runner = CommandRunner(CommandLog(d / "commands.json"), standard_handlers(
            set_out_of_service=set_out, refresh_catalog=lambda: "sim-1"))
        clients.append(FleetClient(Heartbeat(parts, runner), kiosk_id(i), settings).start())
    deadline = time.monotonic() + 120
    while not all(c.connected.is_set() for c in clients) and time.monotonic() < deadline:
        time.sleep(0.05)
    print("ready", sum(c.connected.is_set() for c in clients), flush=True)
    stop.wait()
    for c in clients:
        c.stop()
    return 0


def _usage(pid: int) -> tuple[float, float]:
    """(CPU seconds, RSS MB) of a process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        rss = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 1e6
        return cpu, rss
    except (OSError, IndexError, ValueError):
        return 0.0, 0.0


def run_simulation(broker_url: str, n: int, seconds: float, *, keepalive_s: int = 5,
                   processes: int = 4, config: str | None = None,
                   broker_pid: int | None = None, rate_per_s: float | None = None
                   ) -> dict[str, Any]:
    from kiosk.fleet import Broker, Operator, topics

    broker = Broker.parse(broker_url)
    processes = max(1, min(processes, n))
    per = -(-n // processes)
    folder = Path(tempfile.mkdtemp(prefix="fleet-sim-"))
    base_cmd = [sys.executable, "-m", "kiosk"] + (["--config", config] if config else [])

    def spawn(w: int) -> subprocess.Popen[str]:
        first = w * per
        return subprocess.Popen(base_cmd + ["fleet", "_simworker", "--broker", broker_url,
                                            "--first", str(first),
                                            "--count", str(min(per, n - first)),
                                            "--keepalive", str(keepalive_s),
                                            "--dir", str(folder)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def ready(p: subprocess.Popen[str]) -> None:
        assert p.stdout is not None
        line = p.stdout.readline()
        if not line.startswith("ready"):
            raise RuntimeError("a simulation worker did not start")

    presence: dict[str, tuple[bool, float]] = {}
    lock = threading.Lock()
    sent: dict[bytes, tuple[float, str, bool]] = {}  # correlation → (t, kiosk, while offline)
    rtts: list[float] = []
    answered: set[bytes] = set()

    workers = [spawn(w) for w in range(processes)]
    cpu_usage: list[tuple[float, float]] = []
    try:
        for p in workers:
            ready(p)
        with Operator(broker) as op:
            def on_response(correlation: bytes, body: dict[str, Any]) -> None:
                with lock:
                    if correlation in sent and correlation not in answered:
                        answered.add(correlation)
                        t, _, offline = sent[correlation]
                        if not offline:
                            rtts.append((time.monotonic() - t) * 1000)

            op.on_response = on_response

            first_offline: dict[str, float] = {}  # victim kiosk → when seen offline
            frozen: list[float | None] = [None]

            def on_presence(c: Any, u: Any, msg: Any) -> None:
                kid = msg.topic.split("/")[3]
                online = msg.payload == b"online"
                with lock:
                    presence[kid] = (online, time.monotonic())
                    if not online and frozen[0] is not None and kid not in first_offline:
                        first_offline[kid] = time.monotonic() - frozen[0]

            op.client.message_callback_add("kiosk/+/+/+/presence", on_presence)
            op.client.subscribe("kiosk/+/+/+/presence", qos=1)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with lock:
                    if sum(1 for k in range(n) if presence.get(kiosk_id(k), (False,))[0]) == n:
                        break
                time.sleep(0.1)

            rnd = random.Random(1)
            rate = rate_per_s or max(5.0, min(200.0, n / 5))
            victim = workers[0]
            victim_ids = [kiosk_id(i) for i in range(0, min(per, n))]
            frozen_at = killed_at = None
            victim_set = set(victim_ids)
            restarted = False

            def freeze() -> float:
                os.kill(victim.pid, signal.SIGSTOP)  # silent: no FIN, no pings
                at = time.monotonic()
                with lock:
                    frozen[0] = at
                return at

            def kill_when_silent(now: float) -> float | None:
                with lock:
                    silent = all(k in first_offline for k in victim_ids)
                if silent or now - (frozen_at or now) > 4 * keepalive_s + 5:
                    cpu_usage.append(_usage(victim.pid))
                    victim.kill()
                    victim.wait()
                    return time.monotonic()
                return None
            started = time.monotonic()
            next_send = started
            while time.monotonic() - started < seconds:
                now = time.monotonic()
                elapsed = now - started
                if frozen_at is None and elapsed >= seconds / 4:
                    frozen_at = freeze()
                if frozen_at is not None and killed_at is None:
                    killed_at = kill_when_silent(now)
                if killed_at is not None and not restarted and now - killed_at >= seconds / 4:
                    workers[0] = victim = spawn(0)
                    ready(victim)
                    restarted = True
                if now >= next_send:
                    i = rnd.randrange(n)
                    kid = kiosk_id(i)
                    with lock:
                        # the victim's kiosks from the freeze to their return: not answering
                        offline = not presence.get(kid, (False,))[0] or (
                            kid in victim_set and frozen_at is not None and not restarted)
                    view_topic = topics(AREA, f"{HALL_PREFIX}{i // 20:03d}", kid)["cmd"]
                    kind = rnd.choice(("MAINTENANCE_MODE", "REFRESH_CATALOG"))
                    args = {"enabled": rnd.choice(("true", "false"))} \
                        if kind == "MAINTENANCE_MODE" else None
                    cid = f"sim_{len(sent):07d}_{rnd.getrandbits(32):08x}"
                    with lock:  # before sending: the answer can beat send()'s return
                        sent[cid.encode()] = (time.monotonic(), kid, offline)
                    op.send(view_topic, kind, args, command_id=cid)
                    next_send += 1.0 / rate
                else:
                    time.sleep(min(0.005, next_send - now))
            # A short run: the freeze, kill and return happen after the sending stops.
            if frozen_at is None:
                frozen_at = freeze()
            while killed_at is None:
                time.sleep(0.05)
                killed_at = kill_when_silent(time.monotonic())
            if not restarted:
                workers[0] = victim = spawn(0)
                ready(victim)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with lock:
                    if len(answered) == len(sent):
                        break
                time.sleep(0.1)
            with lock:
                offline_times = [first_offline[k] for k in victim_ids if k in first_offline
                                 and first_offline[k] <= killed_at - frozen_at]
                online_now = sum(1 for k in range(n) if presence.get(kiosk_id(k), (False,))[0])
                queued = [c for c, (_, _, off) in sent.items() if off]
                report: dict[str, Any] = {
                    "kiosks": n, "online": online_now, "commands": len(sent),
                    "commandRttMs": _percentiles(rtts),
                    "lostCommands": len(sent) - len(answered),
                    "queuedWhileOffline": len(queued),
                    "queuedDelivered": sum(1 for c in queued if c in answered),
                    "offlineDetectedSec": {
                        "max": round(max(offline_times), 2) if offline_times else None,
                        "median": round(statistics.median(offline_times), 2)
                        if offline_times else None,
                        "kiosks": len(offline_times)},
                    "keepaliveSec": keepalive_s,
                }
                lost = [(kid, round(t - (frozen_at or 0), 2), kid in victim_set)
                        for c, (t, kid, _) in sent.items() if c not in answered]
                if lost:  # when and to whom, relative to the freeze (negative: before)
                    report["lost"] = lost[:20]
        for p in workers:
            cpu_usage.append(_usage(p.pid))
        report["workers"] = {"processes": processes,
                             "cpuSec": round(sum(c for c, _ in cpu_usage), 1),
                             "rssMB": round(sum(r for _, r in cpu_usage[-processes:]), 1)}
        if broker_pid:
            cpu, rss = _usage(broker_pid)
            report["broker"] = {"cpuSec": round(cpu, 1), "rssMB": round(rss, 1)}
        return report
    finally:
        for p in workers:
            if p.poll() is None:
                try:
                    os.kill(p.pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
                p.terminate()
        for p in workers:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def _percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p99": None}
    s = sorted(values)
    return {"p50": round(s[len(s) // 2], 1), "p99": round(s[min(len(s) - 1, int(len(s) * 0.99))], 1)}


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(run_simulation(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))))
