"""``kiosk doctor [--json]``: every configured device with its role, availability, sub-status,
device info, last error and what to do, which services the kiosk can offer with them, plus
the serial ports present on this machine. What a technician decided on the kiosk (a device
or the whole kiosk out of service) is applied first, through the same rule the running kiosk
uses (kiosk.availability): doctor never says READY for a device the kiosk will not use.

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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    from kiosk.availability import apply_technician_state, service_report
    from kiosk.config import load_settings
    from kiosk.device_classes import device_class
    from kiosk.service_state import ServiceState, service_state_path

    settings = load_settings(args.config)
    snapshot = ServiceState(service_state_path(settings.kiosk.data_dir)).snapshot
    manager = DeviceManager(settings.devices.values())
    try:
        apply_technician_state(manager, snapshot)
        statuses = manager.check_once()
        services = service_report(settings, statuses, snapshot)
    finally:
        manager.stop()
    ports = serial_ports()
    healthy = not snapshot.out_of_service and all(
        s.availability.usable or (s.fault is not None and s.fault.code == "NOT_INSTALLED")
        for s in statuses.values())

    def role(name: str) -> str:
        section = settings.device(name)
        return section.role if section is not None else ""

    def udev(cls: str) -> list[str]:
        spec = device_class(cls)
        return [f"{h.subsystem}: {h.note}" for h in spec.udev] if spec else []

    if args.json:
        devices = []
        for name, st in statuses.items():
            item = st.to_json()
            item["role"] = role(name)
            item["driver"] = manager.driver_of(name)
            item["action"] = _action(st)
            item["udev"] = udev(st.device_class)
            devices.append(item)
        print(json.dumps({"kiosk": {"outOfService": snapshot.out_of_service,
                                    "since": snapshot.since, "by": snapshot.by},
                          "devices": devices,
                          "services": {k: {"available": ok, "reason": why}
                                       for k, (ok, why) in services.items()},
                          "serial_ports": [p.to_json() for p in ports]}, ensure_ascii=False))
        return 0 if healthy else 1
    if snapshot.out_of_service:
        print(f"kiosk: OUT OF SERVICE (taken out by {snapshot.by or 'a technician'}); "
              "citizens see 本机暂停服务")
    for name, st in statuses.items():
        print(f"{name} ({st.device_class}, role {role(name)}, driver {manager.driver_of(name)}): "
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
            if st.fault.action is RequiredAction.CONFIGURATION and udev(st.device_class):
                print("  udev: " + "; ".join(udev(st.device_class)))
    for service, (ok, why) in services.items():
        print(f"service {service}: " + ("available" if ok else f"unavailable ({why})"))
    print("serial ports:" + ("" if ports else " none found"))
    for p in ports:
        print(f"  {p.path}: {p.description or '-'}" + (f"  [{p.access}]" if p.access else ""))
    return 0 if healthy else 1
