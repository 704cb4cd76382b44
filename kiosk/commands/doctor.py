"""``kiosk doctor [--json]``: every configured device with its availability, sub-status,
device info, last error and what to do, which services the kiosk can offer with them (CUSS
rule, kiosk.session.gating), plus the serial ports present on this machine.

Exit status 0 when every installed device is usable, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json

from devices.status import DeviceStatus, RequiredAction

_ACTION_TEXT = {
    RequiredAction.NONE: "",
    RequiredAction.RESET: "none needed: the kiosk retries by itself",
    RequiredAction.CLEAR: "on-site staff",
    RequiredAction.MAINTENANCE: "call a technician",
    RequiredAction.CONFIGURATION: "fix the configuration",
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check every configured device and list serial ports")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def _action(status: DeviceStatus) -> str:
    if status.fault is None:
        return ""
    text = _ACTION_TEXT.get(status.fault.action, status.fault.action.value)
    return f"{status.fault.action.value}: {text}" if text else status.fault.action.value


def run(args: argparse.Namespace) -> int:
    # Imported here: every `kiosk` command builds the parser, which imports this module.
    from devices.diagnostics import serial_ports
    from devices.manager import DeviceManager
    from kiosk.config import load_settings
    from kiosk.session.gating import REQUIRED

    settings = load_settings(args.config)
    manager = DeviceManager(settings.devices.values())
    try:
        statuses = manager.check_once()
        services = manager.services_available(
            {name: {"|".join(group) for group in groups} for name, groups in REQUIRED.items()})
    finally:
        manager.stop()
    ports = serial_ports()
    healthy = all(s.availability.usable or (s.fault is not None and s.fault.code == "NOT_INSTALLED")
                  for s in statuses.values())
    if args.json:
        devices = []
        for name, st in statuses.items():
            item = st.to_json()
            item["driver"] = manager.driver_of(name)
            item["action"] = _action(st)
            devices.append(item)
        print(json.dumps({"devices": devices,
                          "services": {k: {"available": ok, "reason": why}
                                       for k, (ok, why) in services.items()},
                          "serial_ports": [p.to_json() for p in ports]}, ensure_ascii=False))
        return 0 if healthy else 1
    for name, st in statuses.items():
        print(f"{name} ({st.device_class}, driver {manager.driver_of(name)}): "
              f"{st.availability.value} [{st.severity.value}]")
        if st.media:
            print("  status: " + ", ".join(f"{k}={v}" for k, v in st.media.items()))
        info = st.info
        shown = [f"{k} {v}" for k, v in (("model", info.model), ("serial", info.serial),
                                          ("firmware", info.firmware), ("vendor", info.vendor),
                                          ("port", info.port)) if v]
        if shown:
            print("  device: " + ", ".join(shown))
        if st.fault is not None:
            print(f"  last error: {st.fault.code}: {st.fault.message}"
                  + (f" ({st.fault.detail})" if st.fault.detail else ""))
            action = _action(st)
            if action:
                print(f"  action: {action}")
    for service, (ok, why) in services.items():
        print(f"service {service}: " + ("available" if ok else f"unavailable ({why})"))
    print("serial ports:" + ("" if ports else " none found"))
    for p in ports:
        print(f"  {p.path}: {p.description or '-'}" + (f"  [{p.access}]" if p.access else ""))
    return 0 if healthy else 1
