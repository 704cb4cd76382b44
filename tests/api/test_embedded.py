"""Demo mode: the sandbox embedded in the kiosk process, and small pure parts of the server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kiosk.api.client import ApiClient
from kiosk.config import load_settings
from kiosk.sandbox.catalog import Catalog
from kiosk.sandbox.demo_identities import IDENTITIES, valid_resident_id
from kiosk.sandbox.embedded import start_embedded
from kiosk.sandbox.problems import CST
from kiosk.sandbox.progression import next_status, track_for
from kiosk.sandbox.routes_applications import promised_finish
from kiosk.sandbox.server import DEMO_SECRET_FILE


def test_embedded_sandbox_serves_the_kiosks_own_credentials_under_data_dir(
        tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("another-secret-for-this-test\n")
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f"""
[kiosk]
device_id = "TEST-KIOSK-9"
hall_code = "H"
area_code = "330106"
data_dir = "var"
demo = true
[api]
base_url = "embedded"
access_key = "TEST-KIOSK-9"
secret_file = "{secret}"
""", encoding="utf-8")
    settings = load_settings(cfg)
    server = start_embedded(settings)
    try:
        assert server.base_url.startswith("http://127.0.0.1:") and server.base_url.endswith("/uap/v1")
        assert (tmp_path / "var" / "sandbox" / "sandbox.db").is_file()
        with ApiClient.from_settings(settings, base_url=server.base_url) as client:
            assert client.list_matters("居住证").json["total"] == 1
        demo = ApiClient(server.base_url, "DEMO-KIOSK-0001", DEMO_SECRET_FILE.read_bytes().strip())
        assert demo.heartbeat().status == 200  # the demo kiosk's key works too
    finally:
        server.stop()


def test_demo_identities_are_fictitious_yet_valid() -> None:
    assert len(IDENTITIES) >= 4
    for cert_no, person in IDENTITIES.items():
        assert cert_no.startswith("330199") and valid_resident_id(cert_no)
        assert person.name.endswith("测试")
    assert not valid_resident_id("330199198503120014")


def test_catalog_search_needs_every_word_and_knows_initials() -> None:
    catalog = Catalog()
    assert [m["implCode"] for m in catalog.search("住房 公积金")] == ["330106SBX0003"]
    assert catalog.search("住房 驾驶证") == []
    assert {m["implCode"] for m in catalog.search("jzz")} == {"330106SBX0005"}


def test_promised_date_skips_weekends_and_instant_matters_after_hours() -> None:
    friday = dt.datetime(2026, 11, 20, 10, 0, tzinfo=CST).timestamp()
    assert promised_finish(friday, 1).startswith("2026-11-23T17:00")  # Monday
    late = dt.datetime(2026, 11, 20, 18, 30, tzinfo=CST).timestamp()
    assert promised_finish(late, 0) == "2026-11-20T19:30:00+08:00"


def test_one_case_in_four_waits_for_a_supplement() -> None:
    tracks = [track_for(f"id-{i}") for i in range(400)]
    assert 60 < tracks.count("SUPPLEMENT") < 140
    assert next_status("SUPPLEMENT", "ACCEPTED", False) == "SUPPLEMENT_REQUIRED"
    assert next_status("SUPPLEMENT", "SUPPLEMENT_REQUIRED", False) is None
    assert next_status("SUPPLEMENT", "SUPPLEMENT_SUBMITTED", False) == "IN_PROGRESS"
    assert next_status("NORMAL", "FINISHED", True) == "DELIVERED"
    assert next_status("NORMAL", "FINISHED", False) is None


def test_restart_forgets_old_idempotency_keys_and_expired_partial_uploads(
        tmp_path: Path) -> None:
    import time as _time

    from kiosk.sandbox.context import IDEMPOTENCY_RETENTION_S
    from kiosk.sandbox.storage import Storage

    storage = Storage(tmp_path / "s.db")
    now = _time.time()
    with storage.tx() as db:
        db.execute("INSERT INTO idempotency(access_key, idem_key, fingerprint, state, created_at)"
                   " VALUES ('K', 'old', 'f', 'done', ?), ('K', 'new', 'f', 'done', ?)",
                   (now - IDEMPOTENCY_RETENTION_S - 60, now - 60))
        db.execute("INSERT INTO uploads(upload_id, access_key, length, metadata, created_at, "
                   "expires_at) VALUES ('up_old', 'K', 10, '{}', ?, ?)", (now - 90000, now - 3600))
    (storage.partials / "up_old").write_bytes(b"12345")
    assert storage.purge(now, IDEMPOTENCY_RETENTION_S) == (1, 1)
    assert [r["idem_key"] for r in storage.all("SELECT idem_key FROM idempotency")] == ["new"]
    assert not (storage.partials / "up_old").exists()
    storage.close()
