"""Which services and matters the kiosk can offer now: the rule lives in
``kiosk.availability`` (one place for the service/role requirements, each matter's
``kioskDevices`` and the out-of-service rule); re-exported here for the session's imports."""

from __future__ import annotations

from kiosk.availability import (
    APPLY,
    OUT_OF_SERVICE,
    QUERY,
    REQUIRED,
    matter_needs,
    matter_problem,
    service_problems,
)

__all__ = ["APPLY", "OUT_OF_SERVICE", "QUERY", "REQUIRED", "matter_needs", "matter_problem",
           "service_problems"]
