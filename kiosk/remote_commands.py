"""The running kiosk's heartbeat: what it reports and what the platform's commands act on
(kiosk.heartbeat). The commands act on the same state the technician screen changes, so a
platform's MAINTENANCE_MODE and a technician's 暂停服务 are one thing.

``kiosk heartbeat --once`` builds its own for a process without the UI
(kiosk.commands.heartbeat.cli_heartbeat).
"""

from __future__ import annotations

from kiosk.audit_anchor import heartbeat_with_head
from kiosk.citizen_services import CitizenServices
from kiosk.composition import KioskParts
from kiosk.heartbeat import (
    Command,
    CommandLog,
    CommandRunner,
    Heartbeat,
    HeartbeatParts,
    standard_handlers,
)
from kiosk.operator_services import OperatorDesk
from kiosk.updates import kiosk_ring, last_update, request_install


def kiosk_heartbeat(parts: KioskParts, citizen: CitizenServices,
                    desk: OperatorDesk) -> Heartbeat:
    settings = parts.settings
    k = settings.kiosk
    outbox, manager = parts.outbox, parts.manager
    reports = HeartbeatParts(
        data_dir=k.data_dir, hall_code=k.hall_code, area_code=k.area_code,
        service=desk.state,
        queue_status=outbox.status if outbox is not None else None,
        device_statuses=manager.statuses if manager is not None else None,
        catalog_version=citizen.catalog_version,
        last_update=lambda: last_update(k.data_dir),
        # the audit log's head, verified against the platform's anchor (#14 item 11)
        send=lambda client, device, body: heartbeat_with_head(client, settings, body).answer)
    ring = kiosk_ring(settings)

    def install(cmd: Command) -> tuple[str, str]:
        return request_install(k.data_dir, ring, cmd.id, cmd.args)

    def rotate_key(cmd: Command) -> tuple[str, str]:
        from kiosk.api.rotation import rotate

        client = parts.heartbeat_client
        if client is None:  # not reached: commands come only through a client
            return "FAILED", "no platform connection"
        return rotate(client, k.device_id, k.data_dir, cmd.id)

    def set_out(out: bool, actor: str, reason: str) -> None:
        r = desk.set_out_of_service(out, actor, reason)
        if not r.ok:
            raise OSError(r.fault.message if r.fault else "not saved")

    def export() -> str:
        r = desk.export_diagnostics(actor="platform")
        if not r.ok or r.value is None:
            raise OSError(r.fault.message if r.fault else "not exported")
        return str(r.value)

    handlers = standard_handlers(set_out_of_service=set_out,
                                 refresh_catalog=citizen.refresh_catalog, export_logs=export,
                                 request_install=install, rotate_key=rotate_key)
    runner = CommandRunner(CommandLog(k.data_dir / "state" / "commands.json"), handlers)
    return Heartbeat(reports, runner)
