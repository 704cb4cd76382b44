"""Which services the kiosk can offer now, given its devices (CUSS: required devices per
service). A service whose required device is not ready is greyed with a plain reason; the
others stay usable."""

from __future__ import annotations

from collections.abc import Mapping

APPLY = "apply"
QUERY = "query"

# service → groups of device classes; every group needs one ready device ("any of").
REQUIRED: Mapping[str, tuple[tuple[str, ...], ...]] = {
    APPLY: (("idcard",), ("camera",), ("printer",)),
    QUERY: (("idcard", "scanner"),),
}


def service_problems(problems: Mapping[str, str]) -> dict[str, str]:
    """``problems``: device class → fault code ("" or absent = ready).
    Returns service → "class:CODE" of the first missing device, "" when available."""
    out: dict[str, str] = {}
    for service, groups in REQUIRED.items():
        reason = ""
        for group in groups:
            if all(problems.get(c) for c in group):
                reason = f"{group[0]}:{problems[group[0]]}"
                break
        out[service] = reason
    return out
