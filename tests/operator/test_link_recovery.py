"""The device heartbeat notices a platform that answers again and wakes the offline queue, so
an application stored offline goes out without waiting out its back-off (DESIGN §6)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.app_services import AppServices
from tests.operator.conftest import settings_for, submit
from tests.waiting import wait_until


def test_heartbeat_after_an_outage_delivers_the_waiting_application_at_once(
        tmp_path: Path, start_kiosk: Callable[..., AppServices],
        caplog: pytest.LogCaptureFixture) -> None:
    kiosk = start_kiosk(settings_for(tmp_path, api={"heartbeat_s": 0.3}))
    # The platform answers 503 with Retry-After 600 s: the queue would wait ten minutes.
    kiosk.parts.sandbox.faults.set(error_rate=1.0, retry_after_s=600)
    waiting = submit(kiosk)
    assert not waiting.delivered
    item = kiosk.parts.outbox.get(waiting.client_application_id)
    assert item.next_attempt_at - kiosk.parts.outbox.clock() > 500
    caplog.set_level("WARNING", logger="kiosk.app_services")
    wait_until(lambda: any("heartbeat failed" in r.getMessage() for r in caplog.records),
               "the heartbeat noticed the outage")
    assert kiosk.parts.sandbox.storage.one("SELECT COUNT(*) AS n FROM applications")["n"] == 0
    kiosk.parts.sandbox.faults.set(error_rate=0.0)  # the link is back; nobody taps anything
    wait_until(lambda: kiosk.parts.outbox.get(waiting.client_application_id).state.value
               == "delivered", "delivered after the heartbeat saw the platform again",
               timeout_s=30)
