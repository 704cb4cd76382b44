"""One parser for driver options (devices.options): every class's drivers fail the same way on
a wrong value — DeviceOptionError naming the key, the value and what is allowed."""

from __future__ import annotations

from typing import Any

import pytest

from devices import options as opt
from devices.base import DeviceOptionError, find_driver


def test_numbers_flags_and_choices() -> None:
    given: dict[str, Any] = {"n": 3, "x": 0.5, "f": False, "c": "b", "hex": "0x10", "s": "p"}
    assert opt.integer(given, "n", None, 1, 5) == 3
    assert opt.integer(given, "hex", None, 1, 0xFF, text=True) == 16
    assert opt.integer(given, "absent", 7, 1, 9) == 7
    assert opt.number(given, "x", 1.0, 0, 1) == 0.5 and opt.number(given, "n", 0, 0, 5) == 3.0
    assert opt.flag(given, "f", True) is False
    assert opt.choice(given, "c", "a", ("a", "b")) == "b"
    assert opt.text(given, "s") == "p" and opt.text(given, "absent", "", empty=True) == ""
    assert opt.text_list({"l": ["a"]}, "l") == ["a"] and opt.text_list({}, "l") == []


@pytest.mark.parametrize(("call", "key", "value"), [
    (lambda: opt.integer({"n": True}, "n", 1, 0, 5), "n", True),  # a TOML flag is no number
    (lambda: opt.integer({"n": "3"}, "n", 1, 0, 5), "n", "3"),  # text only where allowed
    (lambda: opt.integer({"n": 9}, "n", 1, 0, 5), "n", 9),
    (lambda: opt.integer({}, "n", None, 0, 5), "n", opt.MISSING),
    (lambda: opt.number({"x": False}, "x", 1.0, 0, 5), "x", False),
    (lambda: opt.flag({"f": "yes"}, "f", True), "f", "yes"),
    (lambda: opt.choice({"c": "z"}, "c", "a", ("a", "b")), "c", "z"),
    (lambda: opt.choice({"c": True}, "c", 1, (1, 2)), "c", True),
    (lambda: opt.text({"s": 5}, "s"), "s", 5),
    (lambda: opt.text({"s": ""}, "s"), "s", ""),
    (lambda: opt.text_list({"l": "a"}, "l"), "l", "a"),
    (lambda: opt.only_known({"colour": "red"}, ("size",)), "colour", "red"),
])
def test_a_wrong_value_names_key_value_and_what_is_allowed(call: Any, key: str,
                                                           value: object) -> None:
    with pytest.raises(DeviceOptionError) as err:
        call()
    assert (err.value.key, err.value.value) == (key, value) and err.value.allowed


@pytest.mark.parametrize(("device_class", "driver", "key"), [
    ("printer", "simulated", "status_timeout_s"),
    ("camera", "simulated", "fps"),
    ("scanner", "simulated", "auto_interval_s"),
    ("scanner", "serial", "gap_s"),
    ("scanner", "camera", "interval_s"),
    ("idcard", "ga467-serial", "poll_interval_s"),
    ("idcard", "simulated", "auto_lift_s"),
])
def test_every_class_rejects_a_flag_for_a_number_alike(device_class: str, driver: str,
                                                       key: str) -> None:
    spec = find_driver(device_class, driver)
    assert spec is not None, (device_class, driver)
    with pytest.raises(DeviceOptionError) as err:
        spec.factory("dev", {key: True})
    assert err.value.key == key and "a number from" in err.value.allowed
