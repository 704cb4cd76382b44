"""Services that are still starting: the window appears at once while the sandbox, the queue
and the devices come up in a background thread; callers (all off the GUI thread) wait."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from kiosk.catalog import Catalog


class LazyServices:
    def __init__(self, build: Callable[[], Any], start: bool = True) -> None:
        self._ready = threading.Event()
        self._real: Any = None
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

    def wait(self, timeout: float | None = None) -> Any:
        self._ready.wait(timeout)
        return self._real

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def catalog(self) -> Catalog:
        real = self.wait()
        return real.catalog() if real is not None else Catalog([])

    def device_problems(self) -> dict[str, str]:
        real = self.wait()
        if real is None:
            return {c: "HARDWARE_ERROR" for c in ("idcard", "camera", "printer", "scanner")}
        problems: dict[str, str] = real.device_problems()
        return problems

    def close(self) -> None:
        real = self.wait(30)
        if real is not None:
            real.close()

    def __getattr__(self, name: str) -> Any:
        real = self.wait()
        if real is None:
            raise RuntimeError("the kiosk services failed to start") from self.error
        return getattr(real, name)
