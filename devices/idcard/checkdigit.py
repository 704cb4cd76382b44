"""GB 11643-1999 citizen identity number check digit (ISO 7064 MOD 11-2).

Only the checksum: ``stdnum.cn.ric.validate`` also checks the region table and rejects
valid 2023 foreigner numbers starting with 9 (research/devices.md §1.13).
"""

from __future__ import annotations

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_char(first17: str) -> str:
    """The 18th character for 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need exactly 17 digits")
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def is_valid(number: str) -> bool:
    """True for 17 digits + the right check character (``X`` upper or lower case)."""
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    return check_char(number[:17]) == number[17].upper()
