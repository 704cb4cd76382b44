"""English catalog text (contract: ``i18n``, ``x-i18n``) and the catalog at county scale: the
search index finds what the per-matter check finds, the cache file keeps matters and pinyin
keys. Over HTTP (the sandbox serving them, unchanged matters not fetched again):
tests/api/test_catalog.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog import Catalog
from kiosk.localized import tags, text_in
from kiosk.sandbox.catalog import generated
from kiosk.session.forms import field_specs
from tests.session.fixtures import COMPANY, GJJ

EN_GJJ: dict[str, Any] = {
    **GJJ,
    "i18n": {"en": {"name": "Withdraw from the housing fund", "theme": "Housing",
                    "categoryName": "For individuals", "keywords": ["provident fund"],
                    "acceptConditions": "Account in good standing"}},
    "acceptConditions": "账户状态正常",
    "departments": [{"deptCode": "D1", "name": "公积金中心", "role": "LEAD",
                     "i18n": {"en": {"name": "Housing Fund Centre"}}},
                    {"deptCode": "D2", "name": "税务局", "role": "PARTICIPANT"}],
    "charge": {"chargeable": False, "description": "不收费"},
    "materials": [
        {"materialCode": "M-ID", "name": "身份证", "required": True, "usageNote": "读卡后免交",
         "exemption": None, "i18n": {"en": {"name": "ID card"}}},
    ],
    "formSchema": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "title": "姓名", "x-i18n": {"en": {"title": "Name"}}},
            "phone": {"type": "string", "title": "手机号"},
            "reason": {"type": "string", "title": "提取原因", "enum": ["BUY", "RENT", "OLD"],
                       "x-enumNames": ["购房", "租房", "退休"],
                       "x-i18n": {"en": {"title": "Reason", "enumNames": ["Buying", "", None]}}},
            "kind": {"type": "string", "title": "类别", "oneOf": [
                {"const": "A", "title": "甲", "x-i18n": {"en": {"title": "Type A"}}},
                {"const": "B", "title": "乙"}]},
        },
    },
}


def test_language_tags_fall_back_from_region_to_language_and_chinese_has_none() -> None:
    assert tags("en") == ("en",)
    assert tags("en_GB") == ("en-GB", "en")
    assert tags("zh_CN") == () and tags("") == ()
    obj = {"name": "名称", "i18n": {"en": {"name": "Name"}, "EN-gb": {"name": "Name (GB)"}}}
    assert text_in(obj, "name", "en_GB") == "Name (GB)"
    assert text_in(obj, "name", "en_US") == "Name"
    assert text_in(obj, "name", "zh_CN") == "名称"
    assert text_in({"name": "名称"}, "name", "en") == "名称"
    assert text_in({"name": "名称", "i18n": {"en": {"name": ""}}}, "name", "en") == "名称"
    assert text_in({"name": "名称", "i18n": "broken"}, "name", "en") == "名称"


def test_matter_text_in_english_and_chinese() -> None:
    m = Catalog([EN_GJJ]).get("TEST-GJJ-001")
    assert m is not None
    assert m.name_in("en") == "Withdraw from the housing fund"
    assert m.name_in("zh_CN") == m.name == "提取住房公积金"
    en = m.text("en")
    assert (en.name, en.theme, en.category_name) == (
        "Withdraw from the housing fund", "Housing", "For individuals")
    assert en.conditions == "Account in good standing"
    assert en.department == "Housing Fund Centre"
    assert en.other_departments == ("税务局",)  # no English: the Chinese
    assert en.charge == "不收费"
    zh = m.text("zh_CN")
    assert (zh.name, zh.conditions, zh.department) == ("提取住房公积金", "账户状态正常", "公积金中心")
    material = m.materials[0]
    assert material.name_in("en") == "ID card" and material.note_in("en") == "读卡后免交"
    assert material.name_in("zh_CN") == "身份证"


def test_matter_without_english_falls_back_to_chinese_everywhere() -> None:
    m = Catalog([COMPANY]).get("TEST-GT-002")
    assert m is not None
    text = m.text("en")
    assert text.name == "个体工商户设立登记" and text.theme == "开办企业"
    assert m.theme_in("en") == "开办企业"
    assert [s.title_for("en") for s in field_specs(m.form_schema)] == ["shopName"]


def test_field_titles_and_choice_labels_in_english_with_fallback() -> None:
    specs = {s.key: s for s in field_specs(EN_GJJ["formSchema"])}
    assert specs["name"].title_for("en") == "Name" and specs["name"].title_for("zh_CN") == "姓名"
    assert specs["phone"].title_for("en") == "手机号"
    reason = specs["reason"]
    assert reason.title_for("en") == "Reason"
    # A missing or empty label stays Chinese; the values never change.
    assert reason.choices_for("en") == (("BUY", "Buying"), ("RENT", "租房"), ("OLD", "退休"))
    assert reason.choices_for("zh_CN") == reason.choices
    assert reason.choice_label("BUY", "en") == "Buying"
    assert reason.choice_label("NONE", "en") == "NONE"
    kind = specs["kind"]
    assert kind.choices_for("en") == (("A", "Type A"), ("B", "乙"))


def test_category_theme_names_in_english() -> None:
    c = Catalog([EN_GJJ, COMPANY])
    assert c.theme_in("住房", "en") == "Housing"
    assert c.theme_in("开办企业", "en") == "开办企业"
    assert c.theme_in("住房", "zh_CN") == "住房"


def test_english_words_find_a_matter() -> None:
    c = Catalog([EN_GJJ, COMPANY])
    assert [m.code for m in c.search("housing")] == ["TEST-GJJ-001"]
    assert [m.code for m in c.search("Provident Fund")] == ["TEST-GJJ-001"]


@pytest.fixture(scope="module")
def county() -> Catalog:
    return Catalog(generated(300)).warm()


def test_index_finds_exactly_what_each_matter_matches(county: Catalog) -> None:
    queries = ["g", "gj", "gjj", "gjjtq", "gongjijin", "sbk", "jzz", "yhzh", "zzq", "xyzq",
               "公积金", "留下", "renewal", "liuxia", "bdc", "a", "cjz", "（", "330106"]
    for q in queries:
        expected = [m.code for m in county.all() if m.matches(q)]
        assert [m.code for m in county.search(q)] == expected, q


def test_index_keeps_order_and_filters(county: Catalog) -> None:
    found = county.search("gjj")
    assert found[0].code == "330106SBX0003" and len(found) > 10
    personal = county.search("gjj", category="PERSONAL", theme="住房")
    assert personal == [m for m in found if m.category == "PERSONAL" and m.theme == "住房"]
    assert county.search(category="CORPORATE") == [
        m for m in county.all() if m.category == "CORPORATE"]


def test_details_are_parsed_again_after_being_let_go(county: Catalog) -> None:
    first = county.all()[0]
    schema = dict(first.form_schema)
    for m in county.all()[:40]:  # more than are kept
        assert m.materials
    assert dict(first.form_schema) == schema


def test_cache_file_keeps_matters_text_and_pinyin_keys(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "catalog.json"
    catalog = Catalog(generated(30), etag='"v2"').warm()
    catalog.save(path)
    keys_file = tmp_path / "cache" / "catalog.keys.json"
    assert keys_file.exists()
    loaded = Catalog.load(path)
    assert loaded is not None and loaded.etag == '"v2"' and len(loaded) == 30
    assert all(m._keys is not None for m in loaded.all())  # no pinyin to compute again
    assert [m.code for m in loaded.search("jzz")] == [m.code for m in catalog.search("jzz")]
    gjj = loaded.get("330106SBX0003")
    assert gjj is not None and gjj.raw == catalog.get("330106SBX0003").raw  # type: ignore[union-attr]
    assert gjj.name_in("en") == "Withdraw from the housing provident fund"


def test_cut_short_or_first_format_cache_file(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    Catalog(generated(20)).save(path)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-3]))
    assert Catalog.load(path) is None
    path.write_text(json.dumps({"etag": '"v1"', "matters": [GJJ]}, ensure_ascii=False),
                    encoding="utf-8")
    old = Catalog.load(path)
    assert old is not None and old.etag == '"v1"' and old.get("TEST-GJJ-001") is not None
