"""``kiosk printer test|status|simulate``: print the test page on the configured printer, show
its status, or run a simulated printer (TCP 9100 on loopback, or a pty serial printer)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config import Settings, load_settings
from kiosk.device_roles import RECEIPT_PRINTER

# The printer stack (python-escpos, Pillow, pyserial) is imported by the handlers, not here:
# every ``kiosk`` command imports this module to build its parser.
if TYPE_CHECKING:
    from devices.printer.device import ReceiptPrinter


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("printer", help="receipt printer: test page, status, simulator")
    ps = p.add_subparsers(dest="printer_command", metavar="ACTION", required=True)

    t = ps.add_parser("test", help="print the test page")
    t.add_argument("--device", metavar="NAME", help="device name in kiosk.toml (default: "
                   "the first printer)")
    t.add_argument("--save", metavar="FILE.bin", help="also write the bytes sent")
    t.set_defaults(func=run_test)

    s = ps.add_parser("status", help="read the printer's status (DLE EOT)")
    s.add_argument("--device", metavar="NAME")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=run_status)

    m = ps.add_parser("simulate", help="run a simulated ESC/POS printer until Ctrl-C")
    m.add_argument("--port", type=int, default=9100, help="TCP port on 127.0.0.1 (0: any)")
    m.add_argument("--serial", action="store_true", help="a pty serial printer instead")
    m.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="state, e.g. paper=out, paper=low, cover=open, cutter_error=true, "
                        "silent=true, fail_after=2000, fail_mode=disconnect")
    m.add_argument("--save-dir", metavar="DIR", help="write each printed job as .bin and .png")
    m.add_argument("--width", type=int, choices=(80, 58), default=80)
    m.set_defaults(func=run_simulate)


class _Fail(Exception):
    """An expected CLI failure: one line, exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _open_printer(settings: Settings, name: str | None) -> ReceiptPrinter:
    from devices.base import DeviceOptionError, find_driver
    from devices.printer.device import ReceiptPrinter

    printers = [d for d in settings.devices.values() if d.device_class == "printer"]
    # Without a name: the receipt printer (an A4 document printer is never taken for it).
    section = next((d for d in printers if d.name == name), None) if name else \
        settings.device_for(RECEIPT_PRINTER)
    if section is None:
        raise _Fail(f"no printer {'named ' + repr(name) if name else 'configured'} in "
                    f"{settings.source}", 2)
    if not section.configured:
        raise _Fail(f"printer {section.name!r} is not configured (driver = \"none\")", 2)
    spec = find_driver("printer", section.driver)
    if spec is None:
        raise _Fail(f"unknown printer driver {section.driver!r} for {section.name!r}", 2)
    problem = spec.supported()
    if problem:
        raise _Fail(f"printer driver {section.driver!r} cannot run here: {problem}", 2)
    try:
        device = spec.factory(section.name, dict(section.options))
    except DeviceOptionError as exc:
        raise _Fail(f"{settings.source}: [devices.{section.name}] {exc}", 2) from None
    assert isinstance(device, ReceiptPrinter)
    return device


def run_test(args: argparse.Namespace) -> int:
    from kiosk import __version__
    from kiosk.receipts import TestPageData, technician_test_page

    settings = load_settings(args.config)
    try:
        printer = _open_printer(settings, args.device)
    except _Fail as exc:
        print(f"kiosk printer: {exc}", file=sys.stderr)
        return exc.status
    try:
        opened = printer.open()
        if not opened.ok:
            assert opened.fault is not None
            print(f"kiosk printer: {opened.fault.code}: {opened.fault.message}",
                  file=sys.stderr)
            return 1
        info = printer.info
        data = technician_test_page(TestPageData(
            settings.kiosk.hall_name, settings.kiosk.device_id, datetime.now(UTC),
            (("型号", info.model), ("厂商", info.vendor), ("固件", info.firmware),
             ("端口", info.port), ("软件", __version__))),
            **printer.layout)
        if args.save:
            try:
                Path(args.save).write_bytes(data)
            except OSError as exc:
                print(f"kiosk printer: cannot write {args.save}: {exc.strerror}",
                      file=sys.stderr)
                return 1
        result = printer.print_job(data)
    finally:
        printer.close()
    if not result.ok:
        assert result.fault is not None
        print(f"kiosk printer: {result.fault.code}: {result.fault.message}", file=sys.stderr)
        return 1
    print(f"test page printed on {printer.name} ({info.model or 'unknown model'}, "
          f"{info.port}): {len(data)} bytes")
    return 0


def run_status(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    try:
        printer = _open_printer(settings, args.device)
    except _Fail as exc:
        print(f"kiosk printer: {exc}", file=sys.stderr)
        return exc.status
    try:
        status = printer.poll_status()
    finally:
        printer.close()
    if args.json:
        print(json.dumps(status.to_json(), ensure_ascii=False))
    else:
        media = ", ".join(f"{k}={v}" for k, v in status.media.items())
        print(f"{status.name}: {status.availability.value} ({status.severity.value}) {media}")
        if status.info.model:
            print(f"  model {status.info.model}, firmware {status.info.firmware or '-'}, "
                  f"port {status.info.port}")
        if status.fault is not None:
            print(f"  {status.fault.code}: {status.fault.message} "
                  f"[action: {status.fault.action.value}]")
    return 0 if status.availability.usable else 1


def run_simulate(args: argparse.Namespace) -> int:
    from devices.printer.render import render
    from devices.printer.simulator import (
        PrinterEngine,
        PtyPrinterSimulator,
        SimState,
        TcpPrinterSimulator,
    )

    state = SimState(model=f"KIOSK-SIM{args.width}")
    for item in args.set:
        key, _, value = item.partition("=")
        try:
            state.set(key.strip(), value.strip())
        except ValueError as exc:
            print(f"kiosk printer simulate: {exc}", file=sys.stderr)
            return 2
    engine = PrinterEngine(state)
    sim: TcpPrinterSimulator | PtyPrinterSimulator
    try:
        sim = PtyPrinterSimulator(engine) if args.serial else \
            TcpPrinterSimulator(engine, port=args.port)
    except OSError as exc:
        print(f"kiosk printer simulate: cannot listen: {exc.strerror}", file=sys.stderr)
        return 1
    sim.start()
    where = sim.port if isinstance(sim, PtyPrinterSimulator) else f"127.0.0.1:{sim.port}"
    print(f"simulated printer on {where} (Ctrl-C to stop)", flush=True)
    saved = 0
    stop = threading.Event()
    # Ctrl-C and SIGTERM stop it whatever the signal dispositions it inherited (a shell's
    # background job starts with SIGINT ignored: Python then never raises KeyboardInterrupt).
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            while saved < len(engine.jobs):
                job = engine.jobs[saved]
                saved += 1
                print(f"job {saved}: {len(job)} bytes", flush=True)
                if args.save_dir:
                    out = Path(args.save_dir)
                    out.mkdir(parents=True, exist_ok=True)
                    (out / f"job-{saved:04d}.bin").write_bytes(job)
                    render(job, 576 if args.width == 80 else 384).image.save(
                        out / f"job-{saved:04d}.png")
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    print(f"stopped: {len(engine.jobs)} job(s), {engine.lost} byte(s) lost")
    return 0
