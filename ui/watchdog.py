"""The systemd watchdog's pings from the GUI thread (the why: kiosk/watchdog.py)."""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QTimer

from kiosk.watchdog import notify_systemd, watchdog_interval_ms

log = logging.getLogger("ui.watchdog")


class SystemdWatchdog:
    """Attach to a running QApplication: readiness after the first paint, pings from a GUI
    timer. Keep a reference for the lifetime of the window."""

    def __init__(self, after_paint_ms: int = 200) -> None:
        self.enabled = bool(os.environ.get("NOTIFY_SOCKET"))
        self.pings = 0
        self._timer: QTimer | None = None
        if not self.enabled:
            return
        QTimer.singleShot(after_paint_ms, self._ready)
        interval = watchdog_interval_ms()
        if interval is not None:
            self._timer = QTimer()
            self._timer.setInterval(interval)
            self._timer.timeout.connect(self._ping)
            self._timer.start()
            log.info("systemd watchdog: pinging every %d ms from the GUI thread", interval)

    def _ready(self) -> None:
        notify_systemd("STATUS=attract screen shown")
        if notify_systemd("READY=1"):
            log.info("systemd notified: ready")

    def _ping(self) -> None:
        if notify_systemd("WATCHDOG=1"):
            self.pings += 1

    def stopping(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self.enabled:
            notify_systemd("STOPPING=1")
