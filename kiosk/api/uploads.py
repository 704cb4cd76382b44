"""Material file uploads: tus 1.0.0 (creation + checksum) that resumes from the server's
``Upload-Offset`` after a broken connection, and ``POST /files`` for small files.

Why not the ``tuspy`` package (listed in pyproject): it calls ``requests.post/head/patch``
at module level with a fixed header dict, so it cannot sign each request (our signature
covers a fresh date, nonce and the Content-Digest of each chunk), does not use our session
(timeouts, TLS bundle, client certificate) and has no Idempotency-Key on creation. The tus
core needed here is three requests; it lives in this module on top of ``ApiClient.request``.

Resuming: the creation's Idempotency-Key is derived from the file and its metadata, so
calling ``upload`` again for the same file (after a crash, a reboot, a dead network) finds
the same upload and continues where the server stopped instead of sending everything again.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import secrets
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from urllib.parse import urlsplit

from kiosk.api import errors

log = logging.getLogger("kiosk.api.uploads")


class _Answer(Protocol):
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def json(self) -> Any: ...


class UploadClient(Protocol):
    """What an upload needs of ``kiosk.api.client.ApiClient``. The client calls this module
    (``ApiClient.upload``); this module does not import the client back."""

    base_path: str
    chunk_size: int
    upload_backoff_s: tuple[float, ...] | None

    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                json: Any = None, body: bytes | None = None,
                headers: Mapping[str, str] | None = None, idempotency_key: str | None = None,
                schema: str | None = None, retry_safe: bool | None = None) -> _Answer: ...

TUS = {"Tus-Resumable": "1.0.0"}
SMALL_FILE_MAX = 1024 * 1024
MAX_STALLED_ATTEMPTS = 6  # failures in a row without progress before giving up
BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 4.0, 8.0)

Progress = Callable[[int, int], None]


def _open(source: bytes | str | Path | BinaryIO) -> tuple[BinaryIO, int, bool]:
    """(stream, size, owned) for bytes, a path or a seekable binary stream."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return io.BytesIO(data), len(data), True
    if isinstance(source, str | Path):
        fh = open(source, "rb")  # noqa: SIM115 - closed by the caller through `owned`
        return fh, os.fstat(fh.fileno()).st_size, True
    source.seek(0, os.SEEK_END)
    size = source.tell()
    source.seek(0)
    return source, size, False


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def upload_key(sha256: str, size: int, filename: str, content_type: str,
               material_code: str | None, client_application_id: str | None) -> str:
    """The deterministic Idempotency-Key of an upload's creation (same file → same upload)."""
    raw = "\n".join([sha256, str(size), filename, content_type, material_code or "",
                     client_application_id or ""])
    return "up-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:48]


def upload(client: UploadClient, source: bytes | str | Path | BinaryIO, *, sha256: str,
           filename: str, content_type: str, on_progress: Progress | None = None,
           material_code: str | None = None, client_application_id: str | None = None,
           idempotency_key: str | None = None, small_file_max: int | None = None) -> str:
    """Uploads one file and returns its ``fileId``. ``sha256`` (hex) is the whole file's
    digest, verified by the server. ``on_progress(sent, total)`` is called after each chunk.
    Raises ``ApiError``: ``NetworkError`` after several stalled attempts (call again later:
    the upload resumes), or a non-retryable error (e.g. ``FILE_CHECKSUM_MISMATCH``)."""
    sha256 = sha256.lower()
    stream, size, owned = _open(source)
    try:
        limit = SMALL_FILE_MAX if small_file_max is None else small_file_max
        key = idempotency_key or upload_key(sha256, size, filename, content_type,
                                            material_code, client_application_id)
        if size <= limit:
            return _small(client, stream, size, sha256=sha256, filename=filename,
                          content_type=content_type, material_code=material_code,
                          client_application_id=client_application_id, key=key,
                          on_progress=on_progress)
        return _tus(client, stream, size, sha256=sha256, filename=filename,
                    content_type=content_type, material_code=material_code,
                    client_application_id=client_application_id, key=key,
                    on_progress=on_progress)
    finally:
        if owned:
            stream.close()


def _small(client: UploadClient, stream: BinaryIO, size: int, *, sha256: str, filename: str,
           content_type: str, material_code: str | None, client_application_id: str | None,
           key: str, on_progress: Progress | None) -> str:
    data = stream.read()
    params = {"filename": filename, "sha256": sha256, "materialCode": material_code,
              "clientApplicationId": client_application_id}
    stalled = 0
    while True:
        try:
            resp = client.request("POST", "/files", params=params, body=data,
                                  headers={"Content-Type": content_type},
                                  idempotency_key=key, schema="FileInfo")
            break
        except errors.ApiError as err:
            stalled += 1
            if not err.retryable or stalled >= MAX_STALLED_ATTEMPTS:
                raise
            _pause(client, err, stalled)
    if on_progress:
        on_progress(size, size)
    file_id: str = resp.json["fileId"]
    return file_id


