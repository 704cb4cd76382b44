"""Submitting applications over real HTTP: idempotency (replay, 422 reuse, 409 in flight),
validation refusals the queue dead-letters, reconciliation after a `U`, status, supplements,
ratings, dump."""

from __future__ import annotations

import json
import threading

import pytest
import requests

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError, IdempotencyError
from kiosk.api.uuid7 import uuid7
from kiosk.sandbox.server import SandboxServer
from tests.api.conftest import ContractChecker, make_client
from tests.api.helpers import application, example, fake_jpeg, sha256


def test_contract_example_application_is_received_and_replay_is_marked(
        client: ApiClient) -> None:
    app = application()
    first = client.submit_application(app, app["clientApplicationId"])
    assert first.status == 202 and not first.replayed
    receipt = first.json
    assert receipt["status"] == "RECEIVED" and receipt["resultStatus"] == "S"
    assert receipt["projId"] and receipt["queryPassword"] and receipt["promisedDays"] == 10
    again = client.submit_application(app, app["clientApplicationId"])
    assert again.replayed and again.status == 202 and again.json == receipt


def test_exact_stored_bytes_can_be_resent_as_is(client: ApiClient) -> None:
    import json

    app = application()
    raw = json.dumps(app, ensure_ascii=False).encode("utf-8")  # not the client's own encoding
    assert client.submit_application(raw, app["clientApplicationId"]).status == 202
    assert client.submit_application(raw, app["clientApplicationId"]).replayed


def test_same_key_with_another_body_is_422_key_reused_and_not_retryable(
        client: ApiClient) -> None:
    app = application()
    client.submit_application(app, app["clientApplicationId"])
    changed = dict(app, createdAt="2026-11-22T10:31:00+08:00")
    with pytest.raises(IdempotencyError) as info:
        client.submit_application(changed, app["clientApplicationId"])
    assert info.value.status == 422 and info.value.code == "IDEMPOTENCY_KEY_REUSED"
    assert not info.value.retryable


def test_same_key_while_the_first_is_running_is_409_in_flight(
        sandbox: SandboxServer, client: ApiClient, checker: ContractChecker) -> None:
    sandbox.faults.set(hold_s=60, paths=["/uap/v1/applications"])  # held until reset
    app = application()
    result: dict[str, object] = {}

    def first() -> None:
        with make_client(sandbox.base_url, checker) as other:
            result["first"] = other.submit_application(app, app["clientApplicationId"])

    t = threading.Thread(target=first)
    t.start()
    assert sandbox.faults.wait_held()  # the first request is in flight
    slow = make_client(sandbox.base_url, checker, max_retries=0)
    try:
        with pytest.raises(IdempotencyError) as info:
            slow.submit_application(app, app["clientApplicationId"])
    finally:
        sandbox.faults.reset()  # lets the first one finish
        t.join()
    assert info.value.status == 409 and info.value.code == "IDEMPOTENCY_IN_FLIGHT"
    assert info.value.retryable and info.value.result_status == "U"
    assert info.value.retry_after == 1
    assert client.submit_application(app, app["clientApplicationId"]).replayed


def test_refused_fields_name_the_rule_not_the_citizens_value(
        client: ApiClient, checker: ContractChecker) -> None:
    app = application()
    app["applicant"] = "张三测试 33019919880606004X"  # a string where an object belongs
    app["delivery"]["method"] = "张三测试"
    with checker.off(), pytest.raises(ApiError) as info:
        client.submit_application(app, app["clientApplicationId"])
    assert info.value.status == 422 and info.value.code == "VALIDATION_FAILED"
    assert {f["pointer"] for f in info.value.fields} >= {"/applicant", "/delivery/method"}
    shown = json.dumps(info.value.problem, ensure_ascii=False) + str(info.value)
    assert "张三" not in shown and "33019919880606004X" not in shown


