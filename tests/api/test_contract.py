"""The contract file itself: a valid OpenAPI 3.1 document whose every schema example is valid,
and whose request examples the sandbox accepts as they are."""

from __future__ import annotations

import requests
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from kiosk.api import contract
from kiosk.api.client import ApiClient
from kiosk.sandbox.server import SandboxServer
from tests.api.helpers import example

REQUEST_SCHEMAS = ("CitizenSessionRequest", "PrefillRequest", "ApplicationRequest",
                   "SupplementRequest", "EvaluationRequest", "HeartbeatRequest",
                   "FaceVerificationRequest", "EidVerificationRequest")


def test_openapi_file_is_a_valid_openapi_3_1_document() -> None:
    spec, _ = read_from_filename(str(contract.SPEC_PATH))
    validate(spec)
    assert spec["openapi"].startswith("3.1")


def test_every_schema_carries_a_valid_example() -> None:
    schemas = contract.spec()["components"]["schemas"]
    enums_and_scalars = {name for name, s in schemas.items() if s.get("type") == "string"}
    for name, schema in schemas.items():
        if name in enums_and_scalars and "examples" not in schema:
            continue  # a named enum: its values are its examples
        assert schema.get("examples"), f"{name} has no example"
        for value in schema["examples"]:
            assert contract.errors(name, value) == [], name


def test_every_operation_documents_its_errors_as_problem_json() -> None:
    for path, item in contract.spec()["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            assert "default" in op["responses"], f"{method.upper()} {path}"
            assert op.get("operationId"), f"{method.upper()} {path}"


def test_form_examples_in_the_seeded_catalog_and_matter_example_agree(
        client: ApiClient) -> None:
    documented = example("Matter")
    served = client.get_matter(documented["implCode"]).json
    assert served == documented


def test_request_examples_are_accepted_by_the_sandbox_as_is(
        sandbox: SandboxServer, client: ApiClient) -> None:
    session_req = example("CitizenSessionRequest")
    session = client.request("POST", "/citizen-sessions", json=session_req,
                             idempotency_key="example-session", schema="CitizenSession")
    assert session.status == 201
    token = session.json["sessionToken"]
    prefill = client.request("POST", "/prefill", json=example("PrefillRequest"),
                             headers={"X-Citizen-Authorization": f"Bearer {token}"},
                             schema="Prefill")
    assert prefill.status == 200
    app = example("ApplicationRequest")
    receipt = client.request("POST", "/applications", json=app,
                             idempotency_key=app["clientApplicationId"],
                             schema="ApplicationReceipt")
    assert receipt.status == 202
    app_id = receipt.json["applicationId"]
    requests.post(f"{sandbox.root_url}/__admin/applications/{app_id}/status",
                  json={"status": "SUPPLEMENT_REQUIRED"}, timeout=5).raise_for_status()
    supplement = client.request("POST", f"/applications/{app_id}/supplements",
                                json=example("SupplementRequest"),
                                idempotency_key="example-supplement",
                                schema="SupplementReceipt")
    assert supplement.status == 202
    rating = client.request("POST", "/evaluations", json=example("EvaluationRequest"),
                            idempotency_key="example-rating", schema="EvaluationReceipt")
    assert rating.status == 201
    beat = client.request("POST", "/devices/DEMO-KIOSK-0001/heartbeat",
                          json=example("HeartbeatRequest"), schema="HeartbeatResponse")
    assert beat.status == 200


def test_prefill_for_a_demo_identity_fills_the_form_and_exempts_materials(
        client: ApiClient) -> None:
    req = example("CitizenSessionRequest")
    session = client.create_citizen_session(
        cert_type=req["certType"], cert_no=req["certNo"], name=req["name"],
        method=req["method"], consent_scopes=req["consentScopes"]).json
    answer = client.prefill(session["sessionToken"], "330106SBX0005",
                            cert_type="RESIDENT_ID_CARD", cert_no=req["certNo"],
                            method="IDCARD_FACE", scopes=["PERSON_BASIC", "LICENCES", "HOUSEHOLD"])
    assert "赵六" not in repr(answer) and "200" in repr(answer)  # a logged answer shows no data
    data = answer.json
    assert data["fields"]["name"]["value"] == "赵六测试"
    assert data["fields"]["residenceSince"]["value"] == "2025-01-15"
    assert set(data["exemptedMaterialCodes"]) == {"M0005-01", "M0005-02"}
    form = example("ApplicationRequest")["form"]
    for key, field in data["fields"].items():
        assert form[key] == field["value"], key  # prefill agrees with the example form