def _fresh(key: str) -> str:
    return f"{key[:51]}-{secrets.token_hex(4)}"


def _pause(client: UploadClient, err: errors.ApiError, attempt: int) -> None:
    steps = client.upload_backoff_s or BACKOFF_S
    wait = steps[min(attempt, len(steps)) - 1]
    if err.retry_after is not None:
        wait = max(wait, min(err.retry_after, 30.0))
    log.info("upload interrupted (%s); retrying in %.1f s", err.code, wait)
    time.sleep(wait)


def _create(client: UploadClient, size: int, meta: str, key: str) -> str:
    resp = client.request("POST", "/uploads", headers={**TUS, "Upload-Length": str(size),
                                                       "Upload-Metadata": meta},
                          idempotency_key=key, retry_safe=True)
    location = resp.headers.get("Location")
    if resp.status != 201 or not location:
        raise errors.ProtocolError(resp.status, "upload creation answered without a Location")
    path = urlsplit(location).path
    if not path.startswith(client.base_path + "/"):
        raise errors.ProtocolError(resp.status, "upload Location outside the API")
    return path[len(client.base_path):]


def _head(client: UploadClient, path: str) -> tuple[int, str | None]:
    resp = client.request("HEAD", path, headers=TUS)
    offset = resp.headers.get("Upload-Offset", "")
    if not (offset.isascii() and offset.isdigit() and len(offset) <= 18):
        raise errors.ProtocolError(resp.status, "HEAD answered without Upload-Offset")
    return int(offset), resp.headers.get("Upload-File-Id") or None


def _tus(client: UploadClient, stream: BinaryIO, size: int, *, sha256: str, filename: str,
         content_type: str, material_code: str | None, client_application_id: str | None,
         key: str, on_progress: Progress | None) -> str:
    pairs = [("filename", filename), ("mediaType", content_type), ("sha256", sha256)]
    if material_code:
        pairs.append(("materialCode", material_code))
    if client_application_id:
        pairs.append(("clientApplicationId", client_application_id))
    meta = ",".join(f"{k} {_b64(v)}" for k, v in pairs)
    path = _create(client, size, meta, key)
    try:
        offset, file_id = _head(client, path)
    except errors.ApiError as err:
        if err.status not in (404, 410):
            raise
        # The key's stored answer names an upload that expired or was removed (the kiosk was
        # offline for longer than the upload lives): start a new upload under a new key.
        path = _create(client, size, meta, _fresh(key))
        offset, file_id = _head(client, path)
    if offset:
        log.info("resuming upload at %d of %d bytes", offset, size)
    stalled = 0
    while file_id is None:
        if offset >= size:
            status = client.request("GET", path, headers=TUS, schema="UploadStatus").json
            file_id = status.get("fileId")
            if file_id is None:
                raise errors.ProtocolError(200, "upload complete but no fileId")
            break
        stream.seek(offset)
        chunk = stream.read(client.chunk_size)
        checksum = "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()
        try:
            resp = client.request("PATCH", path, body=chunk, retry_safe=True, headers={
                **TUS, "Upload-Offset": str(offset), "Upload-Checksum": checksum,
                "Content-Type": "application/offset+octet-stream"})
        except errors.ApiError as err:
            resumable = err.retryable or err.code == "UPLOAD_OFFSET_MISMATCH"
            if err.status in (404, 410):  # expired or lost: start a new upload once
                if stalled >= 1:
                    raise
                path = _create(client, size, meta, _fresh(key))
                stalled += 1
            elif not resumable:
                raise
            else:
                stalled += 1
                if stalled >= MAX_STALLED_ATTEMPTS:
                    raise
                _pause(client, err, stalled)
            offset, file_id = _head(client, path)
            continue
        new_offset = resp.headers.get("Upload-Offset", "")
        if not (new_offset.isascii() and new_offset.isdigit() and len(new_offset) <= 18) \
                or int(new_offset) <= offset:
            raise errors.ProtocolError(resp.status, "PATCH answered without progress")
        offset, stalled = int(new_offset), 0
        file_id = resp.headers.get("Upload-File-Id") or None
        if on_progress:
            on_progress(offset, size)
    return file_id
