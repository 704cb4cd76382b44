"""Masking of citizen data for logs, receipts and CLI output (DESIGN §7)."""

from __future__ import annotations

import logging
import re

# The numbers on the four card kinds the reader takes (devices/idcard/types.py), as they
# can appear in free text:
# - 18 characters (17 digits + digit/X): resident ID cards, HK/Macao/Taiwan residence permits
#   (81/82/83…), 2023 foreign permanent residence cards (9…); and 15-digit legacy numbers;
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{4})\d{10,11}(\d{3}[\dXx])(?![0-9A-Za-z])")
# - 2017 foreign permanent residence cards: nationality (3 letters) + 12 digits;
_FOREIGN_2017_RE = re.compile(r"(?<![0-9A-Za-z])([A-Z]{3})\d{9}(\d{3})(?![0-9A-Za-z])")
# - the pass number on an HK/Macao residence permit (the 回乡证's): H or M + 8 or 10 digits.
_TRAVEL_PERMIT_RE = re.compile(r"(?<![0-9A-Za-z])([HMhm])\d{6}(?:\d{2})?(\d{2})(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
# Runs of Chinese characters: in an English log line, a name or an address.
_CJK_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
                         r"\u3007·（）()0-9]*[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                         r"\U00020000-\U0002ffff\u3007]{2,}[\u3400-\u4dbf\u4e00-\u9fff"
                         r"\uf900-\ufaff\U00020000-\U0002ffff\u3007·（）()0-9]*")
# A quoted value inside a platform message ("'赵六测试' is not a 'date'"); identifiers
# (type and format names, field names, ENUM_VALUES) stay readable.
_QUOTED_RE = re.compile(r"""(['"“‘])(.+?)(['"”’])""")
_IDENTIFIER_RE = re.compile(r"^(?:[a-z][A-Za-z0-9_./-]*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$")


def mask_id_number(value: str) -> str:
    """``990102190001010022`` → ``9901**********0022``; shorter document numbers keep less,
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
    """Masks identity-document and mobile numbers found anywhere in free text."""
    text = _ID_RE.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 8) + m.group(2), text)
    text = _FOREIGN_2017_RE.sub(lambda m: m.group(1) + "*" * 9 + m.group(2), text)
    text = _TRAVEL_PERMIT_RE.sub(
        lambda m: m.group(1) + "*" * (len(m.group(0)) - 3) + m.group(2), text)
    return _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


def mask_log_text(text: str) -> str:
    """For log lines (English): numbers as ``mask_text``, and every run of Chinese
    characters — a name or an address — kept to its first character (``赵***``)."""
    return _CJK_RUN_RE.sub(lambda m: mask_name(m.group(0)), mask_text(text))


def mask_platform_text(text: str) -> str:
    """For messages from the platform shown to staff or kept in clear (``lastError``): they
    echo the values they refused (``'赵六测试' is not a 'date'``). Numbers as ``mask_text``;
    every quoted value that is not an identifier, and every run of Chinese characters, kept
    to its first character."""
    def quoted(m: re.Match[str]) -> str:
        inner = m.group(2)
        if _IDENTIFIER_RE.match(inner):
            return m.group(0)
        return m.group(1) + mask_name(inner) + m.group(3)

    return mask_log_text(_QUOTED_RE.sub(quoted, text))


def mask_platform_json(value: object) -> object:
    """``mask_platform_text`` on every string of a JSON value (problem details); keys and
    JSON pointers (``/applicant/certNo``) stay as they are."""
    if isinstance(value, str):
        return value if value.startswith("/") and " " not in value else mask_platform_text(value)
    if isinstance(value, list):
        return [mask_platform_json(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_platform_json(v) for k, v in value.items()}
    return value


class MaskingFilter(logging.Filter):
    """Last line of defence: masks ID/phone numbers in every record that reaches a handler.

    Code must still log masked values itself (names cannot be found by a pattern)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        masked = mask_log_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        # A traceback carries values too (an exception's message, a line of input).
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_log_text(record.exc_text)
        return True
