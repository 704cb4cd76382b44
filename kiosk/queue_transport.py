"""Adapts the acceptance API client to the outbox's ``Transport`` and opens the queue runtime.

Mapping of answers (acceptance-api.md §4.4-6):

- 2xx, or a replayed 2xx → ``Acknowledged``.
- ``resultStatus: U``, 409 ``IDEMPOTENCY_IN_FLIGHT``, a protocol error, or the connection
  dropped after the body went out → ``UNKNOWN``: the worker reconciles
  (``GET /applications?clientApplicationId=…``) before sending again.
- network error before an answer, 5xx, 429 (``retryable``) → ``RETRY`` with ``Retry-After``.
- 410 ``UPLOAD_EXPIRED`` / 404 of a started upload → ``EXPIRED`` (start the upload over).
- anything else not retryable (422 key reuse, validation, unknown matter, stale version,
  401 credentials) → ``REJECTED`` with the problem details: dead letter for staff.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from kiosk.api.client import ApiClient
from kiosk.api.errors import ApiError, AuthError, NetworkError, ProtocolError
from kiosk.api.uploads import upload_key
from kiosk.config import ConfigError, Settings, load_settings
from kiosk.logs import setup_logging
from offline_queue import (
    Absent,
    Acknowledged,
    Failure,
    FailureKind,
    KeyFileError,
    Outbox,
    OutboxError,
    OutboxItem,
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
    if isinstance(err, NetworkError | ProtocolError):
        kind = FailureKind.UNKNOWN if posted else FailureKind.RETRY
        return Failure(kind, err.code, str(err), err.retry_after, problem,
                       network=isinstance(err, NetworkError))
    if err.status in (404, 410) and err.code.startswith("UPLOAD"):
        return Failure(FailureKind.EXPIRED, err.code, str(err), None, problem)
    if err.result_status == "U" or err.status == 409:
        return Failure(FailureKind.UNKNOWN, err.code, str(err), err.retry_after, problem)
    if err.retryable:
        return Failure(FailureKind.RETRY, err.code, str(err), err.retry_after, problem)
    if isinstance(err, AuthError):
        # Credentials or the clock are wrong, not the application: keep it, never dead-letter.
        return Failure(FailureKind.RETRY, err.code, str(err), 60.0, problem)
    return Failure(FailureKind.REJECTED, err.code, str(err), None, problem)


_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf",
               "application/ofd": ".ofd"}


class ApiTransport:
    """``offline_queue.Transport`` over ``kiosk.api.client.ApiClient``.

    Uploads resume through the client: an upload's creation key is derived from the file
    (``kiosk.api.uploads.upload_key``), so after a crash the same upload is found again and
    continued from the server's ``Upload-Offset``; that key is what the outbox records as
    "upload started". The platform checks each completed file against the sha256 we declare
    (the outbox has just verified the decrypted bytes against the same recorded hash), and
    only then issues the ``fileId``."""

    def __init__(self, client: ApiClient, on_contact: Callable[[], None] | None = None) -> None:
        self.client = client
        self.on_contact = on_contact  # any answer from the platform: the link works
        self.link_up: bool | None = None  # unknown until the first answer

    def _contact(self) -> None:
        self.link_up = True
        if self.on_contact is not None:
            self.on_contact()

    def _probe(self) -> Failure | None:
        """One cheap round trip when the link is unknown or was down.

        The client's upload retries a stalled transfer for several seconds by itself; a
        citizen confirming offline must get the 收件待上传 receipt at once instead."""
        if self.link_up:
            return None
        try:
            self.client.request("OPTIONS", "/uploads", retry_safe=False)
        except NetworkError as err:
            self.link_up = False
            return classify(err)
        except ApiError:
            pass  # any answer at all means the platform is reachable
        self._contact()
        return None

    def upload(self, item: OutboxItem, file: StoredFile, data: bytes,
               on_started: Callable[[str], None]) -> Uploaded | Failure:
        down = self._probe()
        if down is not None:
            return down
        filename = f"{file.key}-{file.seq + 1}{_EXTENSIONS.get(file.media_type, '')}"
        if file.upload_url is None:
            on_started(upload_key(file.sha256, len(data), filename, file.media_type, file.key,
                                  item.id))
        try:
            file_id = self.client.upload(data, sha256=file.sha256, filename=filename,
                                         content_type=file.media_type, material_code=file.key,
                                         client_application_id=item.id)
        except ApiError as err:
            self.link_up = not isinstance(err, NetworkError)
            return classify(err)
        self._contact()
        return Uploaded(file_id, file.sha256, len(data))

    def deliver(self, item: OutboxItem, body: bytes) -> Acknowledged | Failure:
        try:
            resp = self.client.submit_application(body, idempotency_key=item.id)
        except ApiError as err:
            self.link_up = not isinstance(err, NetworkError)
            return classify(err, posted=True)
        self._contact()
        answer = resp.json if isinstance(resp.json, dict) else {}
        return Acknowledged(answer.get("applicationId"), answer.get("projId"), answer,
                            resp.replayed)

    def reconcile(self, item: OutboxItem) -> Acknowledged | Absent | Failure:
        try:
            found = self.client.find_application(item.id)
        except ApiError as err:
            return classify(err)
        self._contact()
        if found is None:
            return Absent()
        return Acknowledged(found.get("applicationId"), found.get("projId"), found)


@dataclass
class QueueRuntime:
    settings: Settings
    outbox: Outbox
    worker: SyncWorker | None     # None when offline-only (no connection could be set up)
    base_url: str | None


def open_queue(config: str | None, settings: Settings | None = None) -> Outbox:
    """The outbox of the configured kiosk (logging set up); errors as ``QueueSetupError``."""
    try:
        settings = settings or load_settings(config)
        setup_logging(settings.kiosk.log_dir)
        q = settings.queue
        ob = Outbox(q.path, q.files_dir, q.key_file, max_bytes=q.max_bytes,
                    min_free_bytes=q.min_free_bytes)
    except (KeyFileError, OutboxError) as exc:
        raise QueueSetupError(str(exc)) from None
    except ConfigError:
        raise
    except OSError as exc:
        raise QueueSetupError(f"the offline queue cannot be opened: {exc}") from None
    for moved in ob.report.quarantined:
        log.critical("the offline queue database was corrupt and was moved aside to %s", moved)
        print(f"kiosk: WARNING the offline queue database was corrupt; it was moved aside to "
              f"{moved} (nothing deleted) and a new queue was started", flush=True)
    return ob


@contextmanager
def queue_runtime(config: str | None, *, api_url: str | None = None, connect: bool = True,
                  tolerate_offline: bool = False) -> Iterator[QueueRuntime]:
    """Outbox + worker + API connection for one command; the embedded sandbox when configured."""
    settings = load_settings(config)
    outbox = open_queue(config, settings)
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
