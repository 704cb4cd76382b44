"""The one parser for driver options (``[devices.ROLE]`` in kiosk.toml, less ``class`` and
``driver``): every driver of every class reads its options through these functions, so a wrong
value always fails the same way — ``DeviceOptionError(key, value, allowed)``, which the config
layer turns into one line naming the file, the key, the value and what is allowed.

TOML gives ``bool`` for true/false, which Python also counts as an ``int``: a flag is never
taken for a number here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from devices.base import DeviceOptionError

T = TypeVar("T")

MISSING = "(missing)"


def only_known(options: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """A key the driver does not know is a typo, not something to ignore."""
    known = frozenset(allowed)
    for key in options:
        if key not in known:
            raise DeviceOptionError(key, options[key], "one of " + ", ".join(sorted(known)))


def integer(options: Mapping[str, Any], key: str, default: int | None, low: int, high: int,
            *, text: bool = False) -> int:
    """An integer from ``low`` to ``high``; ``default`` None: required. ``text``: also
    written as a string, decimal or ``"0x.."`` (USB ids and endpoints)."""
    value = options.get(key, default)
    allowed = f"an integer from {low} to {high}" + (' (decimal or "0x..")' if text else "")
    if value is None:
        raise DeviceOptionError(key, MISSING, allowed)
    if text and isinstance(value, str):
        try:
            number = int(value, 0)
        except ValueError:
            raise DeviceOptionError(key, value, allowed) from None
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        raise DeviceOptionError(key, value, allowed)
    if not low <= number <= high:
        raise DeviceOptionError(key, value, allowed)
    return number


def number(options: Mapping[str, Any], key: str, default: float, low: float,
           high: float) -> float:
    """A number (integer or decimal) from ``low`` to ``high``: seconds, thresholds."""
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not low <= value <= high:
        raise DeviceOptionError(key, value, f"a number from {low:g} to {high:g}")
    return float(value)


def flag(options: Mapping[str, Any], key: str, default: bool) -> bool:
    value = options.get(key, default)
    if not isinstance(value, bool):
        raise DeviceOptionError(key, value, "true or false")
    return value


def text(options: Mapping[str, Any], key: str, default: str | None = None, *,
         what: str = "a string", empty: bool = False) -> str:
    """A string (``default`` None: required). ``what`` says what it should be in the error
    ("a device path such as /dev/ttyUSB0"); ``empty``: "" is allowed (optional paths)."""
    value = options.get(key, default)
    if value is None:
        raise DeviceOptionError(key, MISSING, what)
    if not isinstance(value, str) or not (value or empty):
        raise DeviceOptionError(key, value, what)
    return value


def choice(options: Mapping[str, Any], key: str, default: T | None,
           choices: Iterable[T]) -> T:
    """One of ``choices`` (strings or numbers, compared as written)."""
    allowed = tuple(choices)
    value = options.get(key, default)
    if isinstance(value, bool) or value not in allowed:
        raise DeviceOptionError(key, MISSING if value is None else value,
                                "one of " + ", ".join(map(str, allowed)))
    return value  # type: ignore[no-any-return]  # one of ``allowed``, so a T


def text_list(options: Mapping[str, Any], key: str, *, what: str = "a list of strings"
              ) -> list[str]:
    value = options.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DeviceOptionError(key, value, what)
    return list(value)
