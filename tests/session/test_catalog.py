from pathlib import Path

from kiosk.catalog import LEGAL, PERSONAL, Catalog
from tests.session.fixtures import COMPANY, GJJ, catalog


def test_pinyin_initials_find_gongjijin() -> None:
    assert [m.name for m in catalog().search("gjj")] == ["提取住房公积金"]


def test_chinese_text_and_full_pinyin_find_matter() -> None:
    c = catalog()
    assert [m.code for m in c.search("公积金")] == ["TEST-GJJ-001"]
    assert [m.code for m in c.search("gongjijin")] == ["TEST-GJJ-001"]
    assert [m.code for m in c.search("GJJ ")] == ["TEST-GJJ-001"]


def test_search_without_match_is_empty_and_empty_query_lists_all() -> None:
    c = catalog()
    assert c.search("xyzq") == []
    assert len(c.search("")) == 2


def test_polyphone_initials_match_either_reading() -> None:
    c = Catalog([{"implCode": "T-H", "name": "银行账户变更"}])
    assert c.search("yhzh") and c.search("yxzh")


def test_filter_by_category_and_theme() -> None:
    c = catalog()
    assert [m.code for m in c.search(category=LEGAL)] == [COMPANY["implCode"]]
    assert c.themes(PERSONAL) == ["住房"]
    assert [m.code for m in c.search(theme="住房")] == [GJJ["implCode"]]


def test_cache_round_trip_and_unreadable_cache(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "catalog.json"
    Catalog([GJJ], etag='"v1"').save(path)
    loaded = Catalog.load(path)
    assert loaded is not None and loaded.etag == '"v1"'
    assert loaded.get("TEST-GJJ-001") is not None
    path.write_text("{not json", encoding="utf-8")
    assert Catalog.load(path) is None
    assert Catalog.load(tmp_path / "missing.json") is None


def test_materials_and_exemption_flags() -> None:
    m = catalog().get("TEST-GJJ-001")
    assert m is not None
    assert [x.exempt_by_default for x in m.materials] == [True, False, False]
    assert m.promised_days == "3 WORKDAY"
