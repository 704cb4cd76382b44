"""Who ran a technician command, for the audit log: the operating-system user (``os:<user>``,
and the login sudo names), and the staff number the technician gives with ``--staff ID``.

No PIN is asked on the command line, so the staff number is recorded as given
(``staffFrom: "cli_option"``): the OS user is what the system vouches for, the number says
which person of the hall's staff directory claims the action."""

from __future__ import annotations

import argparse
import os
import re
from typing import Any

from kiosk.config import Settings

_STAFF_NO = re.compile(r"^[0-9]{5,12}$")  # the contract's StaffNo


def os_actor() -> str:
    """``os:<user>`` (uid when it has no name), and the login that sudo names, if any
    (``os:root via sudo from alice``). No PIN was asked, so this is not a kiosk role."""
    import pwd

    uid = os.getuid()
    try:
        name = pwd.getpwuid(uid).pw_name
    except KeyError:
        name = f"uid {uid}"
    via = os.environ.get("SUDO_USER")
    return f"os:{name}" + (f" via sudo from {via}" if via and via != name else "")


def staff_number(text: str) -> str:
    if not _STAFF_NO.match(text):
        raise argparse.ArgumentTypeError("a staff number (工号) is 5 to 12 digits")
    return text


def add_staff_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--staff", metavar="ID", type=staff_number, default=None,
                   help="your staff number (工号): the audit record names you")


def cli_audit(settings: Settings, args: argparse.Namespace, event: str,
              **details: Any) -> None:
    """One audit record of a command that touched citizen data or changed the kiosk."""
    from kiosk.audit import AuditLog, audit_path

    staff = getattr(args, "staff", "") or ""
    if staff:
        details["staffFrom"] = "cli_option"
    AuditLog(audit_path(settings.kiosk.data_dir)).record(
        event, actor=os_actor(), staff=staff, via="cli", **details)
