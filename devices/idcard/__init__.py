"""Chinese identity-card reader (GA 467 SAM serial protocol): codec, stream decoder, text
block of all four card kinds, driver, pty simulator. Public names below.

They are imported on first use (PEP 562): the session machine imports only the check digit
(``devices.idcard.checkdigit``) before the first paint, and importing this package used to
pull in the driver, the simulator and pyserial with it (~20 ms of the kiosk's start)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from devices.idcard.driver import IdCardReader
    from devices.idcard.simulator import IdCardSimulator
    from devices.idcard.types import LONG_TERM, CardType, IdCard, Photo

__all__ = ["LONG_TERM", "CardType", "IdCard", "IdCardReader", "IdCardSimulator", "Photo"]

_HOME = {"IdCardReader": "driver", "IdCardSimulator": "simulator", "LONG_TERM": "types",
         "CardType": "types", "IdCard": "types", "Photo": "types"}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:  # submodules (``from devices.idcard import codes``) are found as such
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
