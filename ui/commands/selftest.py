"""``kiosk selftest [--json]``: the whole citizen journey headless on simulated devices and the
embedded sandbox; exit 0 only if the application arrived with its files, the receipt was
printed and the rating was sent."""

from __future__ import annotations

import argparse
import json
import os

from kiosk.config import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("selftest", help="run a whole citizen journey headless and check it")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--journeys", type=int, default=1, help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.selftest import run_selftest

    report = run_selftest(settings, journeys=max(1, args.journeys))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        for step in report.steps:
            mark = "ok  " if step["ok"] else "FAIL"
            stall = f"  (GUI stall {step['stallMs']:.0f} ms)" if "stallMs" in step else ""
            print(f"{mark} {step['name']:<34} {step['ms']:>8.1f} ms{stall}"
                  + (f"  {step['detail']}" if step.get("detail") else ""))
        for name, check in report.checks.items():
            print(f"{'ok  ' if check['ok'] else 'FAIL'} check {name}: "
                  + ", ".join(f"{k}={v}" for k, v in check.items() if k != "ok"))
        print(f"longest GUI-thread stall: {report.max_stall_ms:.1f} ms")
        if report.missing:
            print("missing parts: " + "; ".join(report.missing))
        if report.error:
            print(f"error: {report.error}")
        print("selftest " + ("PASSED" if report.ok else "FAILED"))
    return 0 if report.ok else 1
