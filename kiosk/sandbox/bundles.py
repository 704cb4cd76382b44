"""一件事 at the platform: one application, one sub-case per chosen sub-matter.

The application's form names the chosen sub-matters (the bundle's ``choiceField``); the
materials it must carry are those of the chosen sub-matters plus those no sub-matter names;
each chosen sub-matter becomes a sub-case sent to its department (受办分离: the lead
department collects the results). ``kiosk sandbox dump`` shows the array and the sub-cases.
"""

from __future__ import annotations

import sqlite3
from typing import Any

SUB_CASE_STATUS = "DISPATCHED"  # sent to the department, which accepts it in its own system


def chosen_codes(matter: dict[str, Any], form: dict[str, Any]) -> list[str]:
    bundle = matter.get("bundle")
    if not bundle:
        return []
    key = bundle.get("choiceField") or "subMatters"
    picked = form.get(key)
    return [str(c) for c in picked] if isinstance(picked, list) else []


def needed_materials(matter: dict[str, Any], form: dict[str, Any]) -> set[str]:
    """Codes of the materials this application needs: all of a plain matter's; a bundle's
    unnamed ones and those of the chosen sub-matters."""
    codes = {m["materialCode"] for m in matter["materials"]}
    bundle = matter.get("bundle")
    if not bundle:
        return codes
    named = {c for s in bundle["subMatters"] for c in s.get("materialCodes") or ()}
    picked = set(chosen_codes(matter, form))
    wanted = {c for s in bundle["subMatters"] if s["implCode"] in picked
              for c in s.get("materialCodes") or ()}
    return (codes - named) | (codes & wanted)


def fan_out(db: sqlite3.Connection, application_id: str, matter: dict[str, Any],
            form: dict[str, Any], now: float) -> int:
    """One sub-case per chosen sub-matter, for its department; returns how many."""
    bundle = matter.get("bundle")
    if not bundle:
        return 0
    picked = set(chosen_codes(matter, form))
    seq = 0
    for sub in bundle["subMatters"]:
        if sub["implCode"] not in picked:
            continue
        seq += 1
        db.execute("INSERT INTO sub_cases(application_id, seq, impl_code, name, dept_name, "
                   "status, created_at) VALUES (?,?,?,?,?,?,?)",
                   (application_id, seq, sub["implCode"], sub["name"], sub["deptName"],
                    SUB_CASE_STATUS, now))
    return seq
