"""Services that are still starting: the window appears at once while the sandbox, the queue
and the devices come up in a background thread; callers (all off the GUI thread) wait.

It is a ``KioskBackend`` like the real one, method by method: each waits for the real
services, then asks them (no ``__getattr__``: the type checker sees what the UI may call)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from devices.base import Cancel
from devices.document_printer.types import PrintedJob
from devices.status import Result
from kiosk.a4_documents import A4Copy
from kiosk.availability import polled_roles
from kiosk.catalog import Catalog
from kiosk.services import KioskBackend, OperatorServices, PreviewFrame
from kiosk.session.effects import PromiseDoc
from kiosk.session.model import Citizen, Page, SubmitOutcome


class LazyServices:
    def __init__(self, build: Callable[[], KioskBackend], start: bool = True) -> None:
        self._ready = threading.Event()
        self._real: KioskBackend | None = None
        self.error: BaseException | None = None
        self._build = build
        if start:
            self.start()

    def start(self) -> None:
        """Begin building (``kiosk run`` does it once the window has painted: the imports
        and servers would otherwise compete with the first paint for the GIL)."""
        build = self._build

        def run() -> None:
            try:
                self._real = build()
            except BaseException as exc:  # reported by selftest / the run command
                self.error = exc
            finally:
                self._ready.set()

        threading.Thread(target=run, name="kiosk-start", daemon=True).start()

    def wait(self, timeout: float | None = None) -> KioskBackend | None:
        self._ready.wait(timeout)
        return self._real

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def _services(self) -> KioskBackend:
        real = self.wait()
        if real is None:
            raise RuntimeError("the kiosk services failed to start") from self.error
        return real

    def catalog(self) -> Catalog:
        real = self.wait()
        return real.catalog() if real is not None else Catalog([])

    def device_problems(self) -> dict[str, str]:
        real = self.wait()
        if real is None:
            return {role: "HARDWARE_ERROR" for role in polled_roles()}
        return real.device_problems()

    @property
    def operator(self) -> OperatorServices:
        return self._services().operator

    def read_card(self, cancel: Cancel, timeout_s: float) -> Result[Citizen]:
        return self._services().read_card(cancel, timeout_s)

    def read_qr(self, cancel: Cancel, timeout_s: float) -> Result[str]:
        return self._services().read_qr(cancel, timeout_s)

    def prefill(self, impl_code: str, citizen: Citizen,
                consent_id: str) -> Result[dict[str, Any]]:
        return self._services().prefill(impl_code, citizen, consent_id)

    def camera_session(self, cancel: Cancel, capture_now: Callable[[], bool],
                       on_frame: Callable[[PreviewFrame], None],
                       on_page: Callable[[Page | None, str], None]) -> None:
        self._services().camera_session(cancel, capture_now, on_frame, on_page)

    def face_check(self, cancel: Cancel, cert_type: str, cert_no: str,
                   on_frame: Callable[[PreviewFrame], None]) -> Result[Any]:
        return self._services().face_check(cancel, cert_type, cert_no, on_frame)

    def verify_eid(self, code: str) -> Result[Citizen]:
        return self._services().verify_eid(code)

    def submit(self, application: Mapping[str, Any],
               files: Mapping[str, Sequence[bytes]],
               promises: Sequence[PromiseDoc] = ()) -> Result[SubmitOutcome]:
        return self._services().submit(application, files, promises)

    def print_receipt(self, receipt: Mapping[str, Any]) -> Result[None]:
        return self._services().print_receipt(receipt)

    def print_a4(self, copy: A4Copy) -> Result[PrintedJob]:
        return self._services().print_a4(copy)

    def print_supplement_receipt(self, receipt: Mapping[str, Any]) -> Result[None]:
        return self._services().print_supplement_receipt(receipt)

    def rate(self, evaluation: Mapping[str, Any]) -> Result[None]:
        return self._services().rate(evaluation)

    def create_payment(self, impl_code: str, amount_fen: int) -> Result[dict[str, Any]]:
        return self._services().create_payment(impl_code, amount_fen)

    def payment_status(self, payment_id: str, wait_s: float) -> Result[dict[str, Any]]:
        return self._services().payment_status(payment_id, wait_s)

    def cancel_payment(self, payment_id: str) -> Result[dict[str, Any]]:
        return self._services().cancel_payment(payment_id)

    def call_for_help(self, step: str) -> Result[dict[str, Any]]:
        return self._services().call_for_help(step)

    def help_handled(self, request_id: str) -> Result[None]:
        return self._services().help_handled(request_id)

    def submit_supplement(self, application_id: str,
                          files: Mapping[str, Sequence[bytes]]) -> Result[SubmitOutcome]:
        return self._services().submit_supplement(application_id, files)

    def query_status(self, citizen: Citizen | None, ref: str,
                     password: str) -> Result[dict[str, Any]]:
        return self._services().query_status(citizen, ref, password)

    def close(self) -> None:
        real = self.wait(30)
        if real is not None:
            real.close()


if TYPE_CHECKING:
    def _conforms(s: LazyServices) -> KioskBackend:
        return s  # mypy checks LazyServices against the interface here
