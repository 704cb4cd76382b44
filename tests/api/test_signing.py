"""The signing rule, checked against an independent computation and the verifier's refusals."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from datetime import UTC, datetime, timedelta

from kiosk.api import signing
from kiosk.api.uuid7 import uuid7, uuid7_time_ms

SECRET = b"test-secret-not-for-production"


def _lookup(key: str) -> bytes | None:
    return SECRET if key == "TEST-KIOSK" else None


def test_signature_matches_independent_hmac_over_the_documented_string() -> None:
    body = b'{"a":1}'
    h = signing.sign_headers("post", "/uap/v1/applications", {"b": "2", "a": "x y"}, body,
                             "TEST-KIOSK", SECRET, date="Sun, 22 Nov 2026 02:00:00 GMT",
                             nonce="00112233445566778899aabbccddeeff")
    digest = "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"
    text = ("POST\n/uap/v1/applications\na=x%20y&b=2\nTEST-KIOSK\n"
            "Sun, 22 Nov 2026 02:00:00 GMT\n00112233445566778899aabbccddeeff\n" + digest + "\n")
    expected = base64.b64encode(hmac.new(SECRET, text.encode(), hashlib.sha256).digest()).decode()
    assert h["Content-Digest"] == digest
    assert h["X-Signature"] == expected
    assert h["X-Signature-Algorithm"] == "hmac-sha256"


def test_empty_body_digest_is_sha256_of_nothing() -> None:
    assert signing.content_digest(b"") == "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"
    assert signing.content_digest(None) == signing.content_digest(b"")


def test_canonical_query_sorts_encodes_and_treats_plus_as_space_in_raw_strings() -> None:
    assert signing.canonical_query(None) == ""
    assert signing.canonical_query({}) == ""
    assert signing.canonical_query({"q": "公积金", "page": 2}) == "page=2&q=%E5%85%AC%E7%A7%AF%E9%87%91"
    assert signing.canonical_query("q=a+b&k=1&k=0") == "k=0&k=1&q=a%20b"
    assert signing.canonical_query({"k": ["1", "0"], "none": None}) == "k=0&k=1"
    assert signing.canonical_query("x=~-._%2F") == "x=~-._%2F"


def _signed(**kw: object) -> dict[str, str]:
    args: dict = dict(method="POST", path="/uap/v1/x", query=None, body=b"hello",
                      access_key="TEST-KIOSK", secret=SECRET)
    args.update(kw)
    return signing.sign_headers(args["method"], args["path"], args["query"], args["body"],
                                args["access_key"], args["secret"],
                                date=args.get("date"), nonce=args.get("nonce"))


def _verify(headers: dict[str, str], body: bytes = b"hello", path: str = "/uap/v1/x",
            **kw: object) -> signing.Verification:
    return signing.verify("POST", path, "", body, headers, _lookup, **kw)  # type: ignore[arg-type]


def test_authentic_request_verifies() -> None:
    assert _verify(_signed()).ok


def test_body_changed_after_signing_is_a_digest_mismatch() -> None:
    assert _verify(_signed(), body=b"hellO").code == signing.AUTH_DIGEST_MISMATCH


def test_path_changed_after_signing_is_an_invalid_signature() -> None:
    assert _verify(_signed(), path="/uap/v1/y").code == signing.AUTH_INVALID_SIGNATURE


def test_wrong_secret_is_an_invalid_signature() -> None:
    assert _verify(_signed(secret=b"other")).code == signing.AUTH_INVALID_SIGNATURE


def test_unknown_access_key_is_refused() -> None:
    assert _verify(_signed(access_key="NOBODY")).code == signing.AUTH_UNKNOWN_ACCESS_KEY


def test_date_91_seconds_old_is_clock_skew_and_89_is_fine() -> None:
    now = datetime.now(UTC)
    old = signing.http_date(now - timedelta(seconds=91))
    v = _verify(_signed(date=old), now=now)
    assert v.code == signing.AUTH_CLOCK_SKEW and v.skew_s is not None and v.skew_s > 90
    assert _verify(_signed(date=signing.http_date(now - timedelta(seconds=89))), now=now).ok
    ahead = signing.http_date(now + timedelta(seconds=120))
    assert _verify(_signed(date=ahead), now=now).code == signing.AUTH_CLOCK_SKEW


def test_missing_header_and_bad_nonce_and_bad_date_are_named() -> None:
    h = _signed()
    del h["X-Nonce"]
    assert _verify(h).code == signing.AUTH_MISSING_HEADER
    assert _verify(_signed(nonce="abc")).code == signing.AUTH_BAD_NONCE
    assert _verify(_signed(date="2026-11-22T02:00:00Z")).code == signing.AUTH_BAD_DATE


def test_nonce_seen_twice_is_a_replay_but_forgeries_do_not_burn_nonces() -> None:
    seen: set[tuple[str, str]] = set()

    def remember(key: str, nonce: str) -> bool:
        if (key, nonce) in seen:
            return False
        seen.add((key, nonce))
        return True

    h = _signed()
    forged = dict(h, **{"X-Signature": "AAAA"})
    assert _verify(forged, remember_nonce=remember).code == signing.AUTH_INVALID_SIGNATURE
    assert _verify(h, remember_nonce=remember).ok
    assert _verify(h, remember_nonce=remember).code == signing.AUTH_REPLAY


def test_uuid7_is_version_7_time_ordered_and_carries_the_time() -> None:
    ids = [uuid7() for _ in range(2000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    u = uuid.UUID(ids[0])
    assert u.version == 7 and u.variant == uuid.RFC_4122
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    assert abs(uuid7_time_ms(ids[0]) - now_ms) < 5000


def test_worked_examples_of_the_api_readme_hold() -> None:
    secret = b"example-secret-do-not-use"
    date = "Sun, 22 Nov 2026 02:00:00 GMT"
    get = signing.sign_headers("GET", "/uap/v1/matters", {"q": "公积金", "page": 1}, b"",
                               "DEMO-KIOSK-0001", secret, date=date,
                               nonce="5f2b8c1e9a7d4e3f8b6a0c1d2e3f4a5b")
    assert get["X-Signature"] == "+xqJ+FnCwUw7WQWRWeTDQURf0dDu79QYAG77EvKkZzg="
    body = b'{"sentAt":"2026-11-22T10:00:00+08:00","appVersion":"0.1.0"}'
    post = signing.sign_headers("POST", "/uap/v1/devices/DEMO-KIOSK-0001/heartbeat", None, body,
                                "DEMO-KIOSK-0001", secret, date=date,
                                nonce="0a1b2c3d4e5f60718293a4b5c6d7e8f9")
    assert post["Content-Digest"] == "sha-256=:DXixX7JPMluWKfDTSOp6xSsKazMtKqgZsxVTeiT+hxM=:"
    assert post["X-Signature"] == "8JdtmZuZw7wHXkk1dqccJcxdqCj5K9oZ8UoC/0xrOxM="
