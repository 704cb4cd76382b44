"""``kiosk fleet``: the fleet channel over MQTT 5 (kiosk.fleet).

Operators::

  kiosk fleet status --broker URL [--filter offline|out-of-service|paper-low|queue-backlog|device-fault]… [--json]
  kiosk fleet send --broker URL --kiosk ID --command TYPE [--arg K=V]… [--timeout S] [--json]
  kiosk fleet simulate --broker URL --kiosks N --seconds S [--json]

A kiosk (the running kiosk does this itself when ``[fleet] broker`` is set)::

  kiosk fleet agent          # this kiosk on the bus until SIGTERM (UI stopped, tests)

``send`` exits 0 with the kiosk's result; 3 when no result came within ``--timeout`` (the
command stays queued for the kiosk, which runs it when it is back: ``"queued": true``);
1 unknown kiosk; 2 usage. TLS: ``mqtts://`` with ``--ca``, ``--cert``, ``--key``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

EXIT_USAGE, EXIT_UNKNOWN, EXIT_TIMEOUT = 2, 1, 3
TYPES = ("MAINTENANCE_MODE", "REFRESH_CATALOG", "UPLOAD_LOGS", "ROTATE_KEY", "INSTALL_VERSION")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("fleet", help="the fleet channel (MQTT): status, send, simulate, agent")
    fs = p.add_subparsers(dest="fleet_command", metavar="ACTION", required=True)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--broker", required=True, metavar="URL", help="mqtt://HOST[:PORT] or mqtts://")
        q.add_argument("--ca", type=Path, help="CA file for mqtts://")
        q.add_argument("--cert", type=Path, help="client certificate for mqtts://")
        q.add_argument("--key", type=Path, help="client key for mqtts://")
        q.add_argument("--json", action="store_true", help="print JSON")

    q = fs.add_parser("status", help="every kiosk with its presence and state")
    common(q)
    q.add_argument("--filter", action="append", default=[], metavar="WHAT",
                   help="offline, out-of-service, paper-low, queue-backlog, device-fault")
    q.set_defaults(func=status)

    q = fs.add_parser("send", help="send a command to one kiosk and wait for its result")
    common(q)
    q.add_argument("--kiosk", required=True, metavar="ID")
    q.add_argument("--command", required=True, choices=TYPES)
    q.add_argument("--arg", action="append", default=[], metavar="K=V")
    q.add_argument("--timeout", type=float, default=30.0, metavar="S")
    q.set_defaults(func=send)

    q = fs.add_parser("simulate", help="N simulated kiosks (real client code) under load")
    common(q)
    q.add_argument("--kiosks", type=int, default=100)
    q.add_argument("--seconds", type=float, default=30.0)
    q.add_argument("--keepalive", type=int, default=5)
    q.add_argument("--processes", type=int, default=4)
    q.add_argument("--rate", type=float, help="commands per second (default: N/5, 5..200)")
    q.add_argument("--broker-pid", type=int, help="report the broker's CPU and memory")
    q.set_defaults(func=simulate)

    q = fs.add_parser("agent", help="this kiosk on the fleet bus until stopped")
    q.add_argument("--broker", metavar="URL", help="default: [fleet] broker")
    q.add_argument("--no-devices", action="store_true")
    q.set_defaults(func=agent)

    # internal: one process of `simulate`
    q = fs.add_parser("_simworker")
    q.add_argument("--broker", required=True)
    q.add_argument("--first", type=int, required=True)
    q.add_argument("--count", type=int, required=True)
    q.add_argument("--keepalive", type=int, required=True)
    q.add_argument("--dir", type=Path, required=True)
    q.set_defaults(func=simworker)


def _tls(args: argparse.Namespace) -> dict[str, Path | None]:
    return {"ca_file": args.ca, "cert": args.cert, "key": args.key}


def _broker(url: str) -> Any:
    from kiosk.fleet import Broker

    try:
        return Broker.parse(url)
    except ValueError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return None


def status(args: argparse.Namespace) -> int:
    from kiosk.fleet import FILTERS, fleet_snapshot

    broker = _broker(args.broker)
    if broker is None:
        return EXIT_USAGE
    bad = [f for f in args.filter if f not in FILTERS]
    if bad:
        print(f"kiosk: unknown filter {bad[0]!r}; one of {', '.join(FILTERS)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        views = fleet_snapshot(broker, tls=_tls(args))
    except OSError as exc:
        print(f"kiosk: broker {args.broker} not reachable: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_TIMEOUT
    rows = [v.to_json() for v in views]
    for f in args.filter:
        rows = [r for r in rows if any(p == f or p.startswith(f + ":") for p in r["reasons"])]
    if args.json:
        print(json.dumps({"kiosks": rows, "count": len(rows)}, ensure_ascii=False))
        return 0
    for r in rows:
        flag = "online " if r["online"] else "offline" if r["online"] is False else "?      "
        print(f"{r['kiosk']:<24} {r['hall']:<18} {flag} {r['state'] or '-':<15} "
              f"{' '.join(r['reasons'])}")
    print(f"{len(rows)} kiosk(s)")
    return 0


def send(args: argparse.Namespace) -> int:
    from kiosk.fleet import Operator, fleet_snapshot, topics

    broker = _broker(args.broker)
    if broker is None:
        return EXIT_USAGE
    cmd_args: dict[str, str] = {}
    for a in args.arg:
        k, sep, v = a.partition("=")
        if not sep or not k:
            print(f"kiosk: --arg {a!r} is not K=V", file=sys.stderr)
            return EXIT_USAGE
        cmd_args[k] = v
    try:
        found = fleet_snapshot(broker, kiosk_id=args.kiosk, tls=_tls(args), max_s=5)
    except OSError as exc:
        print(f"kiosk: broker {args.broker} not reachable: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_TIMEOUT
    view = found[0] if len(found) == 1 else None
    if view is None:
        print(f"kiosk: no kiosk {args.kiosk!r} has ever been on this broker", file=sys.stderr)
        return EXIT_UNKNOWN
    topic = topics(view.area, view.hall, view.kiosk_id)["cmd"]
    started = time.monotonic()
    with Operator(broker, tls=_tls(args)) as op:
        correlation = op.send(topic, args.command, cmd_args)
        answer = op.wait(correlation, args.timeout)
    out: dict[str, Any] = {"kiosk": args.kiosk, "id": correlation.decode(),
                           "type": args.command}
    if answer is None:
        out.update(queued=True, result=None, online=view.online)
    else:
        out.update(queued=False, result=answer.get("result"), detail=answer.get("detail", ""),
                   rttMs=round((time.monotonic() - started) * 1000))
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    elif answer is None:
        print(f"{args.kiosk}: no result within {args.timeout:.0f} s; the command waits for "
              "the kiosk and runs when it is back")
    else:
        print(f"{args.kiosk}: {out['result']} {out['detail']}")
    return 0 if answer is not None else EXIT_TIMEOUT


def agent(args: argparse.Namespace) -> int:
    from kiosk.commands._gateway import gateway_client
    from kiosk.commands.heartbeat import cli_heartbeat
    from kiosk.config import load_settings
    from kiosk.fleet import FleetClient, FleetSettings, fleet_settings
    from kiosk.logs import setup_logging

    settings = load_settings(args.config)
    fleet = fleet_settings(settings)
    if args.broker:
        fleet = replace(fleet, broker=args.broker) if fleet else FleetSettings(args.broker)
    if fleet is None:
        print("kiosk: no broker: set [fleet] broker or --broker", file=sys.stderr)
        return EXIT_USAGE
    setup_logging(settings.kiosk.log_dir)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with gateway_client(settings) as client:
        beat, close = cli_heartbeat(settings, args.config, client, devices=not args.no_devices)
        fc = FleetClient(beat, settings.kiosk.device_id, fleet).start()
        print(f"kiosk: on the fleet bus as {fc.topics['presence'].rsplit('/', 1)[0]}",
              flush=True)
        try:
            stop.wait()
        finally:
            fc.stop()
            close()
    return 0


def simulate(args: argparse.Namespace) -> int:
    from kiosk.fleet_sim import run_simulation

    broker = _broker(args.broker)
    if broker is None:
        return EXIT_USAGE
    if not 1 <= args.kiosks <= 20000 or not 1 <= args.seconds <= 3600:
        print("kiosk: --kiosks 1..20000, --seconds 1..3600", file=sys.stderr)
        return EXIT_USAGE
    report = run_simulation(args.broker, args.kiosks, args.seconds, keepalive_s=args.keepalive,
                            processes=args.processes, config=args.config,
                            broker_pid=args.broker_pid, rate_per_s=args.rate)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        for k, v in report.items():
            print(f"{k}: {v}")
    return 0 if report["lostCommands"] == 0 else 1


def simworker(args: argparse.Namespace) -> int:
    from kiosk.fleet_sim import worker

    return worker(args.broker, args.first, args.count, args.keepalive, args.dir)
