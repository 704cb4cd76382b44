"""Request signing of the kiosk ↔ gateway API (docs/api/README.md has a worked example).

The rule, exactly (so that clients in other languages interoperate)::

    X-Signature = base64(HMAC-SHA256(secret,
        METHOD + "\\n" + PATH + "\\n" + CANONICAL_QUERY + "\\n" + ACCESS_KEY + "\\n"
        + DATE + "\\n" + NONCE + "\\n" + CONTENT_DIGEST + "\\n"))

- METHOD: upper case (``GET``, ``POST`` …).
- PATH: the request path as sent on the wire, including the ``/uap/v1`` prefix, without the
  query (``/uap/v1/matters/11330106MB0000001X0001``).
- CANONICAL_QUERY: every query pair percent-encoded (RFC 3986 unreserved characters kept,
  space as ``%20``), sorted by key then value, joined with ``&``; empty when there is none.
- DATE: the ``X-Date`` header, RFC 1123 GMT (``Sun, 22 Nov 2026 02:00:00 GMT``).
- NONCE: the ``X-Nonce`` header, at least 16 random bytes in lower-case hex.
- CONTENT_DIGEST: the ``Content-Digest`` header, ``sha-256=:<base64>:`` (RFC 9530) over the
  exact body bytes; the digest of the empty body when there is none.

Everything here is a pure function; the nonce memory of the server is passed in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Protocol
from urllib.parse import parse_qsl, quote

ALGORITHM = "hmac-sha256"
MAX_SKEW_S = 90.0
NONCE_TTL_S = 300.0

H_ACCESS_KEY = "X-Access-Key"
H_DATE = "X-Date"
H_NONCE = "X-Nonce"
H_DIGEST = "Content-Digest"
H_ALGORITHM = "X-Signature-Algorithm"
H_SIGNATURE = "X-Signature"
SIGNED_HEADERS = (H_ACCESS_KEY, H_DATE, H_NONCE, H_DIGEST, H_ALGORITHM, H_SIGNATURE)

# Problem codes of a rejected signature (401); kiosk.api.errors maps them to exception classes.
AUTH_MISSING_HEADER = "AUTH_MISSING_HEADER"
AUTH_UNKNOWN_ACCESS_KEY = "AUTH_UNKNOWN_ACCESS_KEY"
AUTH_UNSUPPORTED_ALGORITHM = "AUTH_UNSUPPORTED_ALGORITHM"
AUTH_BAD_DATE = "AUTH_BAD_DATE"
AUTH_CLOCK_SKEW = "AUTH_CLOCK_SKEW"
AUTH_BAD_NONCE = "AUTH_BAD_NONCE"
AUTH_DIGEST_MISMATCH = "AUTH_DIGEST_MISMATCH"
AUTH_INVALID_SIGNATURE = "AUTH_INVALID_SIGNATURE"
AUTH_REPLAY = "AUTH_REPLAY"

class HeaderLookup(Protocol):
    """Case-insensitive header access (werkzeug ``Headers``, requests' ``CaseInsensitiveDict``)."""

    def get(self, key: str, /) -> str | None: ...


QueryInput = str | Mapping[str, object] | Iterable[tuple[str, object]] | None


def _pairs(query: QueryInput) -> list[tuple[str, str]]:
    if query is None:
        return []
    if isinstance(query, str):
        # A raw query string as received: decode first ('+' is a space, as forms encode it).
        return parse_qsl(query.lstrip("?"), keep_blank_values=True)
    items = query.items() if isinstance(query, Mapping) else query
    out: list[tuple[str, str]] = []
    for key, value in items:
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            out.append((str(key), _text(v)))
    return out


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _enc(text: str) -> str:
    return quote(text, safe="-_.~")


def canonical_query(query: QueryInput) -> str:
    """``{"q": "公积金", "page": 1}`` → ``page=1&q=%E5%85%AC%E7%A7%AF%E9%87%91``.

    Accepts a raw query string (as a server receives it), a mapping (list values repeat the
    key) or a list of pairs. ``None`` values are dropped, as ``requests`` drops them."""
    encoded = sorted((_enc(k), _enc(v)) for k, v in _pairs(query))
    return "&".join(f"{k}={v}" for k, v in encoded)


def content_digest(body: bytes | None) -> str:
    """RFC 9530 ``Content-Digest`` value: ``sha-256=:<base64 of SHA-256(body)>:``."""
    digest = hashlib.sha256(body or b"").digest()
    return "sha-256=:" + base64.b64encode(digest).decode("ascii") + ":"


def string_to_sign(method: str, path: str, query: QueryInput, access_key: str, date: str,
                   nonce: str, digest: str) -> str:
    """The exact text that is HMAC'ed (every line ends with ``\\n``, the last one too)."""
    return "".join(part + "\n" for part in (
        method.upper(), path, canonical_query(query), access_key, date, nonce, digest))


def signature(secret: bytes, text: str) -> str:
    mac = hmac.new(secret, text.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(mac).decode("ascii")


def http_date(when: datetime | float | None = None) -> str:
    """RFC 1123 GMT date (``Sun, 22 Nov 2026 02:00:00 GMT``); now when ``None``."""
    if when is None:
        when = datetime.now(UTC)
    elif isinstance(when, int | float):
        when = datetime.fromtimestamp(when, UTC)
    return format_datetime(when.astimezone(UTC), usegmt=True)


def new_nonce() -> str:
    return secrets.token_hex(16)


def sign_headers(method: str, path: str, query: QueryInput, body: bytes | None,
                 access_key: str, secret: bytes, *, date: str | None = None,
                 nonce: str | None = None) -> dict[str, str]:
    """The six authentication headers for one request, signed now (or at ``date``)."""
    date = date or http_date()
    nonce = nonce or new_nonce()
    digest = content_digest(body)
    text = string_to_sign(method, path, query, access_key, date, nonce, digest)
    return {
        H_ACCESS_KEY: access_key,
        H_DATE: date,
        H_NONCE: nonce,
        H_DIGEST: digest,
        H_ALGORITHM: ALGORITHM,
        H_SIGNATURE: signature(secret, text),
    }


@dataclass(frozen=True)
class Verification:
    """Outcome of ``verify``: ``code`` is None when the request is authentic."""

    code: str | None
    detail: str = ""
    access_key: str | None = None
    skew_s: float | None = None  # server time minus X-Date, when the date could be read

    @property
    def ok(self) -> bool:
        return self.code is None


def _fail(code: str, detail: str, access_key: str | None = None,
          skew: float | None = None) -> Verification:
    return Verification(code, detail, access_key, skew)


def verify(method: str, path: str, query: QueryInput, body: bytes | None,
           headers: HeaderLookup, lookup_secret: Callable[[str], bytes | None], *,
           now: datetime | None = None, max_skew_s: float = MAX_SKEW_S,
           remember_nonce: Callable[[str, str], bool] | None = None) -> Verification:
    """Checks one received request; the order makes cheap, secret-free checks first.

    ``headers`` must be case-insensitive (werkzeug's and requests' are). ``remember_nonce``
    (access key, nonce) → True when the nonce is new; it is called only for requests whose
    signature is valid, so forged requests cannot burn nonces."""
    values = {}
    for name in SIGNED_HEADERS:
        value = headers.get(name)
        if not value:
            return _fail(AUTH_MISSING_HEADER, f"header {name} is required")
        values[name] = value.strip()
    access_key = values[H_ACCESS_KEY]
    if values[H_ALGORITHM].lower() != ALGORITHM:
        return _fail(AUTH_UNSUPPORTED_ALGORITHM,
                     f"{H_ALGORITHM} must be {ALGORITHM}", access_key)
    try:
        sent = parsedate_to_datetime(values[H_DATE])
    except (TypeError, ValueError, IndexError):
        sent = None
    if sent is None or sent.tzinfo is None or not values[H_DATE].endswith("GMT"):
        return _fail(AUTH_BAD_DATE, f"{H_DATE} must be an RFC 1123 GMT date", access_key)
    now = now or datetime.now(UTC)
    skew = (now - sent).total_seconds()
    if abs(skew) > max_skew_s:
        return _fail(AUTH_CLOCK_SKEW,
                     f"{H_DATE} is {skew:+.0f} s off the server clock (allowed ±{max_skew_s:.0f} s)",
                     access_key, skew)
    nonce = values[H_NONCE]
    if len(nonce) < 32 or any(c not in "0123456789abcdef" for c in nonce.lower()):
        return _fail(AUTH_BAD_NONCE, f"{H_NONCE} must be at least 16 random bytes in hex",
                     access_key, skew)
    secret = lookup_secret(access_key)
    if secret is None:
        return _fail(AUTH_UNKNOWN_ACCESS_KEY, "unknown access key", access_key, skew)
    if not hmac.compare_digest(values[H_DIGEST], content_digest(body)):
        return _fail(AUTH_DIGEST_MISMATCH, "Content-Digest does not match the body",
                     access_key, skew)
    expected = signature(secret, string_to_sign(method, path, query, access_key,
                                                values[H_DATE], nonce, values[H_DIGEST]))
    if not hmac.compare_digest(values[H_SIGNATURE], expected):
        return _fail(AUTH_INVALID_SIGNATURE, "signature does not match", access_key, skew)
    if remember_nonce is not None and not remember_nonce(access_key, nonce.lower()):
        return _fail(AUTH_REPLAY, "nonce already used within 5 minutes", access_key, skew)
    return Verification(None, "", access_key, skew)
