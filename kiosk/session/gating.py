"""Which services the kiosk can offer now: moved to ``kiosk.availability`` (one place for the
service/role requirements and the out-of-service rule); kept here for the session's imports."""

from __future__ import annotations

from kiosk.availability import APPLY, QUERY, REQUIRED, service_problems

__all__ = ["APPLY", "QUERY", "REQUIRED", "service_problems"]
