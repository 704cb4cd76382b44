"""What the receipt templates print: plain frozen data filled by the session (UI), the offline
queue helpers and the technician screens. Keep these stable: they are the contract between
those parts and ``kiosk.receipts.templates``.

Citizen data arrives in clear (name, ID number) and is masked by the templates
(``kiosk.privacy``); nothing here is logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from kiosk.privacy import mask_id_number, mask_name
from kiosk.qr_payload import DEFAULT_QUERY_BASE


@dataclass(frozen=True)
class ReceiptData:
    """A 收件回执 (intake receipt).

    - ``reference``: the kiosk's ``clientApplicationId`` (UUIDv7, minted at capture; the local
      reference of a queued application). ``application_id``: the platform's number once it
      answered (empty while queued). The QR and the printed number use ``application_id`` when
      present, else ``reference``.
    - ``delivered``: True when the platform acknowledged the submission → "已收件"; False when
      it sits in the offline queue → "收件待上传". The kiosk never prints "已受理" (acceptance
      is the back office's act, DESIGN §3).
    - ``materials``: (material name, pages captured); ``exempted``: (material name, reason,
      e.g. "数据共享已获取").
    - ``promised_days``: the matter's promised time limit in working days (0: 即办).
    - ``copy``: a reprint; ``reprinted_at`` is printed on it when given.
    - ``sub_matters`` / ``lead_department``: 一件事 — the sub-matters chosen and the
      department that leads (collects the others' results).
    - ``agent_name`` / ``agent_kind``: who acted on the applicant's behalf (代办), printed
      masked as 代办人 only when present; ``agent_kind`` is the contract's ``Agent.kind``
      (``HALL_STAFF`` 帮办代办人员, ``CITIZEN_AGENT`` 受委托人).
    """

    hall_name: str
    device_id: str
    time: datetime
    applicant_name: str = field(repr=False)  # citizen data: kept out of reprs (logs, tracebacks)
    applicant_id_number: str = field(repr=False)
    matter_name: str
    impl_code: str
    materials: tuple[tuple[str, int], ...]
    exempted: tuple[tuple[str, str], ...]
    delivery: str  # plain text chosen by the citizen: "窗口领取", "快递送达（邮政EMS）" …
    reference: str
    application_id: str = ""
    delivered: bool = False
    promised_days: int = 0
    query_password: str = field(default="", repr=False)
    copy: bool = False
    reprinted_at: datetime | None = None
    query_base: str = DEFAULT_QUERY_BASE
    agent_name: str = field(default="", repr=False)  # citizen data: kept out of reprs
    agent_kind: str = ""
    # 一件事: the sub-matters applied for at once and the lead department (牵头部门)
    sub_matters: tuple[str, ...] = ()
    lead_department: str = ""
    # 统一公共支付: the fee paid at the kiosk, or the fee to pay at the window (分)
    paid_fen: int = 0
    pay_at_window_fen: int = 0

    @property
    def case_ref(self) -> str:
        return self.application_id or self.reference

    def masked(self) -> ReceiptData:
        """The same receipt with name and ID number already masked — what to keep for a
        reprint, so no clear citizen data is stored for it. Printing it gives the same bytes
        (masking is idempotent)."""
        return replace(self, applicant_name=mask_name(self.applicant_name),
                       applicant_id_number=mask_id_number(self.applicant_id_number)
                       if self.applicant_id_number else "",
                       agent_name=mask_name(self.agent_name))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (times as RFC 3339). Store ``masked().to_dict()``, never the clear one."""
        d = asdict(self)
        d["time"] = self.time.isoformat()
        d["reprinted_at"] = self.reprinted_at.isoformat() if self.reprinted_at else None
        d["materials"] = [list(m) for m in self.materials]
        d["exempted"] = [list(e) for e in self.exempted]
        d["sub_matters"] = list(self.sub_matters)
        return d

    @staticmethod
    def from_dict(d: Mapping[str, Any]) -> ReceiptData:
        """Inverse of ``to_dict``; unknown keys are ignored so stored receipts survive
        additions. Raises ``KeyError``/``ValueError``/``TypeError`` on a malformed record."""
        names = {f.name for f in fields(ReceiptData)}
        kw = {k: v for k, v in d.items() if k in names}
        kw["time"] = datetime.fromisoformat(str(d["time"]))
        at = d.get("reprinted_at")
        kw["reprinted_at"] = datetime.fromisoformat(str(at)) if at else None
        kw["materials"] = tuple((str(n), int(p)) for n, p in d.get("materials", ()))
        kw["exempted"] = tuple((str(n), str(r)) for n, r in d.get("exempted", ()))
        kw["sub_matters"] = tuple(str(n) for n in d.get("sub_matters", ()))
        return ReceiptData(**kw)


@dataclass(frozen=True)
class CaseLine:
    """One case in a status-query result (办件查询), as the platform reported it. ``status`` is
    the platform's wording (it may say 已受理 — that is the platform's statement)."""

    matter_name: str
    case_ref: str
    status: str
    updated: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class StatusQueryData:
    hall_name: str
    device_id: str
    time: datetime
    applicant_name: str = field(repr=False)  # citizen data: kept out of reprs
    applicant_id_number: str = field(repr=False)
    cases: tuple[CaseLine, ...]
    offline: bool = False  # answered from the local queue only (platform unreachable)


@dataclass(frozen=True)
class DeviceLine:
    """One device on the readiness report: ``state`` is the availability (READY …)."""

    name: str
    state: str
    detail: str = ""
    model: str = ""


@dataclass(frozen=True)
class TestLine:
    name: str
    passed: bool
    time: datetime | None = None
    detail: str = ""


@dataclass(frozen=True)
class ReadinessData:
    """The technician's readiness report: device states, last test actions, queue state."""

    hall_name: str
    device_id: str
    time: datetime
    devices: tuple[DeviceLine, ...]
    last_tests: tuple[TestLine, ...] = ()
    queue_pending: int = 0
    queue_dead: int = 0
    queue_oldest: datetime | None = None
    platform_reachable: bool | None = None
    version: str = ""


@dataclass(frozen=True)
class TestPageData:
    hall_name: str
    device_id: str
    time: datetime
    printer: tuple[tuple[str, str], ...] = ()  # ("型号", "KIOSK-SIM80"), ("端口", …) …


@dataclass(frozen=True)
class SupplementReceiptData:
    """补正回执: what a supplement (补齐补正) handed in. Citizen data stays out of reprs; the
    template masks the applicant like the 收件回执's."""

    hall_name: str
    device_id: str
    time: datetime
    applicant_name: str = field(repr=False)
    applicant_id_number: str = field(repr=False)
    matter_name: str
    application_id: str  # the case the department asked to supplement
    reference: str  # our reference of the supplement (the queue's id)
    materials: tuple[tuple[str, int], ...]  # (material name, pages)
    delivered: bool
    reason: str = ""  # what the department asked for (its words)