def test_an_identification_method_outside_the_contract_is_refused_and_none_is_fine(
        sandbox: SandboxServer, client: ApiClient, checker: ContractChecker) -> None:
    app = application(identificationMethod="FINGERPRINT")
    with checker.off(), pytest.raises(ApiError) as info:
        client.submit_application(app, app["clientApplicationId"])
    assert info.value.status == 422 and info.value.code == "VALIDATION_FAILED"
    assert {f["pointer"] for f in info.value.fields} == {"/identificationMethod"}
    app = application()
    del app["identificationMethod"]  # optional: older kiosks and batch entry send none
    assert client.submit_application(app, app["clientApplicationId"]).status == 202
    eid = application(identificationMethod="EID_QR")
    assert client.submit_application(eid, eid["clientApplicationId"]).status == 202
    methods = {r["clientApplicationId"]: r.get("identificationMethod")
               for r in sandbox.storage.dump()}
    assert methods == {app["clientApplicationId"]: None, eid["clientApplicationId"]: "EID_QR"}


def test_missing_idempotency_key_is_400(client: ApiClient, checker: ContractChecker) -> None:
    app = application()
    with checker.off(), pytest.raises(ApiError) as info:
        client.request("POST", "/applications", json=app)  # no key
    assert info.value.status == 400 and info.value.code == "IDEMPOTENCY_KEY_MISSING"


def test_key_must_equal_client_application_id(client: ApiClient) -> None:
    app = application()
    with pytest.raises(ApiError) as info:
        client.submit_application(app, uuid7())
    assert info.value.status == 422 and info.value.fields[0]["pointer"] == "/clientApplicationId"


def test_unknown_file_id_is_a_non_retryable_422_the_queue_dead_letters(
        client: ApiClient) -> None:
    app = application()
    app["materials"][2] = {"materialCode": "M0005-03", "fileIds": ["f_doesnotexist"]}
    with pytest.raises(ApiError) as info:
        client.submit_application(app, app["clientApplicationId"])
    err = info.value
    assert (err.status, err.code, err.retryable) == (422, "FILE_NOT_FOUND", False)
    assert err.fields[0]["pointer"] == "/materials/2/fileIds/0"


def test_missing_required_material_without_exemption_is_refused(client: ApiClient) -> None:
    app = application()
    app["materials"] = app["materials"][:2]  # the photo (no exemption) left out
    with pytest.raises(ApiError) as info:
        client.submit_application(app, app["clientApplicationId"])
    assert info.value.code == "MATERIAL_MISSING" and not info.value.retryable


def test_exempt_materials_may_be_omitted(client: ApiClient) -> None:
    app = application()
    app["materials"] = [app["materials"][2]]  # only the photo; licence/data-sharing omitted
    assert client.submit_application(app, app["clientApplicationId"]).status == 202


def test_form_not_matching_the_matters_schema_names_the_field(client: ApiClient) -> None:
    app = application()
    app["form"]["phone"] = "12345"
    with pytest.raises(ApiError) as info:
        client.submit_application(app, app["clientApplicationId"])
    assert info.value.code == "VALIDATION_FAILED"
    assert any(f["pointer"] == "/form/phone" for f in info.value.fields)
    # A refusal is not stored: the corrected application may use the same key.
    app["form"]["phone"] = "13900000004"
    assert client.submit_application(app, app["clientApplicationId"]).status == 202


def test_stale_matter_version_is_412(client: ApiClient) -> None:
    app = application(matterVersion="2025-01-01T00:00:00+08:00#1")
    with pytest.raises(ApiError) as info:
        client.submit_application(app, app["clientApplicationId"])
    assert info.value.status == 412 and info.value.code == "MATTER_VERSION_STALE"


def test_unknown_outcome_is_reconciled_by_client_application_id(
        sandbox: SandboxServer, client: ApiClient) -> None:
    sandbox.faults.set(unknown_rate=1.0)
    app = application()
    with pytest.raises(ApiError) as info:
        client.submit_application(app, app["clientApplicationId"])
    assert info.value.result_status == "U" and info.value.retryable
    sandbox.faults.reset()
    found = client.find_application(app["clientApplicationId"])
    assert found is not None and found["status"] == "RECEIVED"
    replay = client.submit_application(app, app["clientApplicationId"])
    assert replay.replayed and replay.json["applicationId"] == found["applicationId"]
    assert client.find_application(uuid7()) is None


