"""一件事 at the sandbox over real HTTP: the application carries the chosen sub-matters; the
materials required are those of the chosen sub-matters; one sub-case per chosen sub-matter
goes to its department, shown by the dump (``kiosk sandbox dump``)."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError
from kiosk.sandbox.server import SandboxServer
from tests.api.helpers import application, fake_jpeg, sha256

NEWBORN = "330106SBX0002"
EXEMPT = [{"materialCode": c, "submission": "E_LICENCE"}
          for c in ("M0002-01", "M0002-02", "M0002-03", "M0002-04", "M0002-05")]


def newborn(client: ApiClient, subs: list[str], **fields: Any) -> dict[str, Any]:
    app = application(implCode=NEWBORN, matterVersion=client.get_matter(NEWBORN).json["version"])
    app["form"] = {"guardianName": "李四测试", "guardianPhone": "13900000002",
                   "newbornName": "张小测试", "newbornGender": "FEMALE",
                   "newbornBirthDate": "2026-10-01", "subMatters": subs, **fields}
    app["materials"] = [dict(x) for x in EXEMPT]
    app["delivery"] = {"method": "WINDOW", "address": None}
    return app


def test_three_of_five_sub_matters_fan_out_to_their_departments_in_the_dump(
        sandbox: SandboxServer, client: ApiClient) -> None:
    subs = ["330106SBX0201", "330106SBX0202", "330106SBX0006"]
    app = newborn(client, subs, householdAddress="测试省测试市测试路1号")
    receipt = client.submit_application(app, app["clientApplicationId"]).json
    [row] = sandbox.storage.dump()
    assert row["applicationId"] == receipt["applicationId"]
    assert row["subMatters"] == subs
    assert [(c["name"], c["status"]) for c in row["subCases"]] == [
        ("出生医学证明办理", "DISPATCHED"), ("新生儿户口登记（出生登记）", "DISPATCHED"),
        ("城乡居民基本医疗保险参保登记", "DISPATCHED")]
    assert len({c["deptName"] for c in row["subCases"]}) == 3


def test_a_chosen_sub_matter_needs_its_own_material_and_fields(client: ApiClient) -> None:
    app = newborn(client, ["330106SBX0205"])  # 预防接种证: clinic and vaccination record
    with pytest.raises(ApiError) as info:
        client.submit_application(app, app["clientApplicationId"])
    assert info.value.status == 422  # vaccinationClinic is required when it is chosen
    app = newborn(client, ["330106SBX0205"], vaccinationClinic="XH-CDC-1")
    with pytest.raises(ApiError) as info:
        client.submit_application(app, app["clientApplicationId"])
    assert info.value.code == "MATERIAL_MISSING" and "M0002-07" in str(info.value.problem)
    photo = fake_jpeg(2000, seed=3)
    fid = client.upload(photo, sha256=sha256(photo), filename="jz.jpg",
                        content_type="image/jpeg", material_code="M0002-07",
                        client_application_id=app["clientApplicationId"])
    app["materials"].append({"materialCode": "M0002-07", "submission": "ELECTRONIC_FILE",
                             "fileIds": [fid]})
    assert client.submit_application(app, app["clientApplicationId"]).status == 202


def test_a_material_of_an_unchosen_sub_matter_is_not_asked_for(client: ApiClient) -> None:
    app = newborn(client, ["330106SBX0006"])  # 医保 only: no vaccination record
    assert client.submit_application(app, app["clientApplicationId"]).status == 202
