"""``DLE EOT n`` (``10 04 n``) real-time status: the queries, reply parsing, and the mapping to
the shared ``DeviceStatus`` (DESIGN §4).

We parse the replies ourselves: python-escpos 3.1 reads only n=1 and n=4, tests one bit, and
reports "paper OK" when nothing came back (research/devices.md §2.2).

Mapping (chosen against ``devices/status.py``): ``USER_ERROR`` there means "the citizen can
fix it" and counts as *usable*, so it is wrong for a printer without paper — the services
that need a receipt must be unavailable. Paper out, cover open, cutter jam and offline are
therefore ``HARDWARE_ERROR`` / severity ``ERROR`` / action ``CLEAR`` (hall staff add paper,
close the cover, clear the jam); an unrecoverable error is ``FATAL`` / ``MAINTENANCE``; an
auto-recoverable error (head too hot) is ``ERROR`` / ``RESET`` (it clears by itself; the
manager keeps polling). Paper near end stays ``READY`` with severity ``WARNING`` and a
``PAPER_LOW`` fault whose action is ``CLEAR`` so staff are told early. A printer we cannot
read status from (write-only file transport, status disabled) is ``READY`` / ``WARNING`` with
media "unknown" and fault ``STATUS_UNKNOWN`` (action none): it may well print. A printer that
should answer and stays silent is ``DISCONNECTED`` / ``NO_RESPONSE`` / ``RESET``.
"""

from __future__ import annotations

from dataclasses import replace

from devices.printer.types import PrinterFlags
from devices.status import (
    Availability,
    DeviceInfo,
    DeviceStatus,
    Fault,
    RequiredAction,
    Severity,
)

DLE_EOT = b"\x10\x04"
QUERIES = (1, 2, 3, 4)


def query(n: int) -> bytes:
    if n not in QUERIES:
        raise ValueError(f"DLE EOT n must be 1-4, got {n}")
    return DLE_EOT + bytes([n])


def valid_reply(byte: int) -> bool:
    """Every status byte has the fixed pattern ``0xx1xx10`` (bit0=0, bit1=1, bit4=1, bit7=0)."""
    return byte & 0b1001_0011 == 0b0001_0010


def _bit(byte: int, n: int) -> bool:
    return bool(byte >> n & 1)


def parse_reply(n: int, byte: int | None, flags: PrinterFlags | None = None) -> PrinterFlags:
    """Fold the reply to ``DLE EOT n`` into ``flags``. An absent or malformed reply leaves the
    fields of that query ``None`` (unknown)."""
    flags = flags or PrinterFlags()
    if byte is None or not valid_reply(byte):
        return flags
    if n == 1:
        return replace(flags, drawer_high=_bit(byte, 2), offline=_bit(byte, 3),
                       waiting_recovery=_bit(byte, 5), feed_button=_bit(byte, 6))
    if n == 2:
        return replace(flags, cover_open=_bit(byte, 2), feeding_by_button=_bit(byte, 3),
                       stopped_paper_end=_bit(byte, 5), error=_bit(byte, 6))
    if n == 3:
        return replace(flags, mark_error=_bit(byte, 2), cutter_error=_bit(byte, 3),
                       unrecoverable=_bit(byte, 5), auto_recoverable=_bit(byte, 6))
    if n == 4:
        # Two bits per sensor; printers set both, some only one: either counts.
        return replace(flags, paper_near_end=_bit(byte, 2) or _bit(byte, 3),
                       paper_end=_bit(byte, 5) or _bit(byte, 6))
    raise ValueError(f"DLE EOT n must be 1-4, got {n}")


def parse_replies(replies: dict[int, int | None]) -> PrinterFlags:
    flags = PrinterFlags()
    for n in QUERIES:
        flags = parse_reply(n, replies.get(n), flags)
    return flags


def encode_reply(n: int, flags: PrinterFlags) -> int:
    """The byte a printer in state ``flags`` answers to ``DLE EOT n`` (used by the simulator)."""
    bits: tuple[tuple[int, bool | None], ...]
    if n == 1:
        bits = ((2, flags.drawer_high), (3, flags.offline), (5, flags.waiting_recovery),
                (6, flags.feed_button))
    elif n == 2:
        bits = ((2, flags.cover_open), (3, flags.feeding_by_button),
                (5, flags.stopped_paper_end), (6, flags.error))
    elif n == 3:
        bits = ((2, flags.mark_error), (3, flags.cutter_error), (5, flags.unrecoverable),
                (6, flags.auto_recoverable))
    elif n == 4:
        bits = ((2, flags.paper_near_end), (3, flags.paper_near_end), (5, flags.paper_end),
                (6, flags.paper_end))
    else:
        raise ValueError(f"DLE EOT n must be 1-4, got {n}")
    byte = 0b0001_0010
    for pos, on in bits:
        if on:
            byte |= 1 << pos
    return byte


