"""systemd readiness and watchdog for the kiosk window (``Type=notify``, ``WatchdogSec=``).

The kiosk runs under cage, so the unit's main process is the compositor and the kiosk is
its child: the unit has ``NotifyAccess=all`` and the kiosk sends the notifications itself,
through libsystemd's ``sd_notify`` (the ``cysystemd`` wheel, no hand-written socket code).

- ``READY=1`` once the attract screen has been painted (after the first event-loop turns);
- ``WATCHDOG=1`` from a timer **on the GUI thread**, every ``WATCHDOG_USEC / 3``: a GUI thread
  that hangs (a blocking call, a deadlock, an endless loop in a slot) stops the pings, and
  systemd kills and restarts the whole session after ``WatchdogSec``. A background thread
  could keep pinging through a frozen screen, so none does;
- ``STOPPING=1`` when the window closes.

The timer itself is Qt's, so it lives in ``ui.watchdog``; this module holds what is not Qt.

Outside systemd (``NOTIFY_SOCKET`` unset: ``make run``, tests) nothing is sent. ``WATCHDOG_PID``
is deliberately not checked: systemd sets it to the unit's main PID, which is cage's.
"""

from __future__ import annotations

import logging
import os
from typing import Any

log = logging.getLogger("kiosk.watchdog")

MIN_INTERVAL_MS = 100


def notify_systemd(line: str) -> bool:
    """sd_notify one line (READY=1, WATCHDOG=1, STATUS=…); False outside systemd or on error."""
    if not os.environ.get("NOTIFY_SOCKET"):
        return False
    try:
        from cysystemd.daemon import Notification, notify
    except ImportError:  # a build without the wheel: the unit then has no watchdog to feed
        log.warning("cysystemd missing: cannot notify systemd (%s)", line)
        return False
    kind = getattr(Notification, line.split("=", 1)[0])
    value = line.split("=", 1)[1] if kind.value.constant is None else None
    error = notify(kind, value) if value is not None else notify(kind)
    if isinstance(error, Exception):
        log.warning("sd_notify %s failed: %s", line, error)
        return False
    return True


def watchdog_interval_ms(environ: Any = os.environ) -> int | None:
    """How often to ping: a third of ``WatchdogSec`` (systemd's WATCHDOG_USEC), or None."""
    raw = environ.get("WATCHDOG_USEC", "")
    try:
        usec = int(raw)
    except ValueError:
        return None
    if usec <= 0:
        return None
    return max(MIN_INTERVAL_MS, usec // 3000)
