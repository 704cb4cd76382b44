"""What the touchscreen needs from the core and the devices, as one blocking interface.

The UI calls these off the GUI thread (ui/bridge.py). Expected failures come back as
``Result`` values with a code the screen can word; exceptions are bugs.
``kiosk/app_services.py`` builds the real implementation from the settings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from devices.base import Cancel
from devices.status import Result
from kiosk.catalog import Catalog
from kiosk.session.model import Citizen, Page, SubmitOutcome


@dataclass(frozen=True)
class PreviewFrame:
    """One live camera frame for the screen: RGB888 bytes, the page outline if found, and
    the quality problem that holds auto-capture back ("" when the page is good)."""

    rgb: bytes
    width: int
    height: int
    corners: Sequence[tuple[float, float]] | None
    problem: str = ""


class KioskServices(Protocol):
    def catalog(self) -> Catalog: ...

    def device_problems(self) -> dict[str, str]:
        """device class → fault code of every configured device that is not usable."""
        ...

    def read_card(self, cancel: Cancel, timeout_s: float) -> Result[Citizen]: ...

    def read_qr(self, cancel: Cancel, timeout_s: float) -> Result[str]: ...

    def prefill(self, impl_code: str, citizen: Citizen, consent_id: str) -> Result[dict[str, Any]]:
        ...

    def camera_session(self, cancel: Cancel, capture_now: Callable[[], bool],
                       on_frame: Callable[[PreviewFrame], None],
                       on_page: Callable[[Page | None, str], None]) -> None:
        """Live preview until cancelled: frames go to ``on_frame``; a page (auto-captured when
        still and sharp, or at once when ``capture_now()`` is True) goes to ``on_page``."""
        ...

    def submit(self, application: Mapping[str, Any],
               files: Mapping[str, Sequence[bytes]]) -> Result[SubmitOutcome]: ...

    def print_receipt(self, receipt: Mapping[str, Any]) -> Result[None]: ...

    def rate(self, evaluation: Mapping[str, Any]) -> Result[None]: ...

    def query_status(self, citizen: Citizen | None, ref: str,
                     password: str) -> Result[dict[str, Any]]: ...

    def close(self) -> None: ...
