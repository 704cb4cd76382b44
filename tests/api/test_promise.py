"""告知承诺 at the sandbox over real HTTP: a promisable material may be handed in as
EXEMPT_PROMISE with the signed 承诺书 as its file; another material may not; a promise without
its document is refused."""

from __future__ import annotations

import pytest

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError
from kiosk.sandbox.catalog import Catalog
from tests.api.helpers import application, sha256

GJJ = "330106SBX0003"


def fund_withdrawal(client: ApiClient, materials: list[dict[str, object]]) -> dict[str, object]:
    matter = Catalog().get(GJJ)
    assert matter is not None
    app = application(implCode=GJJ, matterVersion=matter["version"])
    app["form"] = dict(matter["formSchema"]["examples"][0])
    app["materials"] = [{"materialCode": "M0003-01", "submission": "E_LICENCE"}, *materials]
    app["delivery"] = {"method": "ELECTRONIC", "address": None}
    return app


def test_a_signed_promise_replaces_a_promisable_material(client: ApiClient) -> None:
    pdf = b"%PDF-1.4 signed promise (test)"
    app = fund_withdrawal(client, [])
    fid = client.upload(pdf, sha256=sha256(pdf), filename="承诺书.pdf",
                        content_type="application/pdf", material_code="M0003-02",
                        client_application_id=str(app["clientApplicationId"]))
    app["materials"].append({"materialCode": "M0003-02",  # type: ignore[attr-defined]
                             "submission": "EXEMPT_PROMISE", "fileIds": [fid]})
    assert client.submit_application(app, str(app["clientApplicationId"])).status == 202


def test_a_promise_needs_its_document_and_a_promisable_material(client: ApiClient) -> None:
    app = fund_withdrawal(client, [{"materialCode": "M0003-02", "submission": "EXEMPT_PROMISE"}])
    with pytest.raises(ApiError) as info:
        client.submit_application(app, str(app["clientApplicationId"]))
    assert info.value.status == 422 and "承诺书" in str(info.value.problem)
    app = fund_withdrawal(client, [{"materialCode": "M0003-03", "submission": "EXEMPT_PROMISE",
                                    "fileIds": ["file_x"]}])
    with pytest.raises(ApiError) as info:
        client.submit_application(app, str(app["clientApplicationId"]))
    assert "NOT_PROMISABLE" in str(info.value.problem)
