"""``kiosk idcard decode|read|simulate``: the ID-card reader from the command line.

    kiosk idcard decode capture.hex [--json] [--reveal]   # a captured reader byte stream
    kiosk idcard read --port /dev/ttyUSB0 [--json] [--timeout 10] [--reveal]
    kiosk idcard simulate [--link /tmp/idcard0]          # a simulated reader on a pty

Output is masked (``张*``, ``3301**********1234``) unless ``--reveal``. Every failure exits
with status 2 and prints ``{"error": {"code": ..., "message": ...}}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from typing import TYPE_CHECKING

from devices.status import Fault
from kiosk.commands._actor import add_staff_option

if TYPE_CHECKING:
    from devices.idcard.types import IdCard

# The device modules are imported inside the handlers: every `kiosk` command builds the
# parser, which imports this module.

EXIT_FAILED = 2
MAX_INPUT = 1 << 20  # a capture larger than 1 MiB is not a reader stream

_LABELS = (("card_type", "证件类型 card type"), ("name", "姓名 name"),
           ("english_name", "英文姓名 English name"), ("gender_code", "性别 gender"),
           ("nation_code", "民族 nation"), ("birth_date", "出生 birth date"),
           ("address", "住址 address"), ("id_number", "号码 number"),
           ("issuer", "签发机关 issuer"), ("valid_from", "有效期起 valid from"),
           ("valid_until", "有效期止 valid until"), ("pass_number", "通行证号码 pass number"),
           ("issue_count", "签发次数 issue count"), ("nationality", "国籍 nationality"))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("idcard", help="decode, read or simulate the ID-card reader")
    s = p.add_subparsers(dest="idcard_command", metavar="ACTION", required=True)

    d = s.add_parser("decode", help="decode a captured reader byte stream (hex or binary)")
    d.add_argument("file", help="capture file, or - for standard input")
    d.add_argument("--json", action="store_true", help="print JSON")
    d.add_argument("--reveal", action="store_true", help="print names and numbers unmasked")
    d.set_defaults(func=run_decode)

    r = s.add_parser("read", help="read a card from a real or simulated reader")
    r.add_argument("--port", required=True, help="serial port, e.g. /dev/ttyUSB0")
    r.add_argument("--baudrate", type=int, default=115200)
    r.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a card")
    r.add_argument("--json", action="store_true", help="print JSON")
    r.add_argument("--reveal", action="store_true", help="print names and numbers unmasked")
    add_staff_option(r)
    r.set_defaults(func=run_read)

    m = s.add_parser("simulate", help="run a simulated reader on a pseudo-terminal")
    m.add_argument("--link", default=os.path.join(tempfile.gettempdir(), "kiosk-idcard-sim"),
                   help="stable path (symlink) to the simulator's pty")
    m.add_argument("--seconds", type=float, default=0, help="stop after this long (0: Ctrl-C)")
    m.set_defaults(func=run_simulate)


def _error(fault: Fault) -> int:
    print(json.dumps({"error": {"code": fault.code, "message": fault.message}},
                     ensure_ascii=False))
    return EXIT_FAILED


def _print_card(card: IdCard, as_json: bool, reveal: bool) -> int:
    shown = card if reveal else card.masked()
    data = shown.to_json()
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    for key, label in _LABELS:
        value = data.get(key)
        if value is None:
            continue
        if key == "gender_code" and card.gender:
            value = f"{value} ({card.gender})"
        if key == "nation_code" and card.nation:
            value = f"{value} ({card.nation})"
        print(f"{label}: {value}")
    photo = data.get("photo")
    if isinstance(photo, dict):
        print(f"照片 photo: {photo['format']}, {photo['bytes']} bytes (not decoded)")
    return 0


def run_decode(args: argparse.Namespace) -> int:
    from devices.idcard.capture import decode_capture

    try:
        if args.file == "-":
            data = sys.stdin.buffer.read(MAX_INPUT + 1)
        else:
            with open(args.file, "rb") as fh:
                data = fh.read(MAX_INPUT + 1)
    except OSError as exc:
        return _error(Fault("NO_INPUT", f"cannot read {args.file}: {exc.strerror}"))
    if len(data) > MAX_INPUT:
        return _error(Fault("BAD_LENGTH", "input is larger than 1 MiB: not a reader capture"))
    result = decode_capture(data)
    if not result.ok:
        assert result.fault is not None
        return _error(result.fault)
    return _print_card(result.unwrap(), args.json, args.reveal)


def run_read(args: argparse.Namespace) -> int:
    from devices.base import Cancel
    from devices.idcard.driver import IdCardReader

    try:
        reader = IdCardReader("idcard", {"port": args.port, "baudrate": args.baudrate})
    except Exception as exc:  # DeviceOptionError: a bad --baudrate
        return _error(Fault("BAD_OPTION", str(exc)))
    opened = reader.open()
    if not opened.ok:
        assert opened.fault is not None
        return _error(opened.fault)
    try:
        if not args.json:
            print(f"waiting up to {args.timeout:g} s for a card on {args.port} …", file=sys.stderr)
        result = reader.read_card(Cancel(), args.timeout)
    finally:
        reader.close()
    if not result.ok:
        assert result.fault is not None
        return _error(result.fault)
    card = result.unwrap()
    # A citizen's card read on the command line: who read it (OS user, --staff), whether
    # it was shown unmasked. No record, no unmasked output.
    from kiosk.commands._actor import cli_audit
    from kiosk.config import ConfigError, load_settings

    try:
        cli_audit(load_settings(args.config), args, "tech.card_read", port=args.port,
                  certNo=card.masked().id_number, revealed=bool(args.reveal))
    except (ConfigError, OSError) as exc:
        if args.reveal:
            return _error(Fault("NOT_AUDITED", f"the audit log cannot be written ({exc}); "
                                "--reveal needs it"))
        print(f"kiosk idcard: the audit log cannot be written: {exc}", file=sys.stderr)
    return _print_card(card, args.json, args.reveal)


def run_simulate(args: argparse.Namespace) -> int:
    from devices.idcard import sample_cards
    from devices.idcard.simulator import IdCardSimulator

    sim = IdCardSimulator(sample_cards.all_cards(), link_path=args.link, realistic=True,
                          auto_present_s=1.0, auto_lift_s=2.0)
    sim.start()
    sim.present()
    print(sim.path, flush=True)
    print(f"simulated ID-card reader on {sim.path} (-> {os.path.realpath(sim.path)}); demo "
          "cards cycle every few seconds; Ctrl-C stops", file=sys.stderr, flush=True)
    try:
        end = time.monotonic() + args.seconds if args.seconds else None
        while end is None or time.monotonic() < end:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0
