"""Staff and technicians as individuals (#15): the hall's staff directory from the platform,
personal PINs with a per-person lockout, the QR log-in confirmed in the work app, and the
audit log naming the person (staff number) of every action — on the real kiosk backend with
the embedded sandbox on loopback."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from kiosk.app_services import AppServices
from kiosk.audit import audit_path, verify_chain
from kiosk.operator_services import LOGIN_PENDING, OperatorDesk
from kiosk.sandbox.staff_roster import SEED_STAFF
from kiosk.staff_directory import directory_path
from tests.operator.conftest import receipt_dict, settings_for, staff_agent, submit
from tests.waiting import wait_until

PIN = {s.staff_no: s.pin for s in SEED_STAFF}
ZHANG, LI, WANG, ZHAO, QIAN = (s.staff_no for s in SEED_STAFF)  # ZHAO: another hall


def records(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in
            audit_path(tmp_path).read_text(encoding="utf-8").splitlines()]


def admin(kiosk: AppServices, method: str, path: str, **body: Any) -> Any:
    assert kiosk.parts.sandbox is not None
    r = requests.request(method, f"{kiosk.parts.sandbox.root_url}/__admin{path}", json=body,
                         timeout=10)
    r.raise_for_status()
    return r.json()


def test_two_staff_members_log_in_with_their_own_pins_and_the_audit_names_each(
        kiosk: AppServices, tmp_path: Path) -> None:
    desk = kiosk.operator
    outcome = submit(kiosk)
    assert desk.record_receipt(receipt_dict(outcome, agent=staff_agent())).ok
    zhang = desk.login("staff", PIN[ZHANG], ZHANG)
    assert zhang.ok and zhang.value == f"staff:{ZHANG}", zhang
    assert desk.reprint(outcome.client_application_id, zhang.unwrap()).ok
    li = desk.login("staff", PIN[LI], LI)
    assert li.ok and li.value == f"staff:{LI}"
    assert desk.reprint(outcome.client_application_id, li.unwrap()).ok
    recs = records(tmp_path)
    logins = [(r["actor"], r.get("staff"), r["details"]["method"]) for r in recs
              if r["event"] == "role.login"]
    assert logins == [("staff", ZHANG, "pin"), ("staff", LI, "pin")]
    reprints = [(r["actor"], r.get("staff")) for r in recs if r["event"] == "receipt.reprinted"]
    assert reprints == [("staff", ZHANG), ("staff", LI)]
    assert verify_chain(audit_path(tmp_path)).ok  # the staff number is part of the chain


def test_a_technician_logs_in_as_technician_but_not_as_staff(kiosk: AppServices) -> None:
    desk = kiosk.operator
    assert desk.login("technician", PIN[WANG], WANG).value == f"technician:{WANG}"
    refused = desk.login("staff", PIN[WANG], WANG)
    assert refused.fault is not None and refused.fault.code == "not_permitted"
    other_hall = desk.login("staff", PIN[ZHAO], ZHAO)  # not in this hall's directory
    assert other_hall.fault is not None and other_hall.fault.code == "wrong_pin"


def test_an_unknown_staff_number_reads_like_a_wrong_pin(kiosk: AppServices) -> None:
    r = kiosk.operator.login("staff", "123456", "9999999")
    assert r.fault is not None and (r.fault.code, r.fault.message) == ("wrong_pin", "4")


def test_one_persons_lockout_leaves_the_others_able_to_log_in_across_restart(
        start_kiosk: Callable[..., AppServices], tmp_path: Path) -> None:
    kiosk = start_kiosk()
    answers = [kiosk.operator.login("staff", "000000", ZHANG) for _ in range(5)]
    assert [a.fault.code for a in answers if a.fault] == ["wrong_pin"] * 4 + ["locked"]
    kiosk.close()
    again = start_kiosk()
    locked = again.operator.login("staff", PIN[ZHANG], ZHANG)
    assert locked.fault is not None and locked.fault.code == "locked"
    assert again.operator.login("staff", PIN[LI], LI).ok
    locked_rec = [r for r in records(tmp_path) if r["event"] == "role.locked"]
    assert locked_rec[0]["details"]["staffNo"] == ZHANG and locked_rec[0]["actor"] == "kiosk"


def test_a_locked_person_stays_locked_after_the_lockout_file_is_corrupted(
        start_kiosk: Callable[..., AppServices], tmp_path: Path) -> None:
    kiosk = start_kiosk()
    for _ in range(5):
        kiosk.operator.login("staff", "000000", ZHANG)
    kiosk.close()
    (tmp_path / "state" / "pin-lockout.json").write_text("{not json")
    again = start_kiosk()
    r = again.operator.login("staff", PIN[ZHANG], ZHANG)
    assert r.fault is not None and r.fault.code == "locked", r
    assert 0 < int(r.fault.message) <= 300


def test_the_directory_is_kept_sealed_and_logs_in_while_offline(
        kiosk: AppServices, tmp_path: Path) -> None:
    desk = kiosk.operator
    assert desk.refresh_staff_directory().value == 4  # the hall's four (not 赵测试)
    path = directory_path(tmp_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    desk.client = None  # the platform cannot be reached
    assert desk.login("staff", PIN[LI], LI).ok


def test_an_edited_directory_file_is_not_used(tmp_path: Path, sandbox: Any) -> None:
    from kiosk.api.client import ApiClient

    # The desk alone (no running kiosk's heartbeat renewing the file behind the test).
    settings = settings_for(tmp_path)
    desk = OperatorDesk(settings)
    with ApiClient.from_settings(settings, base_url=sandbox.base_url) as client:
        assert desk.refresh_staff_directory(client).ok
    path = directory_path(tmp_path)
    sealed = json.loads(path.read_text(encoding="utf-8"))
    inner = json.loads(sealed["body"])
    inner["directory"]["members"][0]["halls"].append("X")  # any edit breaks the seal
    sealed["body"] = json.dumps(inner)
    path.write_text(json.dumps(sealed), encoding="utf-8")
    r = desk.login("staff", PIN[ZHANG], ZHANG)  # no client: only the kept file could say
    assert r.fault is not None and r.fault.code == "directory_unavailable"
    assert "altered" in r.fault.message


def test_a_directory_older_than_offline_days_no_longer_logs_in(tmp_path: Path,
                                                               sandbox: Any) -> None:
    from kiosk.api.client import ApiClient

    settings = settings_for(tmp_path, staff={"offline_days": 0})
    desk = OperatorDesk(settings)
    with ApiClient.from_settings(settings, base_url=sandbox.base_url) as client:
        assert desk.refresh_staff_directory(client).ok
    r = desk.login("staff", PIN[ZHANG], ZHANG)  # fetched "0 days" ago: too old
    assert r.fault is not None and r.fault.code == "directory_unavailable"
    assert "too old" in r.fault.message


def test_a_person_the_platform_removes_cannot_log_in_after_the_next_heartbeat(
        kiosk: AppServices) -> None:
    desk = kiosk.operator
    assert desk.login("staff", PIN[LI], LI).ok  # directory fetched and kept
    admin(kiosk, "DELETE", f"/staff/{LI}")
    kiosk.parts.anchor_soon()  # the next heartbeat goes within seconds
    wait_until(lambda: (d := desk.staff_cache.load()) is not None and d.member(LI) is None,
               "the heartbeat to renew the staff directory")
    desk.client = None  # no further contact needed: the kept directory says so
    r = desk.login("staff", PIN[LI], LI)
    assert r.fault is not None and r.fault.code == "wrong_pin"
    assert desk.login("staff", PIN[ZHANG], ZHANG).ok


def test_qr_login_is_pending_until_the_work_app_confirms_and_names_the_person(
        kiosk: AppServices, tmp_path: Path) -> None:
    desk = kiosk.operator
    challenge = desk.login_challenge("staff").unwrap()
    assert challenge["qrText"].startswith("zwapp://staff-login?c=")
    assert desk.login_poll(challenge["challengeId"], "staff").value == LOGIN_PENDING
    admin(kiosk, "POST", f"/staff-logins/{challenge['challengeId']}/confirm", staffNo=QIAN)
    r = desk.login_poll(challenge["challengeId"], "staff")
    assert r.value == f"staff:{QIAN}", r  # 钱测试 has no PIN: the QR is her way in
    login = [x for x in records(tmp_path) if x["event"] == "role.login"]
    assert (login[-1].get("staff"), login[-1]["details"]["method"]) == (QIAN, "qr")


def test_qr_confirmed_by_someone_of_another_hall_is_denied(kiosk: AppServices) -> None:
    desk = kiosk.operator
    challenge = desk.login_challenge("staff").unwrap()
    admin(kiosk, "POST", f"/staff-logins/{challenge['challengeId']}/confirm", staffNo=ZHAO)
    r = desk.login_poll(challenge["challengeId"], "staff")
    assert r.fault is not None and r.fault.code == "qr_denied"


def test_shared_role_pins_do_not_open_a_kiosk_outside_demo_mode(tmp_path: Path) -> None:
    from kiosk.roles import hash_pin

    desk = OperatorDesk(settings_for(tmp_path, kiosk={"demo": False},
                                     api={"base_url": "https://gateway.invalid/uap/v1"},
                                     roles={"staff_pin_hash": hash_pin("112233", n=2**10)}))
    r = desk.login("staff", "112233")
    assert r.fault is not None and r.fault.code == "role_disabled"


def test_each_persons_reprint_reaches_the_citizens_data_use_record(
        kiosk: AppServices, tmp_path: Path) -> None:
    desk = kiosk.operator
    outcome = submit(kiosk)
    assert desk.record_receipt(receipt_dict(outcome)).ok
    for who in (ZHANG, LI):
        actor = desk.login("staff", PIN[who], who).unwrap()
        assert desk.reprint(outcome.client_application_id, actor).ok
    desk.reprint(outcome.client_application_id, "staff")  # a shared demo PIN: nobody to name
    # The audit records asked for a heartbeat within seconds; it carries the reports.
    wait_until(lambda: not desk.access_reports.pending(), "the reports to be sent")
    found = kiosk.query_status(None, outcome.application_id, outcome.query_password).unwrap()
    [item] = found["items"]
    assert [(a["operation"], a["staffNoMasked"]) for a in item["dataAccesses"]] == [
        ("RECEIPT_REPRINTED", "99***01"), ("RECEIPT_REPRINTED", "99***02")]


def test_a_report_on_an_application_still_in_the_queue_waits_until_it_arrives(
        kiosk: AppServices) -> None:
    desk = kiosk.operator
    desk.audit("application.retried", f"staff:{ZHANG}", {"item": "019374c2-0000-7000-8000-0"})
    assert desk.send_access_reports().value == 0
    assert len(desk.access_reports.pending()) == 1  # kept: 404 means "not there yet"