def test_application_with_an_uploaded_attachment_shows_in_the_dump(
        sandbox: SandboxServer, client: ApiClient) -> None:
    app = application()
    photo = fake_jpeg(5000)
    file_id = client.upload(photo, sha256=sha256(photo), filename="照片.jpg",
                            content_type="image/jpeg", material_code="M0005-03",
                            client_application_id=app["clientApplicationId"])
    app["materials"][2] = {"materialCode": "M0005-03", "submission": "ELECTRONIC_FILE",
                           "fileIds": [file_id]}
    receipt = client.submit_application(app, app["clientApplicationId"]).json
    rating = example("EvaluationRequest")
    rating["clientApplicationId"] = app["clientApplicationId"]
    client.evaluate(rating, uuid7())
    [row] = sandbox.storage.dump()
    assert row == {"clientApplicationId": app["clientApplicationId"],
                   "applicationId": receipt["applicationId"], "matter": "330106SBX0005",
                   "applicantCertNo": app["applicant"]["certNo"],
                   "files": [{"sha256": sha256(photo), "bytes": 5000}],
                   "identificationMethod": "IDCARD_FACE",
                   "evaluation": row["evaluation"]}
    assert row["evaluation"]["satisfaction"] == "VERY_SATISFIED"


def test_status_query_by_receipt_password_and_by_proj_id(client: ApiClient) -> None:
    app = application()
    receipt = client.submit_application(app, app["clientApplicationId"]).json
    [by_pw] = client.query_status(query_password=receipt["queryPassword"])
    [by_proj] = client.query_status(proj_id=receipt["projId"])
    [by_id] = client.query_status(application_id=receipt["projId"])
    assert by_pw["applicationId"] == by_proj["applicationId"] == by_id["applicationId"]
    assert by_pw["applicantNameMasked"].startswith("赵") and "六" not in by_pw["applicantNameMasked"]
    assert client.query_status(application_id="app_nonexistent") == []


def test_cases_advance_through_statuses_over_time(tmp_path, checker: ContractChecker) -> None:
    with SandboxServer(tmp_path / "s.db", status_step_s=0.2) as server:
        c = make_client(server.base_url, checker)
        seen = set()
        apps = [application() for _ in range(8)]
        for app in apps:
            c.submit_application(app, app["clientApplicationId"])
        server.faults.set(clock_offset_s=10.0)  # 50 status steps later (within the ±90 s skew)
        for app in apps:
            status = c.find_application(app["clientApplicationId"])
            assert status is not None
            seen.add(status["status"])
            history = [h["status"] for h in status["statusHistory"]]
            assert history[:2] == ["RECEIVED", "ACCEPTED"]
        assert "FINISHED" in seen or "SUPPLEMENT_REQUIRED" in seen
        c.close()


def test_supplement_when_required_moves_the_case_on(
        sandbox: SandboxServer, client: ApiClient) -> None:
    app = application()
    receipt = client.submit_application(app, app["clientApplicationId"]).json
    with pytest.raises(ApiError) as info:
        client.submit_supplement(receipt["applicationId"], example("SupplementRequest"), uuid7())
    assert info.value.code == "SUPPLEMENT_NOT_REQUESTED"
    requests.post(f"{sandbox.root_url}/__admin/applications/{receipt['applicationId']}/status",
                  json={"status": "SUPPLEMENT_REQUIRED"}, timeout=5).raise_for_status()
    status = client.get_application(receipt["applicationId"]).json
    assert status["status"] == "SUPPLEMENT_REQUIRED" and status["supplement"]["materials"]
    done = client.submit_supplement(receipt["applicationId"], example("SupplementRequest"),
                                    uuid7())
    assert done.status == 202 and done.json["status"] == "SUPPLEMENT_SUBMITTED"


