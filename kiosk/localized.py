"""Catalog text in the citizen's language (contract: ``i18n`` on catalog objects, ``x-i18n``
on form-schema properties; docs/api/openapi.yaml, ``I18n``).

The Chinese members are the reference; ``i18n`` maps a BCP 47 tag to the same members
translated. A lookup tries the kiosk's language (``en``, ``en_US`` → ``en-US`` then ``en``)
and falls back to the Chinese member for anything missing, so a half-translated catalog
shows Chinese where it has to and never an empty label.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CHINESE = ("zh", "zh_CN", "zh-CN", "zh-Hans", "")


def tags(lang: str) -> tuple[str, ...]:
    """The tags to look under, most specific first; () for Chinese (the originals)."""
    if lang in CHINESE:
        return ()
    tag = lang.replace("_", "-")
    primary = tag.split("-", 1)[0]
    return (tag, primary) if primary != tag else (tag,)


def translation(obj: Mapping[str, Any] | None, key: str, lang: str,
                keyword: str = "i18n") -> Any:
    """``obj[keyword][tag][key]`` for the first of ``tags(lang)`` that has it, else None."""
    if not isinstance(obj, Mapping):
        return None
    texts = obj.get(keyword)
    if not isinstance(texts, Mapping):
        return None
    for tag in tags(lang):
        text = texts.get(tag)
        if not isinstance(text, Mapping):
            # Tags compare case-insensitively (en-gb = en-GB).
            text = next((v for k, v in texts.items()
                         if isinstance(k, str) and k.lower() == tag.lower()), None)
        if isinstance(text, Mapping):
            value = text.get(key)
            if value not in (None, "", []):
                return value
    return None


def text_in(obj: Mapping[str, Any] | None, key: str, lang: str, keyword: str = "i18n") -> str:
    """The member ``key`` of ``obj`` in ``lang``, else the Chinese one ('' if neither)."""
    value = translation(obj, key, lang, keyword)
    if isinstance(value, str):
        return value
    original = obj.get(key) if isinstance(obj, Mapping) else None
    return str(original) if original is not None else ""
