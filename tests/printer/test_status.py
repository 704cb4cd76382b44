"""DLE EOT parsing for every bit, and the mapping to the shared device status."""

from __future__ import annotations

import pytest

from devices.printer.status import (
    encode_reply,
    parse_replies,
    parse_reply,
    query,
    to_device_status,
    valid_reply,
)
from devices.printer.types import PrinterFlags
from devices.status import Availability, DeviceInfo, RequiredAction, Severity

BASE = 0b0001_0010  # the fixed bits of every reply

BITS = [
    (1, 2, "drawer_high"), (1, 3, "offline"), (1, 5, "waiting_recovery"), (1, 6, "feed_button"),
    (2, 2, "cover_open"), (2, 3, "feeding_by_button"), (2, 5, "stopped_paper_end"),
    (2, 6, "error"),
    (3, 2, "mark_error"), (3, 3, "cutter_error"), (3, 5, "unrecoverable"),
    (3, 6, "auto_recoverable"),
    (4, 2, "paper_near_end"), (4, 3, "paper_near_end"), (4, 5, "paper_end"), (4, 6, "paper_end"),
]


def test_queries_are_dle_eot_n() -> None:
    assert [query(n) for n in (1, 2, 3, 4)] == [b"\x10\x04\x01", b"\x10\x04\x02",
                                                 b"\x10\x04\x03", b"\x10\x04\x04"]
    with pytest.raises(ValueError):
        query(5)


@pytest.mark.parametrize(("n", "bit", "field"), BITS)
def test_each_status_bit_sets_exactly_its_flag(n: int, bit: int, field: str) -> None:
    flags = parse_reply(n, BASE | 1 << bit)
    assert getattr(flags, field) is True
    same_query = {f for m, _, f in BITS if m == n}
    for other in same_query - {field}:
        assert getattr(flags, other) is False, other
    for other in {f for _, _, f in BITS} - same_query:
        assert getattr(flags, other) is None, other  # other queries stay unknown


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_quiet_reply_means_all_clear_for_that_query(n: int) -> None:
    flags = parse_reply(n, BASE)
    assert all(getattr(flags, f) is False for m, _, f in BITS if m == n)


@pytest.mark.parametrize("byte", [0x00, 0xFF, 0x12 | 0x80, 0x13, 0x10, 0x02])
def test_reply_without_the_fixed_pattern_is_ignored(byte: int) -> None:
    assert not valid_reply(byte)
    assert parse_reply(1, byte) == PrinterFlags()


def test_missing_reply_leaves_status_unknown_not_ok() -> None:
    flags = parse_replies({1: None, 2: None, 3: None, 4: None})
    assert flags.can_print is None and flags.paper == "unknown" and flags.cover == "unknown"


def test_published_paper_out_vector_reads_as_paper_out() -> None:
    # docs.rs hardless-http-dialects PrinterStatus::from_dle_eot (research/devices.md §2.3)
    flags = parse_replies({1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E})
    assert flags.offline and flags.stopped_paper_end and flags.paper_end
    assert flags.paper == "out" and flags.can_print is False


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_encoded_replies_round_trip(n: int) -> None:
    flags = PrinterFlags(offline=True, cover_open=True, cutter_error=True, paper_end=True,
                         paper_near_end=True, error=True)
    byte = encode_reply(n, flags)
    assert valid_reply(byte)
    back = parse_reply(n, byte)
    for _, _, field in (b for b in BITS if b[0] == n):
        assert bool(getattr(back, field)) == bool(getattr(flags, field))


def _status(**replies: int) -> tuple[Availability, Severity, str | None, RequiredAction | None,
                                     dict[str, str]]:
    flags = parse_replies({int(k[1]): v for k, v in replies.items()})
    s = to_device_status("printer", flags, DeviceInfo())
    return (s.availability, s.severity, s.fault.code if s.fault else None,
            s.fault.action if s.fault else None, dict(s.media))


def test_paper_out_is_hardware_error_that_staff_clear() -> None:
    assert _status(n1=0x1A, n2=0x32, n3=0x12, n4=0x7E) == (
        Availability.HARDWARE_ERROR, Severity.ERROR, "PAPER_OUT", RequiredAction.CLEAR,
        {"paper": "out", "cover": "closed"})


def test_cover_open_is_hardware_error_that_staff_clear() -> None:
    assert _status(n1=0x1A, n2=0x16, n3=0x12, n4=0x12)[:4] == (
        Availability.HARDWARE_ERROR, Severity.ERROR, "COVER_OPEN", RequiredAction.CLEAR)


def test_cutter_jam_needs_staff() -> None:
    assert _status(n1=0x1A, n2=0x52, n3=0x1A, n4=0x12)[2:4] == ("CUTTER_ERROR",
                                                                 RequiredAction.CLEAR)


def test_unrecoverable_error_needs_a_technician() -> None:
    got = _status(n1=0x1A, n2=0x52, n3=0x32, n4=0x12)
    assert got[1:4] == (Severity.FATAL, "PRINTER_FAILURE", RequiredAction.MAINTENANCE)


def test_head_overheat_clears_by_itself() -> None:
    assert _status(n1=0x1A, n2=0x52, n3=0x52, n4=0x12)[2:4] == ("RECOVERABLE_ERROR",
                                                                 RequiredAction.RESET)


def test_paper_near_end_stays_usable_with_a_warning_for_staff() -> None:
    avail, sev, code, action, media = _status(n1=0x12, n2=0x12, n3=0x12, n4=0x1E)
    assert avail is Availability.READY and avail.usable
    assert (sev, code, action, media["paper"]) == (Severity.WARNING, "PAPER_LOW",
                                                   RequiredAction.CLEAR, "low")


def test_healthy_printer_is_ready() -> None:
    assert _status(n1=0x12, n2=0x12, n3=0x12, n4=0x12) == (
        Availability.READY, Severity.OK, None, None, {"paper": "ok", "cover": "closed"})


def test_unreadable_status_is_unknown_but_printable() -> None:
    s = to_device_status("printer", None, DeviceInfo(), readable=False)
    assert s.availability is Availability.READY and s.severity is Severity.WARNING
    assert s.fault is not None and s.fault.code == "STATUS_UNKNOWN"
    assert dict(s.media) == {"paper": "unknown", "cover": "unknown"}


def test_silent_printer_is_disconnected_not_unknown() -> None:
    s = to_device_status("printer", PrinterFlags(), DeviceInfo(), readable=True)
    assert s.availability is Availability.DISCONNECTED and not s.availability.usable
    assert s.fault is not None and s.fault.code == "NO_RESPONSE"