def test_bad_rating_needs_reasons_and_flags_follow_up(
        client: ApiClient, checker: ContractChecker) -> None:
    app = application()
    client.submit_application(app, app["clientApplicationId"])
    rating = example("EvaluationRequest")
    rating.update(clientApplicationId=app["clientApplicationId"], satisfaction="DISSATISFIED",
                  reasons=[])
    with checker.off(), pytest.raises(ApiError) as info:
        client.evaluate(rating, uuid7())
    assert info.value.code == "VALIDATION_FAILED"
    rating["reasons"] = ["LONG_WAIT"]
    receipt = client.evaluate(rating, uuid7()).json
    assert receipt["followUpRequired"] is True


def test_heartbeat_reports_server_time_skew_and_queued_commands(
        sandbox: SandboxServer, client: ApiClient) -> None:
    requests.post(f"{sandbox.root_url}/__admin/devices/DEMO-KIOSK-0001/commands",
                  json={"type": "REFRESH_CATALOG"}, timeout=5).raise_for_status()
    payload = example("HeartbeatRequest")
    del payload["sentAt"]  # the client stamps it
    beat = client.heartbeat(payload)
    assert abs(beat.json["clockSkewSec"]) <= 2
    assert [c["type"] for c in beat.json["commands"]] == ["REFRESH_CATALOG"]
    assert client.heartbeat().json["commands"] == []


def test_second_request_with_the_key_in_flight_gets_the_first_answer_after_waiting(
        sandbox: SandboxServer, client: ApiClient, checker: ContractChecker) -> None:
    sandbox.faults.set(hold_s=0.8, paths=["/uap/v1/applications"])
    app = application()
    result: dict[str, object] = {}

    def first() -> None:
        with make_client(sandbox.base_url, checker) as other:
            result["first"] = other.submit_application(app, app["clientApplicationId"]).json

    t = threading.Thread(target=first)
    t.start()
    assert sandbox.faults.wait_held()  # the first request is in flight
    second = client.submit_application(app, app["clientApplicationId"])  # waits Retry-After
    t.join()
    assert second.replayed and second.json == result["first"]


def test_long_running_sandbox_keeps_no_connection_per_request(
        sandbox: SandboxServer, client: ApiClient) -> None:
    import os

    def open_files() -> int:
        return len(os.listdir("/proc/self/fd"))

    for _ in range(5):
        client.find_application("nothing-yet")
    before = open_files()
    for _ in range(150):
        client.find_application("nothing-yet")  # each one reads SQLite in a new thread
    assert open_files() - before < 10


def test_the_same_application_sent_by_racing_senders_is_stored_once(
        sandbox: SandboxServer, checker: ContractChecker) -> None:
    from concurrent.futures import ThreadPoolExecutor

    apps = [application() for _ in range(5)]
    sandbox.faults.set(hold_s=0.2, paths=["/uap/v1/applications"])

    def send(app: dict) -> str:
        with make_client(sandbox.base_url, checker) as c:  # waits out 409s, then replays
            return str(c.submit_application(app, app["clientApplicationId"]).json["applicationId"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(send, [a for a in apps for _ in range(4)]))
    per_key = [set(ids[i * 4:(i + 1) * 4]) for i in range(5)]
    assert all(len(s) == 1 for s in per_key)
    assert len(sandbox.storage.dump()) == 5


def test_guessing_receipt_passwords_is_slowed_down_with_429(client: ApiClient) -> None:
    for i in range(10):
        assert client.query_status(query_password=f"0000000{i}") == []
    with pytest.raises(ApiError) as info:
        client.query_status(query_password="00000010")
    err = info.value
    assert err.status == 429 and err.code == "TOO_MANY_ATTEMPTS" and err.retryable
    assert err.retry_after is not None and 50 <= err.retry_after <= 60
