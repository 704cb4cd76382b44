"""Catalog over real HTTP: search, detail, ETag revalidation, and the seeded content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError
from kiosk.catalog import fetch_catalog
from kiosk.sandbox.catalog import Catalog as SandboxCatalog
from kiosk.sandbox.catalog import generated
from kiosk.sandbox.server import SandboxServer
from kiosk.session.forms import field_specs
from tests.api.conftest import ContractChecker, make_client


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


# -- English catalog text (contract: I18n) and a county-scale catalog --


def _english(obj: dict[str, Any], *keys: str, keyword: str = "i18n") -> dict[str, Any]:
    en = obj[keyword]["en"]
    for key in keys:
        value = en.get(key)
        assert isinstance(value, str) and value.strip(), (key, obj)
        assert not any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
                       for ch in value), (key, value)  # no Chinese in the English
    return dict(en)


def test_every_seeded_matter_is_served_with_english_text(client: ApiClient) -> None:
    listing = client.list_matters(page_size=100).json["items"]
    assert len(listing) == 14
    for summary in listing:
        _english(summary, "name", "categoryName", "theme")
        matter = client.get_matter(summary["implCode"]).json
        en = _english(matter, "name", "categoryName", "theme")
        assert en["name"] == summary["i18n"]["en"]["name"]
        if matter["acceptConditions"]:
            _english(matter, "acceptConditions")
        _english(matter["charge"], "description")
        for dept in matter["departments"]:
            _english(dept, "name")
        for material in matter["materials"]:
            _english(material, "name", *(["usageNote"] if material["usageNote"] else []))
        for key, prop in matter["formSchema"]["properties"].items():
            text = _english(prop, "title", keyword="x-i18n")
            choices = prop if "enum" in prop else prop.get("items") or {}
            if "enum" in choices and "x-enumNames" in choices:
                assert len(text["enumNames"]) == len(choices["enum"]), key
        for sub in (matter["bundle"] or {}).get("subMatters", ()):
            _english(sub, "name", "deptName")


def test_the_kiosk_reads_the_english_the_sandbox_serves(client: ApiClient) -> None:
    catalog = fetch_catalog(client)
    assert catalog is not None and len(catalog) == 14
    gjj = catalog.get("330106SBX0003")
    assert gjj is not None
    assert gjj.name_in("en") == "Withdraw from the housing provident fund"
    text = gjj.text("en")
    assert text.department == "Hangzhou Housing Provident Fund Management Center"
    assert text.conditions.startswith("The contributor qualifies")
    assert gjj.materials[0].name_in("en") == "Applicant's resident ID card"
    reason = next(s for s in field_specs(gjj.form_schema) if s.key == "reason")
    assert reason.title_for("en") == "Reason for withdrawal"
    assert reason.choice_label("RENT", "en") == "Renting"
    assert reason.choice_label("RENT", "zh_CN") == "租房"
    assert catalog.theme_in("社保", "en") == "Social insurance"
    assert [m.code for m in catalog.search("housing fund")] == ["330106SBX0003"]


def test_seeded_to_county_scale_the_catalog_has_unique_codes_and_names(
        tmp_path: Path, checker: ContractChecker) -> None:
    with SandboxServer(tmp_path / "s.db", seed_matters=60, status_step_s=None) as server:
        c = make_client(server.base_url, checker)
        first = c.list_matters(page_size=100).json
        assert first["total"] == 60
        items = first["items"]
        assert len({m["implCode"] for m in items}) == 60
        assert len({m["name"] for m in items}) == 60
        assert len({m["i18n"]["en"]["name"] for m in items}) == 60
        copy = c.get_matter(items[20]["implCode"]).json  # checked against the contract
        original = c.get_matter("330106SBX0007").json
        assert copy["name"].startswith(original["name"] + "（")
        assert copy["formSchema"] == original["formSchema"]
        assert c.list_matters("gjj").json["total"] == len(
            [m for m in items if m["name"].startswith("提取住房公积金")])
        c.close()
    with pytest.raises(ValueError):
        SandboxServer(tmp_path / "t.db", seed_matters=5)


def test_unchanged_matters_are_not_fetched_again(tmp_path: Path,
                                                  checker: ContractChecker) -> None:
    with SandboxServer(tmp_path / "s.db", seed_matters=130, status_step_s=None) as server:
        c = make_client(server.base_url, checker)
        paths: list[str] = []
        c.session.hooks["response"].append(
            lambda resp, *a, **k: paths.append(resp.request.path_url.split("?")[0]))
        cached = fetch_catalog(c)
        assert cached is not None and len(cached) == 130
        # A first load: two pages of summaries, two pages of full matters, nothing else.
        assert [p.rsplit("/", 1)[1] for p in paths] == ["matters"] * 2 + ["matter-details"] * 2
        assert cached.get(generated(130)[99]["implCode"]).form_schema  # type: ignore[union-attr]
        # The platform changes one matter (new version): only that one is asked for.
        matters = generated(130)
        matters[40] = {**matters[40], "version": matters[40]["version"] + "b",
                       "name": "改了名的事项"}
        server.state.catalog = SandboxCatalog(matters)
        paths.clear()
        fresh = fetch_catalog(c, cached)
        assert fresh is not None
        assert [p.rsplit("/", 1)[1] for p in paths if "/matters/" in p] == \
            [matters[40]["implCode"]]
        assert fresh.get(matters[40]["implCode"]).name == "改了名的事项"  # type: ignore[union-attr]
        assert [m.code for m in fresh.all()] == [m["implCode"] for m in matters]
        c.close()


def test_a_platform_without_the_detail_pages_gets_one_request_per_matter(
        tmp_path: Path, checker: ContractChecker) -> None:
    with SandboxServer(tmp_path / "s.db", seed_matters=30, status_step_s=None,
                       faults={"missing": ["/matter-details"]}) as server:
        c = make_client(server.base_url, checker)
        paths: list[str] = []
        c.session.hooks["response"].append(
            lambda resp, *a, **k: paths.append(resp.request.path_url.split("?")[0]))
        catalog = fetch_catalog(c)
        assert catalog is not None and len(catalog) == 30
        assert paths.count("/uap/v1/matter-details") == 1  # asked once, answered 404
        assert len([p for p in paths if "/matters/" in p]) == 30
        assert [m.code for m in catalog.all()] == [m["implCode"] for m in generated(30)]
        c.close()
