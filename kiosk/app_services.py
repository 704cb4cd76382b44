"""What the window gets: the citizen's services on the parts the composition root built, and
the staff/technician desk passed through as it is (``.operator``), not forwarded method by
method. ``AppServices(settings)`` builds everything; ``close()`` stops everything.

Composition: ``kiosk.composition.KioskParts``; citizen services:
``kiosk.citizen_services.CitizenServices``; staff and technicians:
``kiosk.operator_services.OperatorDesk``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from devices.base import Device
from kiosk.citizen_services import CitizenServices
from kiosk.composition import KioskParts
from kiosk.config import Settings
from kiosk.operator_services import OperatorDesk


class AppServices(CitizenServices):
    """``KioskBackend``: ``KioskServices`` itself, ``OperatorServices`` as ``.operator``.
    ``parts.missing`` names parts not available in this build (the UI then greys what
    depends on them; selftest reports them)."""

    def __init__(self, settings: Settings, *, start_devices: bool = True) -> None:
        parts = KioskParts(settings, start_devices=start_devices)
        super().__init__(settings, parts)
        # Staff and technician mode: audit log, kept receipts, queue and device actions.
        self.operator = OperatorDesk(settings, outbox=parts.outbox, worker=parts.worker,
                                     manager=parts.manager)
        # A new audit record shortens the wait for the next heartbeat (its head goes off
        # the box within ANCHOR_DELAY_S instead of up to heartbeat_s).
        self.operator.audit_log.on_record = lambda _head: parts.anchor_soon()
        if parts.heartbeat_client is not None:  # a platform to report to and take commands from
            from kiosk.remote_commands import kiosk_heartbeat

            parts.start_heartbeat(kiosk_heartbeat(parts, self, self.operator))

    @property
    def missing(self) -> list[str]:
        return self.parts.missing

    def device(self, role: str) -> Device | None:
        """The device filling ``role`` unless a technician took it out of service (selftest,
        screenshots and tests reach the simulators through it)."""
        return self.devices.device(role)

    def close(self) -> None:
        self.parts.close()


if TYPE_CHECKING:
    from kiosk.services import KioskBackend

    def _conforms(s: AppServices) -> KioskBackend:
        return s  # mypy checks AppServices against the interface here
