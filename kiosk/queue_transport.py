"""Adapts the acceptance API client to the outbox's ``Transport`` and opens the queue runtime.

Mapping of answers (acceptance-api.md §4.4-6):

- 2xx, or a replayed 2xx → ``Acknowledged``.
- ``resultStatus: U``, 409 ``IDEMPOTENCY_IN_FLIGHT``, a protocol error, or the connection
  dropped after the body went out → ``UNKNOWN``: the worker reconciles
  (``GET /applications?clientApplicationId=…``) before sending again.
- network error before an answer, 5xx, 429 (``retryable``) → ``RETRY`` with ``Retry-After``.
- 410 ``UPLOAD_EXPIRED`` / 404 of a started upload → ``EXPIRED`` (start the upload over);
  409 ``UPLOAD_OFFSET_MISMATCH`` → ``RETRY`` (the next pass asks the server's offset).
- 401 (credentials, clock) → ``RETRY`` after a minute: the kiosk is wrong, not the case.
- anything else not retryable (422 key reuse, validation, unknown matter, 412 stale
  version) → ``REJECTED`` with the problem details: dead letter for staff.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError, AuthError, NetworkError, ProtocolError
from kiosk.api.uploads import SMALL_FILE_MAX, TUS, upload_key
from kiosk.config import ConfigError, Settings, load_settings
from kiosk.logs import setup_logging
from kiosk.privacy import mask_platform_text
from kiosk.submission import KIND_SUPPLEMENT, Application, SubmissionResult, Submitter
from offline_queue import (
    Absent,
    AckBook,
    Acknowledged,
    Failure,
    FailureKind,
    KeyFileError,
    Outbox,
    OutboxError,
    OutboxItem,
    QueueStatus,
    StoredFile,
    SyncWorker,
    Uploaded,
)

log = logging.getLogger("kiosk.queue_transport")


class QueueSetupError(Exception):
    """The queue or its connection cannot be set up; ``str()`` is one line for people."""


def classify(err: ApiError, *, posted: bool = False) -> Failure:
    """The queue's view of a failed call. ``posted``: the call was the application itself,
    so a missing answer means "maybe applied" and the next attempt asks first."""
    problem = dict(err.problem) if err.problem else None
    detail = err.detail or err.title
    # kept in clear as the item's last error (after the code): no ID or phone numbers
    text = mask_platform_text(f"HTTP {err.status} {detail}" if err.status else detail)
    if isinstance(err, NetworkError | ProtocolError):
        kind = FailureKind.UNKNOWN if posted else FailureKind.RETRY
        return Failure(kind, err.code, text, err.retry_after, problem,
                       network=isinstance(err, NetworkError))
    if err.status in (404, 410) and err.code.startswith("UPLOAD"):
        return Failure(FailureKind.EXPIRED, err.code, text, None, problem)
    if err.status == 409 and err.code.startswith("UPLOAD"):
        return Failure(FailureKind.RETRY, err.code, text, err.retry_after, problem)
    if err.result_status == "U" or err.status == 409:
        return Failure(FailureKind.UNKNOWN, err.code, text, err.retry_after, problem)
    if err.retryable or err.code == "FILE_CHECKSUM_MISMATCH":
        # (our copy was verified just before sending: a damaged transfer, so send again)
        return Failure(FailureKind.RETRY, err.code, text, err.retry_after, problem)
    if isinstance(err, AuthError):
        # Credentials or the clock are wrong, not the application: keep it, never dead-letter.
        return Failure(FailureKind.RETRY, err.code, text, 60.0, problem)
    return Failure(FailureKind.REJECTED, err.code, text, None, problem)


_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf",
               "application/ofd": ".ofd"}


class ApiTransport:
    """``offline_queue.Transport`` over ``kiosk.api.client.ApiClient``.

    Uploads make ONE pass here (the queue's back-off is the only retry policy; the client's
    own ``upload`` helper would sleep through long Retry-Afters inside a sync pass): small
    files in one ``POST /files``, larger ones by tus. The tus creation key is derived from
    the file (``kiosk.api.uploads.upload_key``), so after a crash or a dropped connection the
    same upload is found again and continued from the server's ``Upload-Offset``; its path is
    what the outbox records as "upload started". The platform checks each completed file
    against the declared sha256 and reports it back (``FileInfo`` / ``UploadStatus``); the
    queue compares that with its own record before the fileId is used."""

    def __init__(self, client: ApiClient, on_contact: Callable[[], None] | None = None) -> None:
        self.client = client
        self.on_contact = on_contact  # any answer from the platform: the link works

    def _contact(self) -> None:
        if self.on_contact is not None:
            self.on_contact()

    def upload(self, item: OutboxItem, file: StoredFile, data: bytes,
               on_started: Callable[[str], None]) -> Uploaded | Failure:
        filename = f"{file.key}-{file.seq + 1}{_EXTENSIONS.get(file.media_type, '')}"
        key = upload_key(file.sha256, len(data), filename, file.media_type, file.key, item.id)
        try:
            if len(data) <= SMALL_FILE_MAX:
                info = self.client.request(
                    "POST", "/files", body=data, headers={"Content-Type": file.media_type},
                    params={"filename": filename, "sha256": file.sha256,
                            "materialCode": file.key, "clientApplicationId": item.id},
                    idempotency_key=key, schema="FileInfo", retry_safe=False).json
                done = Uploaded(info["fileId"], info["sha256"], info["bytes"])
            else:
                done = self._tus(item, file, data, filename, key, on_started)
        except ApiError as err:
            return classify(err)
        self._contact()
        return done

    def _tus(self, item: OutboxItem, file: StoredFile, data: bytes, filename: str, key: str,
             on_started: Callable[[str], None]) -> Uploaded:
        meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in (
            ("filename", filename), ("mediaType", file.media_type), ("sha256", file.sha256),
            ("materialCode", file.key), ("clientApplicationId", item.id)))
        path = self._create(len(data), meta, key)
        try:
            offset, file_id = self._head(path)
        except ApiError as err:
            if err.status not in (404, 410):
                raise
            path = self._create(len(data), meta, key + "-r")  # expired: a fresh upload
            offset, file_id = self._head(path)
        if file.upload_url != path:
            on_started(path)
        while file_id is None and offset < len(data):
            chunk = data[offset:offset + self.client.chunk_size]
            digest = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
            resp = self.client.request("PATCH", path, body=chunk, retry_safe=False, headers={
                **TUS, "Upload-Offset": str(offset), "Upload-Checksum": "sha256 " + digest,
                "Content-Type": "application/offset+octet-stream"})
            new_offset = resp.headers.get("Upload-Offset", "")
            if not new_offset.isdigit() or int(new_offset) <= offset:
                raise ProtocolError(resp.status, "PATCH answered without progress")
            offset = int(new_offset)
            file_id = resp.headers.get("Upload-File-Id") or None
        status = self.client.request("GET", path, headers=TUS, schema="UploadStatus").json
        if not status.get("complete") or not status.get("fileId"):
            raise ProtocolError(200, "upload complete but no fileId")
        return Uploaded(status["fileId"], status["sha256"], int(status["length"]))

    def _create(self, size: int, meta: str, key: str) -> str:
        resp = self.client.request("POST", "/uploads", idempotency_key=key, retry_safe=False,
                                   headers={**TUS, "Upload-Length": str(size),
                                            "Upload-Metadata": meta})
        location = urlsplit(resp.headers.get("Location") or "").path
        if not location.startswith(self.client.base_path + "/"):
            raise ProtocolError(resp.status, "upload creation answered without a usable Location")
        return location[len(self.client.base_path):]

    def _head(self, path: str) -> tuple[int, str | None]:
        resp = self.client.request("HEAD", path, headers=TUS)
        offset = resp.headers.get("Upload-Offset", "")
        if not offset.isdigit():
            raise ProtocolError(resp.status, "HEAD answered without Upload-Offset")
        return int(offset), resp.headers.get("Upload-File-Id") or None

    def deliver(self, item: OutboxItem, body: bytes) -> Acknowledged | Failure:
        try:
            if item.kind == KIND_SUPPLEMENT:  # 补齐补正 of an application the platform holds
                resp = self.client.submit_supplement(str(item.meta.get("applicationId", "")),
                                                     body, idempotency_key=item.id)
            else:
                resp = self.client.submit_application(body, idempotency_key=item.id)
        except ApiError as err:
            return classify(err, posted=True)
        self._contact()
        answer = resp.json if isinstance(resp.json, dict) else {}
        if item.kind == KIND_SUPPLEMENT:
            return Acknowledged(answer.get("supplementId"), answer.get("applicationId"),
                                answer, resp.replayed)
        return Acknowledged(answer.get("applicationId"), answer.get("projId"), answer,
                            resp.replayed)

    def reconcile(self, item: OutboxItem) -> Acknowledged | Absent | Failure:
        if item.kind == KIND_SUPPLEMENT:
            # No lookup of supplements: sending again under the same Idempotency-Key is safe
            # (the platform replays its first answer for 30 days).
            return Absent()
        try:
            found = self.client.find_application(item.id)
        except ApiError as err:
            return classify(err)
        self._contact()
        if found is None:
            return Absent()
        return Acknowledged(found.get("applicationId"), found.get("projId"), found)


class QueueService:
    """The queue of a running kiosk: outbox, background sync worker, one submission path.

    The touchscreen calls ``submit`` through the UI's background-operation helper (it blocks
    for the immediate delivery attempt); ``connectivity_restored`` is for the heartbeat.
    Two API clients: the background worker and the immediate attempts never share a
    ``requests.Session`` across threads."""

    def __init__(self, settings: Settings, outbox: Outbox, base_url: str) -> None:
        self.settings = settings
        self.outbox = outbox
        self._clients = [ApiClient.from_settings(settings, base_url=base_url) for _ in range(2)]
        acks = AckBook()  # either worker's answer reaches the citizen's receipt
        self.worker = SyncWorker(outbox, ApiTransport(self._clients[0]), acks=acks)
        self._now = SyncWorker(outbox, ApiTransport(self._clients[1]), acks=acks)
        self.submitter = Submitter.from_settings(settings, outbox, self._now)

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()
        for c in self._clients:
            c.close()
        self.outbox.close()

    def submit(self, app: Application) -> SubmissionResult:
        """Stored first, then one delivery attempt; if that fails the background worker
        takes the item over with back-off."""
        return self.submitter.submit(app)

    def connectivity_restored(self) -> None:
        self.worker.wake(self.worker.wake_spread_s)

    def status(self) -> QueueStatus:
        return self.outbox.status()


@dataclass
class QueueRuntime:
    settings: Settings
    outbox: Outbox
    worker: SyncWorker | None     # None when offline-only (no connection could be set up)
    base_url: str | None


def open_queue(config: str | None, settings: Settings | None = None, *,
               read_only_fallback: bool = False) -> Outbox:
    """The outbox of the configured kiosk (logging set up); errors as ``QueueSetupError``.
    ``read_only_fallback``: on a full disk, open it read-only (reads work, writes refuse)."""
    try:
        settings = settings or load_settings(config)
        setup_logging(settings.kiosk.log_dir)
        q = settings.queue
        ob = Outbox(q.path, q.files_dir, q.key_file, max_bytes=q.max_bytes,
                    min_free_bytes=q.min_free_bytes, read_only_fallback=read_only_fallback)
    except (KeyFileError, OutboxError) as exc:
        raise QueueSetupError(str(exc)) from None
    except ConfigError:
        raise
    except OSError as exc:
        raise QueueSetupError(f"the offline queue cannot be opened: {exc}") from None
    for moved in ob.report.quarantined:
        log.critical("the offline queue database was corrupt and was moved aside to %s", moved)
        print(f"kiosk: WARNING the offline queue database was corrupt; it was moved aside to "
              f"{moved} (nothing deleted) and a new queue was started", file=sys.stderr,
              flush=True)
    return ob


@contextmanager
def queue_runtime(config: str | None, *, api_url: str | None = None, connect: bool = True,
                  tolerate_offline: bool = False,
                  read_only_fallback: bool = False) -> Iterator[QueueRuntime]:
    """Outbox + worker + API connection for one command; the embedded sandbox when configured."""
    settings = load_settings(config)
    outbox = open_queue(config, settings, read_only_fallback=read_only_fallback)
    with ExitStack() as stack:
        stack.callback(outbox.close)
        worker = None
        base_url = None
        if connect:
            try:
                client, base_url = stack.enter_context(_api_client(settings, api_url))
                worker = SyncWorker(outbox, ApiTransport(client))
            except QueueSetupError:
                if not tolerate_offline:
                    raise
                log.warning("no connection to the platform could be set up; storing only")
        yield QueueRuntime(settings, outbox, worker, base_url)


@contextmanager
def _api_client(settings: Settings, api_url: str | None) -> Iterator[tuple[ApiClient, str]]:
    url = api_url or settings.api.base_url
    with ExitStack() as stack:
        if url == "embedded":
            from kiosk.sandbox.embedded import start_embedded

            try:
                server = start_embedded(settings)
            except OSError as exc:
                raise QueueSetupError(f"the embedded sandbox could not start: {exc}") from None
            stack.callback(server.stop)
            url = server.base_url
        elif not url.startswith(("http://", "https://")):
            raise QueueSetupError(f"--api {url!r} is not an http(s):// URL")
        try:
            client = ApiClient.from_settings(settings, base_url=url)
        except OSError as exc:
            raise QueueSetupError(f"the API secret file cannot be read: {exc.strerror}") from None
        except ValueError as exc:
            raise QueueSetupError(str(exc)) from None
        stack.callback(client.close)
        yield client, url
