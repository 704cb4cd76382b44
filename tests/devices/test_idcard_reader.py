"""The real ga467-serial driver against the reader simulator through a real pseudo-terminal."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from devices.base import Cancel
from devices.idcard import codes, sample_cards
from devices.idcard.driver import IdCardReader
from devices.idcard.frame import Command
from devices.idcard.simulator import IdCardSimulator
from devices.status import Availability, RequiredAction
from tests.devices.idcard_fixtures import CARDS, with_bad_check_digit
from tests.waiting import wait_until

# Bound of reads that should succeed (or fail) at once: only a hang reaches it, so a loaded
# CI machine does not turn a slow read into a TIMEOUT. Reads that must time out stay short.
WAIT_S = 15.0


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[IdCardSimulator]:
    s = IdCardSimulator(CARDS, baudrate=None, link_path=str(tmp_path / "ttyIDCARD"))
    s.start()
    yield s
    s.stop()


@pytest.fixture
def reader(sim: IdCardSimulator) -> Iterator[IdCardReader]:
    r = IdCardReader("idcard", {"port": sim.path, "poll_interval_s": 0.02})
    assert r.open().ok
    yield r
    r.close()


def test_every_card_kind_reads_through_the_serial_line(sim: IdCardSimulator,
                                                       reader: IdCardReader) -> None:
    for card in CARDS:
        sim.present(card)
        result = reader.read_card(Cancel(), WAIT_S)
        assert result.ok, result.fault
        assert result.unwrap() == card


def test_reader_info_carries_the_sam_id(reader: IdCardReader) -> None:
    status = reader.poll_status()
    assert status.availability is Availability.READY
    assert status.info.serial == "05.01-20101111-0012345678-0999999999"
    assert "not installed" in status.media["photo"]
    # The technician's 固件 is the SAM's version; the line speed is the link's, not firmware.
    assert status.info.firmware == "SAM 05.01"
    assert status.media["link"].endswith(" baud")


def test_no_card_times_out(reader: IdCardReader) -> None:
    result = reader.read_card(Cancel(), 0.3)
    assert result.fault.code == codes.TIMEOUT


def test_card_read_once_is_not_reported_again_until_lifted(sim: IdCardSimulator,
                                                           reader: IdCardReader) -> None:
    sim.present(sample_cards.resident())
    assert reader.read_card(Cancel(), WAIT_S).ok
    assert reader.read_card(Cancel(), 0.3).fault.code == codes.TIMEOUT
    sim.lift()
    sim.present(sample_cards.resident())
    assert reader.read_card(Cancel(), WAIT_S).ok


def test_non_halting_reader_still_reports_a_card_only_once(sim: IdCardSimulator,
                                                           reader: IdCardReader) -> None:
    sim.halt_after_read = False  # some readers find the same card again at once
    sim.present(sample_cards.resident())
    assert reader.read_card(Cancel(), WAIT_S).ok
    assert reader.read_card(Cancel(), 0.3).fault.code == codes.TIMEOUT


def test_card_lifted_mid_read_reports_user_error(sim: IdCardSimulator,
                                                 reader: IdCardReader) -> None:
    sim.present(sample_cards.resident())
    sim.fail_next("lift_mid_read")
    result = reader.read_card(Cancel(), WAIT_S)
    assert result.fault.code == codes.CARD_LIFTED
    assert "again" in result.fault.message


def test_card_failing_authentication_is_reported(sim: IdCardSimulator,
                                                 reader: IdCardReader) -> None:
    sim.present(sample_cards.resident())
    sim.fail_next("auth")
    assert reader.read_card(Cancel(), WAIT_S).fault.code == codes.AUTH_FAILED


def test_one_corrupted_answer_is_retried_transparently(sim: IdCardSimulator,
                                                       reader: IdCardReader) -> None:
    sim.present(sample_cards.hk_mo_tw_permit())
    sim.fail_next("checksum")
    assert reader.read_card(Cancel(), WAIT_S).unwrap() == sample_cards.hk_mo_tw_permit()


def test_persistently_corrupted_answers_give_checksum_error(sim: IdCardSimulator,
                                                            reader: IdCardReader) -> None:
    sim.present(sample_cards.resident())
    sim.fail_next("checksum", 5)
    assert reader.read_card(Cancel(), WAIT_S).fault.code == codes.CHECKSUM


def test_answer_cut_short_is_truncated(sim: IdCardSimulator, reader: IdCardReader) -> None:
    sim.present(sample_cards.resident())
    sim.fail_next("truncate", 5)
    assert reader.read_card(Cancel(), WAIT_S).fault.code == codes.TRUNCATED


def test_silent_reader_is_not_responding(sim: IdCardSimulator, reader: IdCardReader) -> None:
    sim.fail_next("silent")
    result = reader.read_card(Cancel(), WAIT_S)
    assert result.fault.code == codes.NOT_RESPONDING
    assert reader.poll_status().availability is Availability.READY  # it answers again


def test_card_with_wrong_check_digit_is_a_read_error(sim: IdCardSimulator,
                                                     reader: IdCardReader) -> None:
    sim.present(with_bad_check_digit(sample_cards.resident()))
    result = reader.read_card(Cancel(), WAIT_S)
    assert result.fault.code == codes.BAD_CHECK_DIGIT
    assert sample_cards.resident().id_number[:17] not in result.fault.message + result.fault.detail


def test_sam_failure_is_a_hardware_error_for_a_technician(sim: IdCardSimulator,
                                                         reader: IdCardReader) -> None:
    sim.sam_fault = 0x60
    status = reader.poll_status()
    assert status.availability is Availability.HARDWARE_ERROR
    assert status.fault.code == codes.SAM_FAULT
    assert status.fault.action is RequiredAction.MAINTENANCE
    assert reader.read_card(Cancel(), WAIT_S).fault.code == codes.SAM_FAULT


def test_read_with_fingerprint_block(sim: IdCardSimulator) -> None:
    sim.fingerprint = bytes(512)
    r = IdCardReader("idcard", {"port": sim.path, "read_fingerprint": True})
    assert r.open().ok
    try:
        sim.present(sample_cards.foreign_2017())
        card = r.read_card(Cancel(), WAIT_S).unwrap()
        assert card == replace(sample_cards.foreign_2017(), fingerprint_bytes=512)
    finally:
        r.close()


def test_cancel_stops_waiting_for_a_card(reader: IdCardReader) -> None:
    cancel = Cancel()
    threading.Timer(0.2, cancel.cancel).start()
    started = time.monotonic()
    result = reader.read_card(cancel, 60)
    assert result.fault.code == codes.CANCELLED
    assert time.monotonic() - started < 30  # well before the 60 s timeout


def test_status_poll_during_a_read_reports_busy(sim: IdCardSimulator,
                                               reader: IdCardReader) -> None:
    cancel = Cancel()
    asked = len(sim.requests)
    worker = threading.Thread(target=reader.read_card, args=(cancel, 60))
    worker.start()
    try:
        wait_until(lambda: Command.FIND_CARD in sim.requests[asked:], "the read to look for a card")
        assert reader.poll_status().availability is Availability.BUSY
    finally:
        cancel.cancel()
        worker.join()


def test_unplug_during_wait_reports_disconnected_and_replug_recovers(
        sim: IdCardSimulator, reader: IdCardReader) -> None:
    threading.Timer(0.2, sim.unplug).start()
    result = reader.read_card(Cancel(), WAIT_S)
    assert result.fault.code in (codes.DISCONNECTED, codes.NOT_RESPONDING)
    status = reader.poll_status()
    assert status.availability is Availability.DISCONNECTED
    assert reader.open().fault.code == codes.DISCONNECTED  # the port is gone
    sim.replug()
    assert reader.open().ok
    sim.present(sample_cards.foreign_2023())
    assert reader.read_card(Cancel(), WAIT_S).unwrap() == sample_cards.foreign_2023()


def test_missing_port_is_disconnected_with_a_plain_message(tmp_path: Path) -> None:
    r = IdCardReader("idcard", {"port": str(tmp_path / "ttyUSB9")})
    fault = r.open().fault
    assert fault.code == codes.DISCONNECTED and "does not exist" in fault.message
    assert r.poll_status().availability is Availability.DISCONNECTED


def test_a_file_that_is_not_a_port_is_a_configuration_error(tmp_path: Path) -> None:
    path = tmp_path / "not-a-tty"
    path.write_text("x")
    fault = IdCardReader("idcard", {"port": str(path)}).open().fault
    assert fault.action is RequiredAction.CONFIGURATION


def test_port_that_nobody_answers_on_is_a_configuration_error(tmp_path: Path) -> None:
    master, slave = os.openpty()
    try:
        r = IdCardReader("idcard", {"port": os.ttyname(slave)})
        fault = r.open().fault
        assert fault.code == codes.NOT_RESPONDING and fault.action is RequiredAction.CONFIGURATION
        assert "baud" in fault.message
    finally:
        os.close(master)
        os.close(slave)


def test_bad_options_are_rejected_by_name() -> None:
    from devices.base import DeviceOptionError

    with pytest.raises(DeviceOptionError) as err:
        IdCardReader("idcard", {"port": "/dev/ttyUSB0", "baudrate": 12345})
    assert err.value.key == "baudrate"


def test_added_address_is_read_or_reported_absent(sim: IdCardSimulator,
                                                  reader: IdCardReader) -> None:
    sim.present(sample_cards.resident())
    assert reader.read_card(Cancel(), WAIT_S).ok
    assert reader.read_added_address(Cancel()).fault.code == codes.NO_CONTENT
    sim.added_address = "浙江省杭州市拱墅区新址路9号（演示）"
    assert reader.read_added_address(Cancel()).unwrap() == "浙江省杭州市拱墅区新址路9号（演示）"


def test_sam_id_is_read_again_and_a_closed_reader_asks_for_a_reset(
        reader: IdCardReader) -> None:
    assert reader.read_sam_id().unwrap() == "05.01-20101111-0012345678-0999999999"
    reader.close()
    for result in (reader.read_sam_id(), reader.reset_sam(), reader.read_added_address(Cancel()),
                   reader.read_card(Cancel(), 0.1)):
        assert result.fault is not None and result.fault.code == codes.NOT_OPEN
        assert result.fault.action is RequiredAction.RESET


def test_sam_reset_clears_the_wait_for_lift(sim: IdCardSimulator, reader: IdCardReader) -> None:
    assert reader.reset_sam().ok
    assert sim.requests[-1] is not None and sim.requests[-1].name == "RESET"


def test_photo_is_decoded_when_a_vendor_plugin_is_installed(sim: IdCardSimulator) -> None:
    r = IdCardReader("idcard", {"port": sim.path,
                                "photo_decoder": "tests.devices.wlt_plugin:decoder"})
    assert r.open().ok
    try:
        assert r.poll_status().media["photo"] == "photo decoder installed"
        sim.present(sample_cards.resident())
        card = r.read_card(Cancel(), WAIT_S).unwrap()
        assert card.photo is not None and card.photo.bmp is not None
        assert len(card.photo.bmp) == 38_862
        card.wipe()
        assert not any(card.photo.bmp) and not any(card.photo.data)
    finally:
        r.close()


def test_broken_photo_plugin_is_a_diagnostic_and_text_still_reads(sim: IdCardSimulator) -> None:
    r = IdCardReader("idcard", {"port": sim.path,
                                "photo_decoder": "tests.devices.wlt_plugin:broken"})
    assert r.open().ok
    try:
        assert "libwlt2bmp" in r.poll_status().media["photo"]
        sim.present(sample_cards.resident())
        card = r.read_card(Cancel(), WAIT_S).unwrap()
        assert card.photo is not None and card.photo.bmp is None
    finally:
        r.close()


def test_close_during_a_card_wait_ends_the_wait(sim: IdCardSimulator) -> None:
    r = IdCardReader("idcard", {"port": sim.path})
    assert r.open().ok
    results: list[object] = []
    asked = len(sim.requests)
    worker = threading.Thread(target=lambda: results.append(r.read_card(Cancel(), 60)))
    worker.start()
    wait_until(lambda: Command.FIND_CARD in sim.requests[asked:], "the read to look for a card")
    r.close()  # the kiosk shutting down while a citizen screen waits for a card
    worker.join(10)
    assert not worker.is_alive()
    assert results[0].fault.code == codes.CANCELLED  # type: ignore[attr-defined]


def test_line_noise_before_answers_is_skipped(sim: IdCardSimulator, reader: IdCardReader) -> None:
    sim.present(sample_cards.foreign_2017())
    sim.fail_next("noise", 3)  # find, select and read answers all preceded by garbage
    assert reader.read_card(Cancel(), WAIT_S).unwrap() == sample_cards.foreign_2017()


def test_a_peer_answering_garbage_only_gives_typed_failures() -> None:
    """A reader that opens fine (answers status and SAM id) and then talks nonsense."""
    import random

    from devices.idcard.frame import PREAMBLE, pack_response

    master, slave = os.openpty()
    stop = threading.Event()
    rng = random.Random(467)
    greeting = [pack_response(0x90), pack_response(0x90, bytes(16))]

    def garbage_peer() -> None:
        os.set_blocking(master, False)
        while not stop.is_set():
            try:
                os.read(master, 4096)
            except BlockingIOError:
                time.sleep(0.01)
                continue
            except OSError:
                return
            if greeting:
                junk = greeting.pop(0)
            else:
                junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 60)))
                if rng.random() < 0.5:  # half-plausible frames: preamble, random rest
                    junk = PREAMBLE + junk
            try:
                os.write(master, junk)
            except OSError:
                return

    peer = threading.Thread(target=garbage_peer, daemon=True)
    peer.start()
    known = {v for k, v in vars(codes).items() if k.isupper() and isinstance(v, str)}
    try:
        r = IdCardReader("idcard", {"port": os.ttyname(slave), "poll_interval_s": 0.02})
        assert r.open().ok
        for _ in range(8):
            result = r.read_card(Cancel(), 0.3)
            assert not result.ok and result.fault.code in known
        status = r.poll_status()
        assert status.fault is None or status.fault.code in known
        r.close()
    finally:
        stop.set()
        peer.join(2)
        os.close(master)
        os.close(slave)


def test_simulator_survives_a_card_that_cannot_fit_the_chip(sim: IdCardSimulator,
                                                            reader: IdCardReader) -> None:
    too_long = replace(sample_cards.resident(), address="浙江省杭州市" * 10)  # > 35 characters
    sim.present(too_long)
    assert not reader.read_card(Cancel(), WAIT_S).ok
    sim.lift()
    sim.present(sample_cards.resident())
    assert reader.read_card(Cancel(), WAIT_S).unwrap() == sample_cards.resident()


def test_port_owned_by_dialout_is_a_permission_diagnostic_with_the_fix() -> None:
    """The classic: the port is root:dialout 0660 and the kiosk user is not in dialout.
    A real pty node with those bits, judged for an unprivileged user (nobody)."""
    import grp

    from devices.diagnostics import port_access_problem

    master, slave = os.openpty()
    path = os.ttyname(slave)
    try:
        st = os.stat(path)
        os.chmod(path, 0o660)
        nobody = (65534, {65534})
        message = port_access_problem(path, as_user=nobody)
        group = grp.getgrgid(st.st_gid).gr_name
        assert message.startswith(f"permission denied on {path}")
        assert f"group '{group}'" in message and f"usermod -aG {group}" in message
        assert port_access_problem(path, as_user=(65534, {st.st_gid})) == ""  # after usermod
        assert port_access_problem(path) == ""  # this test's own user may open it
    finally:
        os.close(master)
        os.close(slave)


def test_permission_fault_maps_to_hardware_error_needing_configuration() -> None:
    from devices.manager import status_from_fault
    from devices.status import Fault

    fault = Fault(codes.PERMISSION, "permission denied on /dev/ttyUSB0: …",
                  RequiredAction.CONFIGURATION)
    status = status_from_fault("idcard", "idcard", fault)
    assert status.availability is Availability.HARDWARE_ERROR and status.fault == fault


def test_status_poll_reports_whether_a_card_lies_on_the_reader(sim: IdCardSimulator,
                                                               reader: IdCardReader) -> None:
    assert reader.poll_status().media["card"] == "not_present"
    sim.present(sample_cards.resident())
    assert reader.poll_status().media["card"] == "present"
    assert reader.read_card(Cancel(), WAIT_S).ok  # read once: the card is halted
    assert reader.poll_status().media["card"] == "not_present"
    assert reader.read_card(Cancel(), 0.3).fault.code == codes.TIMEOUT  # not reported again