# (code, staff message, action, severity) for every condition that stops printing, in the
# order they are reported when several hold at once (the most actionable first).
_BLOCKERS: tuple[tuple[str, str, str, RequiredAction, Severity], ...] = (
    ("unrecoverable", "PRINTER_FAILURE", "打印机故障，需维修（unrecoverable error）",
     RequiredAction.MAINTENANCE, Severity.FATAL),
    ("cover_open", "COVER_OPEN", "打印机盖未关好，请合上纸仓盖", RequiredAction.CLEAR,
     Severity.ERROR),
    ("paper_end", "PAPER_OUT", "打印纸用完，请更换纸卷", RequiredAction.CLEAR, Severity.ERROR),
    ("stopped_paper_end", "PAPER_OUT", "打印纸用完，请更换纸卷", RequiredAction.CLEAR,
     Severity.ERROR),
    ("cutter_error", "CUTTER_ERROR", "切刀卡纸，请打开纸仓清除卡纸", RequiredAction.CLEAR,
     Severity.ERROR),
    ("mark_error", "PRESENTER_ERROR", "出纸口/黑标错误，请检查出纸口", RequiredAction.CLEAR,
     Severity.ERROR),
    ("auto_recoverable", "RECOVERABLE_ERROR", "打印机暂时错误（如打印头过热），稍后自动恢复",
     RequiredAction.RESET, Severity.ERROR),
    ("error", "PRINTER_ERROR", "打印机报告错误，请检查打印机", RequiredAction.CLEAR,
     Severity.ERROR),
    ("offline", "PRINTER_OFFLINE", "打印机处于离线状态，请检查纸仓和电源", RequiredAction.CLEAR,
     Severity.ERROR),
)


def blocking_fault(flags: PrinterFlags) -> tuple[Fault, Severity] | None:
    """The fault that stops printing, if any (the first in priority order)."""
    for attr, code, message, action, severity in _BLOCKERS:
        if getattr(flags, attr) is True:
            return Fault(code, message, action, detail=describe(flags)), severity
    return None


def describe(flags: PrinterFlags) -> str:
    """Short technical summary for logs and ``kiosk doctor`` (no citizen data)."""
    on = [name for name in ("offline", "cover_open", "paper_end", "stopped_paper_end",
                            "paper_near_end", "cutter_error", "unrecoverable",
                            "auto_recoverable", "mark_error", "error", "waiting_recovery")
          if getattr(flags, name) is True]
    unknown = [str(n) for n, field in ((1, "offline"), (2, "cover_open"), (3, "cutter_error"),
                                       (4, "paper_end")) if getattr(flags, field) is None]
    text = ",".join(on) or "ok"
    return text + (f"; no reply to DLE EOT {'/'.join(unknown)}" if unknown else "")


def to_device_status(name: str, flags: PrinterFlags | None, info: DeviceInfo,
                     readable: bool = True) -> DeviceStatus:
    """Map decoded flags to the shared status. ``flags=None`` with ``readable=False``: the
    transport cannot read back (status unknown); with ``readable=True``: no answer."""
    if flags is None or not flags.answered:
        if not readable:
            return DeviceStatus(
                name, "printer", Availability.READY, Severity.WARNING,
                media={"paper": "unknown", "cover": "unknown"}, info=info,
                fault=Fault("STATUS_UNKNOWN",
                            "打印机状态无法读取（单向连接），可以打印但缺纸不会提前发现",
                            RequiredAction.NONE, detail="transport has no read-back"))
        return DeviceStatus(
            name, "printer", Availability.DISCONNECTED, Severity.ERROR,
            media={"paper": "unknown", "cover": "unknown"}, info=info,
            fault=Fault("NO_RESPONSE", "打印机没有应答，请检查电源和连接线", RequiredAction.RESET,
                        detail="no valid reply to DLE EOT 1"))
    media = {"paper": flags.paper, "cover": flags.cover}
    blocked = blocking_fault(flags)
    if blocked is not None:
        fault, severity = blocked
        return DeviceStatus(name, "printer", Availability.HARDWARE_ERROR, severity,
                            media=media, info=info, fault=fault)
    if flags.paper_near_end:
        return DeviceStatus(name, "printer", Availability.READY, Severity.WARNING, media=media,
                            info=info, fault=Fault("PAPER_LOW", "打印纸即将用完，请准备更换",
                                                   RequiredAction.CLEAR,
                                                   detail=describe(flags)))
    return DeviceStatus(name, "printer", Availability.READY, Severity.OK, media=media,
                        info=info)
