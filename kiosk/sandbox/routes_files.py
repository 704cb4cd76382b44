"""Material files: tus 1.0.0 resumable uploads (core + creation + checksum + expiration +
termination) and small files in one POST. Files are content-addressed: the same sha256 for
the same application (and kiosk) is always the same ``fileId``.

A PATCH whose connection breaks is discarded whole: its Content-Digest (which the signature
covers) cannot be checked on part of a body, so the offset stays at the last complete chunk.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, g, request

from kiosk.sandbox.context import PREFIX, SMALL_FILE_MAX, TUS_MAX_SIZE, UPLOAD_LIFETIME_S, sandbox
from kiosk.sandbox.idempotency import idempotent
from kiosk.sandbox.problems import Problem, http_date, json_response, rfc3339

bp = Blueprint("files", __name__)

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,checksum,expiration,termination"
CHECKSUMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
MEDIA_TYPES = ("image/jpeg", "image/png", "application/pdf", "application/ofd")
HEX = set("0123456789abcdef")


def file_id_for(access_key: str, client_application_id: str | None, sha256: str) -> str:
    raw = f"{access_key}\n{client_application_id or ''}\n{sha256}".encode()
    return "f_" + hashlib.sha256(raw).hexdigest()[:24]


def _tus(resp: Response) -> Response:
    resp.headers["Tus-Resumable"] = TUS_VERSION
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _bad(code: str, detail: str, status: int = 400) -> Problem:
    return Problem(status, code, "upload request not valid", detail, retryable=False,
                   headers={"Tus-Resumable": TUS_VERSION})


def _check_sha256(value: str | None, where: str) -> str:
    if not value or len(value) != 64 or not set(value.lower()) <= HEX:
        raise _bad("VALIDATION_FAILED", f"{where}: sha256 must be 64 hex characters", 422)
    return value.lower()


def _check_media_type(value: str | None) -> str:
    value = (value or "").split(";")[0].strip().lower()
    if value not in MEDIA_TYPES:
        raise _bad("FILE_TYPE_NOT_ACCEPTED",
                   f"media type must be one of {', '.join(MEDIA_TYPES)}", 415)
    return value


def parse_metadata(raw: str) -> dict[str, str]:
    """tus ``Upload-Metadata``: ``key base64value`` pairs separated by commas."""
    out: dict[str, str] = {}
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        key, _, value = part.partition(" ")
        try:
            out[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise _bad("VALIDATION_FAILED", f"Upload-Metadata value of {key!r} is not base64 "
                       "of UTF-8 text") from None
    return out


def _store_file(access_key: str, meta: dict[str, Any], source: Path | bytes) -> str:
    """Moves verified bytes into the blob store and records the file; returns its id."""
    st = sandbox()
    sha = meta["sha256"]
    blob = st.storage.blobs / sha
    if isinstance(source, bytes):
        if not blob.exists():
            tmp = blob.with_suffix(".tmp" + secrets.token_hex(4))
            tmp.write_bytes(source)
            os.replace(tmp, blob)
        size = len(source)
    else:
        size = source.stat().st_size
        if blob.exists():
            source.unlink()
        else:
            os.replace(source, blob)
    file_id = file_id_for(access_key, meta.get("clientApplicationId"), sha)
    with st.storage.tx() as db:
        db.execute("INSERT OR IGNORE INTO files(file_id, access_key, sha256, bytes, media_type, "
                   "filename, material_code, client_application_id, created_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?)",
                   (file_id, access_key, sha, size, meta.get("mediaType"), meta.get("filename"),
                    meta.get("materialCode"), meta.get("clientApplicationId"), st.now()))
    return file_id


@bp.route("/uploads", methods=["OPTIONS"])
def tus_options() -> Response:
    resp = Response(status=204)
    resp.headers["Tus-Version"] = TUS_VERSION
    resp.headers["Tus-Extension"] = TUS_EXTENSIONS
    resp.headers["Tus-Max-Size"] = str(TUS_MAX_SIZE)
    resp.headers["Tus-Checksum-Algorithm"] = ",".join(CHECKSUMS)
    return _tus(resp)


def byte_count(raw: str) -> int | None:
    """A header's byte count: ASCII digits only (``str.isdigit`` also takes "²" and "٣",
    which ``int`` then refuses), at most 18 of them."""
    if not raw or len(raw) > 18 or not raw.isascii() or not raw.isdigit():
        return None
    return int(raw)


@bp.post("/uploads")
@idempotent()
def create_upload() -> Response:
    st = sandbox()
    length_raw = request.headers.get("Upload-Length", "")
    if request.headers.get("Upload-Defer-Length"):
        raise _bad("UPLOAD_LENGTH_REQUIRED", "Upload-Defer-Length is not supported")
    length_value = byte_count(length_raw)
    if length_value is None:
        raise _bad("UPLOAD_LENGTH_REQUIRED", "Upload-Length must be the file size in bytes")
    length = length_value
    if length > TUS_MAX_SIZE:
        raise _bad("FILE_TOO_LARGE", f"at most {TUS_MAX_SIZE} bytes (Tus-Max-Size)", 413)
    if length == 0:
        raise _bad("VALIDATION_FAILED", "an empty file is not a material", 422)
    meta = parse_metadata(request.headers.get("Upload-Metadata", ""))
    for key in ("filename", "mediaType", "sha256"):
        if not meta.get(key):
            raise _bad("VALIDATION_FAILED", f"Upload-Metadata must carry {key}", 422)
    meta["sha256"] = _check_sha256(meta["sha256"], "Upload-Metadata")
    meta["mediaType"] = _check_media_type(meta["mediaType"])
    upload_id = "up_" + secrets.token_hex(12)
    now = st.now()
    (st.storage.partials / upload_id).write_bytes(b"")
    with st.storage.tx() as db:
        db.execute("INSERT INTO uploads(upload_id, access_key, length, metadata, created_at, "
                   "expires_at) VALUES (?,?,?,?,?,?)",
                   (upload_id, g.access_key, length, json.dumps(meta), now,
                    now + UPLOAD_LIFETIME_S))
    resp = Response(status=201)
    resp.headers["Location"] = f"{PREFIX}/uploads/{upload_id}"
    resp.headers["Upload-Expires"] = http_date(now + UPLOAD_LIFETIME_S)
    resp.headers["Upload-Offset"] = "0"
    return _tus(resp)


def _upload(upload_id: str) -> Any:
    st = sandbox()
    row = st.storage.one("SELECT * FROM uploads WHERE upload_id = ?", upload_id)
    if row is None or row["access_key"] != g.access_key:
        raise Problem(404, "UPLOAD_NOT_FOUND", "no such upload", "create the upload again",
                      retryable=False, headers={"Tus-Resumable": TUS_VERSION})
    if row["file_id"] is None and row["expires_at"] < st.now():
        raise Problem(410, "UPLOAD_EXPIRED", "upload expired",
                      "the upload expired before it was completed; create it again",
                      retryable=False, headers={"Tus-Resumable": TUS_VERSION})
    return row


def _state_headers(resp: Response, row: Any) -> Response:
    resp.headers["Upload-Offset"] = str(row["offset"])
    resp.headers["Upload-Length"] = str(row["length"])
    resp.headers["Upload-Expires"] = http_date(row["expires_at"])
    if row["file_id"]:
        resp.headers["Upload-File-Id"] = row["file_id"]
    return _tus(resp)


@bp.route("/uploads/<upload_id>", methods=["HEAD"])
def head_upload(upload_id: str) -> Response:
    return _state_headers(Response(status=200), _upload(upload_id))


@bp.get("/uploads/<upload_id>")
def get_upload(upload_id: str) -> Response:
    row = _upload(upload_id)
    meta = json.loads(row["metadata"])
    body = {"uploadId": upload_id, "offset": row["offset"], "length": row["length"],
            "complete": row["file_id"] is not None, "fileId": row["file_id"],
            "sha256": meta["sha256"], "expiresAt": rfc3339(row["expires_at"])}
    return _state_headers(json_response(body), row)


@bp.patch("/uploads/<upload_id>")
def patch_upload(upload_id: str) -> Response:
    st = sandbox()
    row = _upload(upload_id)
    ctype = request.headers.get("Content-Type", "")
    if ctype.split(";")[0].strip().lower() != "application/offset+octet-stream":
        raise _bad("UNSUPPORTED_MEDIA_TYPE",
                   "PATCH needs Content-Type: application/offset+octet-stream", 415)
    offset_raw = request.headers.get("Upload-Offset", "")
    if byte_count(offset_raw) is None:
        raise _bad("VALIDATION_FAILED", "Upload-Offset must be a byte offset")
    chunk = request.get_data(cache=True)
    if row["file_id"] is not None:
        if int(offset_raw) == row["length"] and not chunk:
            return _state_headers(Response(status=204), row)
        raise Problem(409, "UPLOAD_OFFSET_MISMATCH", "upload already complete",
                      f"the upload is complete at {row['length']} bytes", retryable=False,
                      headers={"Tus-Resumable": TUS_VERSION, "Upload-Offset": str(row["offset"])})
    if int(offset_raw) != row["offset"]:
        raise Problem(409, "UPLOAD_OFFSET_MISMATCH", "Upload-Offset does not match",
                      f"the server has {row['offset']} bytes; HEAD the upload and resume there",
                      retryable=False,
                      headers={"Tus-Resumable": TUS_VERSION, "Upload-Offset": str(row["offset"])})
    if row["offset"] + len(chunk) > row["length"]:
        raise _bad("UPLOAD_TOO_LONG", "the chunk goes past Upload-Length", 413)
    checksum = request.headers.get("Upload-Checksum")
    if checksum:
        algo, _, value = checksum.strip().partition(" ")
        if algo.lower() not in CHECKSUMS:
            raise _bad("CHECKSUM_ALGORITHM_UNSUPPORTED", "Upload-Checksum: sha1 or sha256")
        expected = base64.b64encode(CHECKSUMS[algo.lower()](chunk).digest()).decode()
        if value.strip() != expected:
            raise Problem(460, "CHECKSUM_MISMATCH", "chunk checksum mismatch",
                          "the chunk was damaged on the way; send it again", retryable=True,
                          headers={"Tus-Resumable": TUS_VERSION})
    part = st.storage.partials / upload_id
    with part.open("ab") as fh:
        fh.truncate(row["offset"])  # a chunk discarded earlier must not leave bytes behind
        fh.write(chunk)
        fh.flush()
        os.fsync(fh.fileno())
    new_offset = row["offset"] + len(chunk)
    with st.storage.tx() as db:
        db.execute('UPDATE uploads SET "offset" = ? WHERE upload_id = ?', (new_offset, upload_id))
    if new_offset == row["length"]:
        meta = json.loads(row["metadata"])
        digest = hashlib.sha256()
        with part.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != meta["sha256"]:
            part.unlink(missing_ok=True)
            with st.storage.tx() as db:
                db.execute("DELETE FROM uploads WHERE upload_id = ?", (upload_id,))
            raise Problem(422, "FILE_CHECKSUM_MISMATCH", "file does not match its sha256",
                          "the completed file's SHA-256 differs from Upload-Metadata sha256; "
                          "the upload was discarded", retryable=False,
                          headers={"Tus-Resumable": TUS_VERSION})
        file_id = _store_file(g.access_key, meta, part)
        with st.storage.tx() as db:
            db.execute("UPDATE uploads SET file_id = ? WHERE upload_id = ?", (file_id, upload_id))
    row = _upload(upload_id)
    return _state_headers(Response(status=204), row)


@bp.delete("/uploads/<upload_id>")
def delete_upload(upload_id: str) -> Response:
    st = sandbox()
    _upload(upload_id)
    (st.storage.partials / upload_id).unlink(missing_ok=True)
    with st.storage.tx() as db:
        db.execute("DELETE FROM uploads WHERE upload_id = ?", (upload_id,))
    return _tus(Response(status=204))


@bp.post("/files")
@idempotent()
def post_file() -> Response:
    """Small file (≤ 1 MiB) in one request: raw bytes, metadata in the query."""
    data = request.get_data(cache=True)
    if len(data) > SMALL_FILE_MAX:
        raise Problem(413, "FILE_TOO_LARGE", "file too large for POST /files",
                      f"at most {SMALL_FILE_MAX} bytes here; use POST /uploads", retryable=False)
    if not data:
        raise Problem(422, "VALIDATION_FAILED", "empty file", "an empty file is not a material",
                      retryable=False)
    filename = request.args.get("filename", "").strip()
    if not filename or len(filename) > 200:
        raise Problem(422, "VALIDATION_FAILED", "filename required",
                      "query parameter filename (1-200 characters) is required", retryable=False)
    meta = {"filename": filename, "sha256": _check_sha256(request.args.get("sha256"), "query"),
            "mediaType": _check_media_type(request.headers.get("Content-Type")),
            "materialCode": request.args.get("materialCode"),
            "clientApplicationId": request.args.get("clientApplicationId")}
    if hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise Problem(422, "FILE_CHECKSUM_MISMATCH", "file does not match its sha256",
                      "the body's SHA-256 differs from the sha256 parameter", retryable=False)
    file_id = _store_file(g.access_key, meta, data)
    return json_response({"fileId": file_id, "sha256": meta["sha256"], "bytes": len(data),
                          "mediaType": meta["mediaType"], "filename": filename}, 201)


def file_row(file_id: str) -> Any:
    return sandbox().storage.one("SELECT * FROM files WHERE file_id = ?", file_id)
