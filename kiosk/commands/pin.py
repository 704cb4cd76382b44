"""``kiosk pin hash``: make the scrypt hash of a staff/technician PIN for kiosk.toml."""

from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.roles import hash_pin


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("pin", help="make a PIN hash for [roles] in kiosk.toml")
    p.add_argument("action", choices=("hash",))
    p.add_argument("--stdin", action="store_true", help="read the PIN from standard input")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("PIN (6-12 digits): ")
        if getpass.getpass("again: ") != pin:
            print("kiosk: the two PINs differ", file=sys.stderr)
            return 2
    try:
        print(hash_pin(pin))
    except ValueError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    return 0
