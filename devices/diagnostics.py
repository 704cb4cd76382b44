"""Plain-language checks a technician needs: which serial ports exist, and whether this user
may open a given one (the classic: /dev/ttyUSB0 belongs to group ``dialout``)."""

from __future__ import annotations

import grp
import os
import pwd
import stat
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class PortInfo:
    path: str
    description: str
    hwid: str
    access: str  # "" when this user can read and write it, else the plain diagnostic

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "description": self.description, "hwid": self.hwid,
                "access": self.access or "ok"}


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _user_name(uid: int | None = None) -> str:
    uid = os.getuid() if uid is None else uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _mode_allows_rw(st: os.stat_result, uid: int, gids: set[int]) -> bool:
    """Read/write per the mode bits for a given user (root bypasses them)."""
    if uid == 0:
        return True
    if st.st_uid == uid:
        need = stat.S_IRUSR | stat.S_IWUSR
    elif st.st_gid in gids:
        need = stat.S_IRGRP | stat.S_IWGRP
    else:
        need = stat.S_IROTH | stat.S_IWOTH
    return st.st_mode & need == need


class PortProblem(StrEnum):
    NONE = ""
    UNCONFIGURED = "unconfigured"  # no path in kiosk.toml
    MISSING = "missing"  # unplugged, or renamed: the manager retries
    NOT_A_PORT = "not_a_port"
    PERMISSION = "permission"


def check_port(path: str, as_user: tuple[int, set[int]] | None = None
               ) -> tuple[PortProblem, str]:
    """Can ``path`` be opened read/write by this process (or by ``as_user`` = (uid, group
    ids), e.g. the kiosk user when a technician runs the doctor as root)? Returns the kind of
    problem and what is wrong and what to do. Never raises."""
    if not path:
        return PortProblem.UNCONFIGURED, \
            "no port configured (set port = \"/dev/ttyUSB0\" or similar in kiosk.toml)"
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return PortProblem.MISSING, f"{path} does not exist (device unplugged, or another port name)"
    except OSError as exc:
        return PortProblem.MISSING, f"{path} cannot be inspected: {exc.strerror}"
    if not stat.S_ISCHR(st.st_mode):
        return PortProblem.NOT_A_PORT, f"{path} is not a character device (not a serial port)"
    if as_user is None:
        if os.access(path, os.R_OK | os.W_OK):
            return PortProblem.NONE, ""
        user = _user_name()
    else:
        if _mode_allows_rw(st, as_user[0], as_user[1]):
            return PortProblem.NONE, ""
        user = _user_name(as_user[0])
    group = _group_name(st.st_gid)
    return PortProblem.PERMISSION, (
        f"permission denied on {path}: it belongs to group '{group}'; add the kiosk user "
        f"to it (sudo usermod -aG {group} {user}) and log in again, or install "
        f"the kiosk udev rule")


def port_access_problem(path: str, as_user: tuple[int, set[int]] | None = None) -> str:
    """"" if the port is usable, else the plain diagnostic of :func:`check_port`."""
    return check_port(path, as_user)[1]


def serial_ports() -> list[PortInfo]:
    """Serial ports present on this machine (pyserial's list, which reads sysfs)."""
    try:
        from serial.tools import list_ports
    except ImportError:  # pyserial missing: report nothing rather than fail the doctor
        return []
    ports = []
    for p in sorted(list_ports.comports(), key=lambda p: p.device):
        ports.append(PortInfo(p.device, p.description or "", p.hwid or "",
                              port_access_problem(p.device)))
    return ports


def library_problem(module: str, what: str, hint: str = "") -> str:
    """"" if ``module`` imports, else a readable diagnostic (Electrum ``check_libraries``)."""
    import importlib

    try:
        importlib.import_module(module)
    except Exception as exc:  # ImportError, or a shared library missing underneath (OSError)
        extra = f"; {hint}" if hint else ""
        return f"{what} is not available ({module}: {exc.__class__.__name__}: {exc}){extra}"
    return ""
