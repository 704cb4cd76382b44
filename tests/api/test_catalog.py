"""Catalog over real HTTP: search, detail, ETag revalidation, and the seeded content."""

from __future__ import annotations

import jsonschema
import pytest

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError


def test_search_by_pinyin_initials_finds_the_housing_fund(client: ApiClient) -> None:
    resp = client.list_matters("gjj")
    names = [m["name"] for m in resp.json["items"]]
    assert names == ["提取住房公积金"]


def test_catalog_has_personal_and_corporate_matters_named_in_the_issue(client: ApiClient) -> None:
    items = client.list_matters(page_size=100).json["items"]
    assert len(items) >= 12
    names = " ".join(m["name"] for m in items)
    for wanted in ("二手房", "新生儿出生", "提取住房公积金", "个体工商户设立登记", "居住证申领"):
        assert wanted in names
    assert {m["category"] for m in items} == {"PERSONAL", "CORPORATE"}
    corporate = client.list_matters(category="CORPORATE").json
    assert corporate["total"] >= 2 and all(m["category"] == "CORPORATE" for m in corporate["items"])


def test_every_matter_has_materials_exemptions_and_a_valid_example_form(client: ApiClient) -> None:
    exempt_kinds = set()
    for summary in client.list_matters(page_size=100).json["items"]:
        matter = client.get_matter(summary["implCode"]).json
        assert matter["materials"], matter["name"]
        for material in matter["materials"]:
            ex = material["exemption"]
            if ex:
                exempt_kinds |= {k for k in ("byLicence", "byDataSharing") if ex[k]}
        jsonschema.Draft202012Validator.check_schema(matter["formSchema"])
        schema = dict(matter["formSchema"])
        examples = schema.pop("examples")
        assert examples
        for form in examples:
            jsonschema.Draft202012Validator(
                schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
            ).validate(form)
        assert matter["promisedDays"] >= 0
    assert exempt_kinds == {"byLicence", "byDataSharing"}


def test_second_hand_house_transfer_names_three_departments_and_a_lead(client: ApiClient) -> None:
    code = client.list_matters("二手房").json["items"][0]["implCode"]
    depts = client.get_matter(code).json["departments"]
    assert len(depts) == 3
    assert [d["role"] for d in depts].count("LEAD") == 1


def test_newborn_bundle_lists_its_sub_matters(client: ApiClient) -> None:
    code = client.list_matters("新生儿").json["items"][0]["implCode"]
    bundle = client.get_matter(code).json["bundle"]
    assert bundle and len(bundle["subMatters"]) >= 3 and bundle["leadDeptCode"]


def test_unchanged_matter_revalidates_with_304(client: ApiClient) -> None:
    first = client.get_matter("330106SBX0005")
    assert first.etag
    again = client.get_matter("330106SBX0005", etag=first.etag)
    assert again.status == 304 and again.json is None
    listing = client.list_matters("居住证")
    assert client.list_matters("居住证", etag=listing.etag).status == 304


def test_unknown_matter_is_a_non_retryable_404(client: ApiClient) -> None:
    with pytest.raises(ApiError) as info:
        client.get_matter("NO-SUCH-CODE")
    assert info.value.status == 404 and info.value.code == "MATTER_NOT_FOUND"
    assert not info.value.retryable
