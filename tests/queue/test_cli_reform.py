"""The reform's journeys from the command line (#13), the real ``kiosk`` program against the
sandbox on loopback: a 一件事 bundle's array field, a promise signed as an image (告知承诺),
a supplement asked by the sandbox's admin and sent through the queue (补齐补正), and payment
orders settled by the admin command."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.promise import signature_png
from kiosk.sandbox.catalog import Catalog
from kiosk.sandbox.demo_identities import ZHANG_SAN
from kiosk.sandbox.server import SandboxServer
from tests.queue.sandbox_apps import MATERIAL, applicant, form, jpeg, kiosk, write_config

HOUSE = "330106SBX0001"  # 登记费 80 元/件
NEWBORN = "330106SBX0002"
FUND = "330106SBX0003"        # 提取住房公积金: M0003-02 may be replaced by a promise
THREE_OF_FIVE = ["330106SBX0201", "330106SBX0202", "330106SBX0006"]
# a signature of three strokes across the pad, as the screen's pad records them
SIGNATURE = [[(0.1 + 0.02 * i, 0.5 + 0.2 * ((-1) ** i)) for i in range(20)],
             [(0.55, 0.2), (0.6, 0.8), (0.7, 0.3)], [(0.75, 0.5), (0.9, 0.55)]]


def _json_file(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def _png(draw: str, size: tuple[int, int] = (900, 300)) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", size, (0, 0, 0, 0))  # transparent: paper
    if draw == "dot":
        ImageDraw.Draw(img).ellipse((440, 140, 452, 152), fill=(0, 0, 0, 255))
    elif draw == "dash":
        ImageDraw.Draw(img).line((400, 150, 470, 150), fill=(0, 0, 0, 255), width=6)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _fund_args(tmp_path: Path, cfg: Path, *extra: str) -> list[str | Path]:
    who = {"applicantType": "NATURAL_PERSON", "certType": "RESIDENT_ID_CARD",
           "certNo": ZHANG_SAN.cert_no, "name": ZHANG_SAN.name, "phone": ZHANG_SAN.phone}
    example = Catalog().get(FUND)["formSchema"]["examples"][0]  # type: ignore[index]
    return ["--config", cfg, "submit", "--matter", FUND,
            "--applicant", _json_file(tmp_path / "fund-applicant.json", who),
            "--form", _json_file(tmp_path / "fund-form.json", example),
            "--delivery", _json_file(tmp_path / "fund-delivery.json",
                                     {"method": "ELECTRONIC", "address": None}), *extra]


def test_newborn_bundle_with_three_of_five_sub_matters_is_sent_with_its_array_field(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    example = Catalog().get(NEWBORN)["formSchema"]["examples"][0]  # type: ignore[index]
    the_form = {k: v for k, v in example.items() if k not in ("cardBank", "vaccinationClinic")}
    the_form["subMatters"] = THREE_OF_FIVE
    attach: list[str] = []
    for n, code in enumerate(("M0002-01", "M0002-02", "M0002-03", "M0002-04", "M0002-05")):
        page = tmp_path / f"{code}.jpg"
        page.write_bytes(jpeg(n))
        attach += ["--attach", f"{code}={page}"]
    res = kiosk("--config", cfg, "submit", "--matter", NEWBORN,
                "--applicant", _json_file(tmp_path / "a.json", applicant()),
                "--form", _json_file(tmp_path / "f.json", the_form), *attach, "--json")
    assert res.returncode == 0, res.stderr
    assert res.stdout.count("\n") == 1
    out = json.loads(res.stdout)
    assert out["state"] == "delivered" and out["projId"]
    [row] = sandbox.storage.dump()
    assert row["subMatters"] == THREE_OF_FIVE
    assert [c["name"] for c in row["subCases"]] == [
        "出生医学证明办理", "新生儿户口登记（出生登记）", "城乡居民基本医疗保险参保登记"]


def test_a_promise_signed_as_an_image_is_attached_as_the_exempt_promise_pdf(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    sig = tmp_path / "signature.png"
    sig.write_bytes(signature_png(SIGNATURE))
    res = kiosk(*_fund_args(tmp_path, cfg, "--promise", f"M0003-02={sig}", "--json"))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["state"] == "delivered"
    payload = json.loads(sandbox.storage.one(
        "SELECT payload FROM applications WHERE application_id = ?",
        out["applicationId"])["payload"])
    [promise] = [m for m in payload["materials"] if m["materialCode"] == "M0003-02"]
    assert promise["submission"] == "EXEMPT_PROMISE" and len(promise["fileIds"]) == 1
    [row] = sandbox.storage.dump()
    assert len(row["files"]) == 1


@pytest.mark.parametrize("drawn, reason", [("blank", "holds no signature"),
                                           ("dot", "too little ink"),
                                           ("dash", "too little ink")])
def test_an_empty_or_near_empty_signature_image_is_refused_and_nothing_is_stored(
        tmp_path: Path, sandbox: SandboxServer, drawn: str, reason: str) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    sig = tmp_path / "signature.png"
    sig.write_bytes(_png(drawn))
    res = kiosk(*_fund_args(tmp_path, cfg, "--promise", f"M0003-02={sig}", "--json"))
    assert res.returncode == 1
    assert reason in res.stderr and res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
    assert sandbox.storage.dump() == []
    queue = json.loads(kiosk("--config", cfg, "queue", "status", "--json").stdout)
    assert queue["pending"] == queue["delivered"] == 0


def test_a_promise_for_a_material_that_is_not_promisable_is_refused(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    sig = tmp_path / "signature.png"
    sig.write_bytes(signature_png(SIGNATURE))
    res = kiosk(*_fund_args(tmp_path, cfg, "--promise", f"M0003-03={sig}"))
    assert res.returncode == 1 and "cannot be replaced by a promise" in res.stderr
    assert sandbox.storage.dump() == []


def _delivered(tmp_path: Path, cfg: Path) -> dict[str, Any]:
    page = tmp_path / "page.jpg"
    page.write_bytes(jpeg(7))
    res = kiosk("--config", cfg, "submit", "--matter", "330106SBX0005",
                "--applicant", _json_file(tmp_path / "a.json", applicant()),
                "--form", _json_file(tmp_path / "f.json", form()),
                "--attach", f"{MATERIAL}={page}", "--json")
    assert res.returncode == 0, res.stderr
    out: dict[str, Any] = json.loads(res.stdout)
    return out


def test_a_supplement_asked_by_the_sandbox_admin_is_listed_sent_once_and_settles_the_case(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    case = _delivered(tmp_path, cfg)["applicationId"]
    asked = kiosk("sandbox", "ask-supplement", case, "--material", MATERIAL,
                  "--reason", "照片不清晰（测试）", "--url", sandbox.base_url, "--json")
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["status"] == "SUPPLEMENT_REQUIRED"

    status = kiosk("--config", cfg, "status", case, "--json")
    assert status.returncode == 0 and status.stdout.count("\n") == 1
    sup = json.loads(status.stdout)["supplement"]
    assert sup["reason"] == "照片不清晰（测试）"
    assert [(m["materialCode"], m["name"]) for m in sup["materials"]] == [
        (MATERIAL, next(m["name"] for m in Catalog().get("330106SBX0005")["materials"]
                        if m["materialCode"] == MATERIAL))]
    text = kiosk("--config", cfg, "status", case)
    assert "照片不清晰（测试）" in text.stdout and MATERIAL in text.stdout

    page = tmp_path / "clear.jpg"
    page.write_bytes(jpeg(8))
    sent = kiosk("--config", cfg, "supplement", case, "--attach", f"{MATERIAL}={page}", "--json")
    assert sent.returncode == 0, sent.stderr
    out = json.loads(sent.stdout)
    assert sent.stdout.count("\n") == 1
    assert out["state"] == "delivered" and out["platformStatus"] == "SUPPLEMENT_SUBMITTED"
    assert sandbox.storage.one("SELECT COUNT(*) AS n FROM supplements")["n"] == 1
    now = json.loads(kiosk("--config", cfg, "status", case, "--json").stdout)
    assert now["status"] == "SUPPLEMENT_SUBMITTED"
    # the queue holds it as delivered: a sync pass sends nothing again
    kiosk("--config", cfg, "queue", "sync")
    assert sandbox.storage.one("SELECT COUNT(*) AS n FROM supplements")["n"] == 1


def test_a_supplement_made_offline_is_queued_then_delivered_exactly_once(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    online = write_config(tmp_path, sandbox.base_url)
    case = _delivered(tmp_path, online)["applicationId"]
    assert kiosk("sandbox", "ask-supplement", case, "--material", MATERIAL,
                 "--url", sandbox.base_url).returncode == 0
    offline = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")  # nothing listens there
    page = tmp_path / "clear.jpg"
    page.write_bytes(jpeg(9))
    sent = kiosk("--config", offline, "supplement", case, "--attach", f"{MATERIAL}={page}",
                 "--json")
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout)["state"] == "queued"
    for _ in range(2):
        done = kiosk("--config", offline, "queue", "sync", "--until-empty", "--timeout", "30",
                     "--api", sandbox.base_url)
        assert done.returncode == 0, done.stderr
    assert sandbox.storage.one("SELECT COUNT(*) AS n FROM supplements")["n"] == 1


def test_a_supplement_to_a_case_not_asked_for_one_is_a_dead_letter_exit_4(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    case = _delivered(tmp_path, cfg)["applicationId"]
    page = tmp_path / "clear.jpg"
    page.write_bytes(jpeg(10))
    sent = kiosk("--config", cfg, "supplement", case, "--attach", f"{MATERIAL}={page}", "--json")
    assert sent.returncode == 4, sent.stderr
    assert json.loads(sent.stdout)["state"] == "dead"


@pytest.mark.parametrize("args, needle", [
    ([], "at least one --attach"),
    (["--attach", "M1"], "must be MATERIAL_CODE=FILE"),
    (["--attach", "M1=/nonexistent/x.jpg"], "attachment"),
])
def test_bad_supplement_input_is_one_line_and_exit_1(tmp_path: Path, args: list[str],
                                                    needle: str) -> None:
    cfg = write_config(tmp_path, "http://127.0.0.1:9/uap/v1")
    res = kiosk("--config", cfg, "supplement", "app_1", *args)
    assert res.returncode == 1 and needle in res.stderr
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr


def test_the_admin_refuses_a_material_the_matter_does_not_have(
        tmp_path: Path, sandbox: SandboxServer) -> None:
    cfg = write_config(tmp_path, sandbox.base_url)
    case = _delivered(tmp_path, cfg)["applicationId"]
    res = kiosk("sandbox", "ask-supplement", case, "--material", "NOPE-01",
                "--url", sandbox.base_url)
    assert res.returncode == 1 and "NOPE-01" in res.stderr and res.stderr.count("\n") == 1
    gone = kiosk("sandbox", "ask-supplement", "app_missing", "--material", MATERIAL,
                 "--url", sandbox.base_url)
    assert gone.returncode == 1 and "APPLICATION_NOT_FOUND" in gone.stderr


def test_no_sandbox_at_the_admin_url_is_one_line_and_exit_3() -> None:
    res = kiosk("sandbox", "settle", "pay_x", "paid", "--url", "http://127.0.0.1:9")
    assert res.returncode == 3 and res.stderr.startswith("kiosk: no sandbox answers")
    assert res.stderr.count("\n") == 1


@pytest.mark.parametrize("outcome", ["paid", "expired", "cancelled"])
def test_a_payment_order_is_settled_by_the_admin_command(
        sandbox: SandboxServer, outcome: str) -> None:
    from kiosk.api.client import ApiClient
    from kiosk.api.uuid7 import uuid7
    from kiosk.sandbox.server import DEMO_ACCESS_KEY, demo_credentials

    sandbox.state.payment_paid_after_s = None  # the simulated citizen never pays by itself
    client = ApiClient(sandbox.base_url, DEMO_ACCESS_KEY, demo_credentials()[DEMO_ACCESS_KEY])
    order = client.create_payment({"clientApplicationId": uuid7(), "implCode": HOUSE,
                                   "amountFen": 8000}, uuid7()).json
    res = kiosk("sandbox", "settle", order["paymentId"], outcome, "--url", sandbox.base_url,
                "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["status"] == outcome.upper()
    assert client.get_payment(order["paymentId"]).json["status"] == outcome.upper()
    again = kiosk("sandbox", "settle", order["paymentId"],
                  "cancelled" if outcome == "paid" else "paid", "--url", sandbox.base_url)
    assert again.returncode == 1 and f"already {outcome.upper()}" in again.stderr
