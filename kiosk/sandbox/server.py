"""``SandboxServer``: the reference server on a loopback port, in a background thread.

werkzeug's threaded WSGI server (Flask's own) is enough for one kiosk and the tests, needs
nothing beyond Flask, and gives the handler the raw socket, which the dropped-connection
fault needs. Request lines are not logged (the sandbox sees fictitious citizen data only,
but a kiosk's log stays clean of request noise).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, ThreadedWSGIServer, WSGIRequestHandler

from kiosk.sandbox.app import create_app
from kiosk.sandbox.catalog import Catalog
from kiosk.sandbox.context import IDEMPOTENCY_RETENTION_S, PREFIX, SandboxState
from kiosk.sandbox.faults import Faults, FaultSettings
from kiosk.sandbox.storage import Storage

log = logging.getLogger("kiosk.sandbox")

REPO = Path(__file__).resolve().parents[2]
DEMO_SECRET_FILE = REPO / "packaging" / "demo" / "demo-api-secret"
DEMO_ACCESS_KEY = "DEMO-KIOSK-0001"


def demo_credentials() -> dict[str, bytes]:
    """The demo kiosk's access key and secret (``packaging/demo/demo-api-secret``); empty
    when the file is not there (an installation without the repository's packaging/)."""
    try:
        return {DEMO_ACCESS_KEY: DEMO_SECRET_FILE.read_bytes().strip()}
    except FileNotFoundError:
        return {}


# A peer that connects and says nothing, or sends half a body, is cut off after this long;
# no more than MAX_CONNECTIONS are served at once (the others get 503 and are closed).
IO_TIMEOUT_S = 15.0
MAX_CONNECTIONS = 64


class _QuietHandler(WSGIRequestHandler):
    timeout = IO_TIMEOUT_S  # socketserver applies it to the socket: reads and writes
    def send_response(self, code: int, message: str | None = None) -> None:
        # http.server adds its own Date; the app sends the sandbox clock's Date (which the
        # clock-offset fault shifts), and two Date headers would confuse clients.
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Server", self.version_string())

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def log_error(self, format: str, *args: Any) -> None:
        log.debug("sandbox http: " + format, *args)


class _BoundedServer(ThreadedWSGIServer):
    """werkzeug's threaded server with a cap on the threads: one per connection, at most
    ``max_connections``; a connection beyond the cap is answered 503 at once and closed."""

    def __init__(self, *args: Any, max_connections: int = MAX_CONNECTIONS, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            try:
                request.settimeout(1.0)
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                                b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class SandboxServer:
    """Start with ``.start()`` (returns once listening); ``.base_url`` is
    ``http://127.0.0.1:PORT/uap/v1``; stop with ``.stop()``. Also a context manager.

    ``faults`` is a ``FaultSettings`` or a dict of its fields; change them later with
    ``server.faults.set(error_rate=0.5)`` or ``/__admin/faults``. ``seed_matters``: serve
    that many matters (the 14 seeded and generated copies; 0 = the 14)."""

    def __init__(self, db_path: str | Path, *, host: str = "127.0.0.1", port: int = 0,
                 credentials: dict[str, bytes] | None = None,
                 faults: FaultSettings | dict[str, Any] | None = None,
                 status_step_s: float | None = 30.0, seed_matters: int = 0,
                 io_timeout_s: float = IO_TIMEOUT_S,
                 max_connections: int = MAX_CONNECTIONS) -> None:
        if isinstance(faults, dict):
            faults = FaultSettings(**faults)
        self.host, self.port = host, port
        self.io_timeout_s, self.max_connections = io_timeout_s, max_connections
        self.storage = Storage(db_path)
        self.faults = Faults(faults)
        creds = demo_credentials()
        creds.update(credentials or {})
        self.state = SandboxState(storage=self.storage, catalog=Catalog(seed_matters=seed_matters),
                                  faults=self.faults,
                                  credentials=creds, status_step_s=status_step_s)
        self.app = create_app(self.state)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox is not started")
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self._server.server_port}{PREFIX}"

    @property
    def root_url(self) -> str:
        return self.base_url[: -len(PREFIX)]

    def start(self) -> SandboxServer:
        if self._server is not None:
            return self
        self.storage.purge(self.state.now(), IDEMPOTENCY_RETENTION_S)
        handler = type("_Handler", (_QuietHandler,), {"timeout": self.io_timeout_s})
        self._server = _BoundedServer(self.host, self.port, self.app, handler,
                                      max_connections=self.max_connections)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name="kiosk-sandbox", daemon=True)
        self._thread.start()
        log.info("sandbox listening on %s", self.base_url)
        return self

    def serve_forever(self) -> None:
        """Foreground run (``kiosk sandbox``)."""
        self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(0.5)
        finally:
            self.stop()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self.storage.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
