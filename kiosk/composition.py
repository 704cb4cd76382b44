"""The composition root: settings → (embedded sandbox in demo mode) → API client → offline
queue + submission → device manager. It builds and closes the parts, and does nothing else:
the services on top of them are ``kiosk.citizen_services.CitizenServices`` (the citizen's
journey) and ``kiosk.operator_services.OperatorDesk`` (staff and technicians).

A part that cannot be built in this build (an optional library missing) is named in
``missing``: the UI greys what depends on it and selftest reports it.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from kiosk.config import Settings

if TYPE_CHECKING:  # imported when built: the window appears before these load
    from devices.manager import DeviceManager
    from kiosk.api.client import ApiClient
    from kiosk.fleet import FleetClient
    from kiosk.heartbeat import Heartbeat
    from kiosk.queue_transport import QueueService
    from kiosk.sandbox.server import SandboxServer
    from kiosk.submission import Submitter
    from offline_queue.store import Outbox
    from offline_queue.worker import SyncWorker

log = logging.getLogger("kiosk.composition")

# After an audit record the next heartbeat (which anchors the log's head on the platform)
# goes within this many seconds; records that come together share one early heartbeat.
ANCHOR_DELAY_S = 2.0


class KioskParts:
    def __init__(self, settings: Settings, *, start_devices: bool = True) -> None:
        self.settings = settings
        self.missing: list[str] = []
        self.sandbox: SandboxServer | None = None
        self.client: ApiClient | None = None
        self.outbox: Outbox | None = None
        self.worker: SyncWorker | None = None
        self.queue: QueueService | None = None
        self.submitter: Submitter | None = None
        self.manager: DeviceManager | None = None
        self.base_url = ""
        self._heartbeat_stop = threading.Event()
        self._heartbeat_wake = threading.Event()  # an audit record: anchor its head soon
        self._heartbeat_client: ApiClient | None = None
        self.heartbeat: Heartbeat | None = None  # once start_heartbeat is called
        self.fleet: FleetClient | None = None  # when [fleet] broker is set
        self._start_api()
        self._start_queue()
        if start_devices:
            self._start_devices()

    def _start_api(self) -> None:
        api = self.settings.api
        try:
            if api.embedded:
                from kiosk.sandbox.embedded import start_embedded

                self.sandbox = start_embedded(self.settings)
                self.base_url = self.sandbox.base_url
            else:
                self.base_url = api.base_url
        except ImportError as exc:
            self.missing.append(f"sandbox ({exc})")
            return
        try:
            from kiosk.api.client import ApiClient

            self.client = ApiClient.from_settings(self.settings, base_url=self.base_url)
        except ImportError as exc:
            self.missing.append(f"api client ({exc})")

    def _start_queue(self) -> None:
        try:
            from kiosk.queue_transport import QueueService, open_queue
            from kiosk.submission import Submitter
        except ImportError as exc:
            self.missing.append(f"offline queue ({exc})")
            return
        self.outbox = open_queue(None, self.settings)
        if self.client is None:
            # No connection could be set up: applications are still stored (收件待上传).
            self.submitter = Submitter.from_settings(self.settings, self.outbox, None)
            return
        # The background worker delivers what the immediate attempt could not, with back-off;
        # the heartbeat wakes it as soon as the platform answers again.
        self.queue = QueueService(self.settings, self.outbox, self.base_url)
        self.worker = self.queue.worker
        self.submitter = self.queue.submitter
        self.queue.start()
        # Its own client: a requests.Session is not shared with the UI's worker threads.
        from kiosk.api.client import ApiClient

        self._heartbeat_client = ApiClient.from_settings(self.settings, base_url=self.base_url)

    @property
    def heartbeat_client(self) -> ApiClient | None:
        """The heartbeat's own client (None without a platform: no heartbeat is sent)."""
        return self._heartbeat_client

    def start_heartbeat(self, heartbeat: Heartbeat) -> None:
        """Start the heartbeat (kiosk.heartbeat: state, devices, queue, command results, the
        verified audit head; commands executed) and, when ``[fleet]`` names a broker, the fleet
        channel beside it (the HTTP heartbeat stays as the fallback). Called by whoever built
        the services the commands act on (kiosk.remote_commands)."""
        if self._heartbeat_client is None:
            return
        self.heartbeat = heartbeat
        self._heartbeat = threading.Thread(target=self._heartbeat_loop, name="heartbeat",
                                           daemon=True)
        self._heartbeat.start()
        from kiosk.fleet import FleetClient, fleet_settings

        fleet = fleet_settings(self.settings)
        if fleet is None:
            return
        try:
            self.fleet = FleetClient(heartbeat, self.settings.kiosk.device_id, fleet).start()
        except (OSError, ValueError) as exc:  # bad certificate files, bad topic level
            log.warning("fleet channel not started: %s", exc)
            self.missing.append(f"fleet channel ({type(exc).__name__})")

    def _heartbeat_loop(self) -> None:
        """POST /devices/{id}/heartbeat at start and every ``[api] heartbeat_s``. A new audit
        record brings the next beat forward (its head goes off the box within ANCHOR_DELAY_S).
        An answer after silence means the link is back, so the queue is woken at once instead
        of waiting out its back-off."""
        reachable = True
        client, heartbeat = self._heartbeat_client, self.heartbeat
        assert client is not None and heartbeat is not None
        period = self.settings.api.heartbeat_s
        while not self._heartbeat_stop.is_set():
            outcome = heartbeat.beat_once(client, self.settings.kiosk.device_id)
            if not outcome.sent:  # offline or refusing: the queue keeps its back-off
                if reachable:
                    log.warning("heartbeat failed: %s", outcome.error)
                reachable = False
            else:
                if not reachable and self.queue is not None:
                    log.info("platform reachable again: waking the offline queue")
                    self.queue.connectivity_restored()
                reachable = True
            if self._heartbeat_wake.wait(period) and not self._heartbeat_stop.is_set():
                # an audit record: anchor soon, but at most one early heartbeat a few seconds
                self._heartbeat_stop.wait(min(ANCHOR_DELAY_S, period))
            self._heartbeat_wake.clear()

    def _start_devices(self) -> None:
        try:
            from devices.manager import DeviceManager
        except ImportError as exc:
            self.missing.append(f"device manager ({exc})")
            return
        self.manager = DeviceManager(self.settings.devices.values())
        if self.settings.kiosk.demo:
            self._demo_cards()
        self.manager.start()

    def _demo_cards(self) -> None:
        """Demo mode: the simulated reader lays down the fictitious people the demo platform
        holds records of (one data file for both), so prefill finds data for whoever comes."""
        from kiosk.device_roles import ID_READER

        section = self.settings.device_for(ID_READER)
        reader = self.manager.device(section.name) if self.manager and section else None
        sim = getattr(reader, "simulator", None)
        if sim is None:
            return
        from devices.idcard.sample_cards import demo_cards

        sim.cards = demo_cards()

    def anchor_soon(self) -> None:
        """A new audit record: the next heartbeat (with the log's head) goes within
        ANCHOR_DELAY_S instead of up to ``heartbeat_s``."""
        self._heartbeat_wake.set()

    def close(self) -> None:
        self._heartbeat_stop.set()
        self._heartbeat_wake.set()
        if self.fleet is not None:
            self.fleet.stop()
        if self._heartbeat_client is not None:
            self._heartbeat_client.close()
        if self.manager is not None:
            self.manager.stop()
        if self.queue is not None:
            self.queue.stop()  # stops the worker, closes its clients and the outbox
        elif self.outbox is not None:
            self.outbox.close()
        if self.client is not None:
            self.client.close()
        if self.sandbox is not None:
            self.sandbox.stop()
