"""``kiosk config check``: what loading cannot see in the file alone. Loading already refuses
wrong types, ranges, nan/inf and ``embedded`` outside demo mode; here the settings are tried
against this machine: the files they name, the directories, and each device's driver and
options (built, not opened). Each problem is one line naming the key."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kiosk.config import Settings


def _regular_file(path: Path, *, nonempty: bool) -> str | None:
    """None when ``path`` is a readable regular file (and not empty, if asked), else why not."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return "does not exist"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISDIR(st.st_mode):
        return "is a directory, not a file"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file"
    if not os.access(path, os.R_OK):
        return "is not readable by this user"
    if nonempty and st.st_size == 0:
        return "is empty"
    return None


def problems(settings: Settings) -> list[str]:
    found: list[str] = []

    def bad(key: str, value: object, why: str) -> None:
        found.append(f"{settings.source}: [{key}] = {str(value)!r} {why}")

    api = settings.api
    why = _regular_file(api.secret_file, nonempty=True)
    if why is None:
        try:
            if not api.secret():
                why = "holds only white space"
        except OSError as exc:
            why = f"cannot be read ({exc.strerror})"
    if why:
        bad("api.secret_file", api.secret_file, why)
    for key in ("ca_bundle", "client_cert", "client_key"):
        path = getattr(api, key)
        if path is not None and (why := _regular_file(path, nonempty=True)):
            bad(f"api.{key}", path, why)
    for key, path in (("kiosk.data_dir", settings.kiosk.data_dir),
                      ("kiosk.log_dir", settings.kiosk.log_dir)):
        if path.exists() and not path.is_dir():
            bad(key, path, "is a file, not a directory")
    found.extend(_device_problems(settings))
    return found


def _device_problems(settings: Settings) -> list[str]:
    from devices.base import DeviceOptionError, drivers_for, find_driver

    out: list[str] = []
    for name, dev in settings.devices.items():
        key = f"devices.{name}"
        if not dev.configured:
            continue
        spec = find_driver(dev.device_class, dev.driver)
        if spec is None:
            known = ", ".join(["none", *(s.name for s in drivers_for(dev.device_class))])
            out.append(f"{settings.source}: [{key}.driver] = {dev.driver!r} is not a "
                       f"{dev.device_class} driver; expected one of {known}")
            continue
        try:
            spec.factory(name, dev.options)   # validates the options; opens nothing
        except DeviceOptionError as exc:
            out.append(f"{settings.source}: [{key}.{exc.key}] = {exc.value!r} is not valid; "
                       f"expected {exc.allowed}")
        except Exception as exc:  # noqa: BLE001 - a driver's own check, reported as a value
            out.append(f"{settings.source}: [{key}] driver {dev.driver!r} refuses these "
                       f"options ({exc.__class__.__name__}: {exc})")
    return out
