"""Masking of citizen data for logs, receipts and CLI output (DESIGN §7)."""

from __future__ import annotations

import logging
import re

# 18-character resident numbers (17 digits + digit/X) and 15-digit legacy numbers.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10,11}(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_id_number(value: str) -> str:
    """``330106199001011234`` → ``3301**********1234``; shorter document numbers keep less,
    so that less than half is ever in clear: 15–17 characters 3 + 3, passports and travel
    permits (8–14) 1 + 2 (``E12345678`` → ``E******78``), shorter values hidden whole."""
    v = value.strip()
    if len(v) < 8:
        return "*" * len(v)
    if len(v) < 15:
        return v[0] + "*" * (len(v) - 3) + v[-2:]
    if len(v) < 18:  # 15-digit legacy numbers, 2017 foreign permanent residence cards
        return v[:3] + "*" * (len(v) - 6) + v[-3:]
    return v[:4] + "*" * (len(v) - 8) + v[-4:]


def mask_name(value: str) -> str:
    """``张三`` → ``张*``; ``欧阳娜娜`` → ``欧***``; Latin names keep the first letter."""
    v = value.strip()
    if not v:
        return v
    return v[0] + "*" * max(1, len(v) - 1)


def mask_phone(value: str) -> str:
    v = value.strip()
    return v[:3] + "****" + v[-4:] if len(v) == 11 else "*" * len(v)


def mask_text(text: str) -> str:
    """Masks ID and mobile numbers found anywhere in free text (log lines)."""
    text = _ID_RE.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 8) + m.group(2), text)
    return _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskingFilter(logging.Filter):
    """Last line of defence: masks ID/phone numbers in every record that reaches a handler.

    Code must still log masked values itself (names cannot be found by a pattern)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        # A traceback carries values too (an exception's message, a line of input).
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True
