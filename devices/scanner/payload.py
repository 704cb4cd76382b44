"""Bytes of a scanned code → text.

QR codes carry no charset unless they have an ECI; Chinese payloads are UTF-8 or GBK/GB18030
(research/devices.md §3.5). Order: UTF-8; then the image decoder's own reading when it found
an ECI or Japanese kana (Shift-JIS, which zxing-cpp detects); then GB18030; then Latin-1
(never fails, keeps every byte visible).
"""

from __future__ import annotations

import re

_KANA = re.compile(r"[\u3040-\u30ff\uff61-\uff9f]")


def decode_payload(raw: bytes, decoder_text: str | None = None, has_eci: bool = False) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if decoder_text is not None and (has_eci or _KANA.search(decoder_text)):
        return decoder_text
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        pass
    return decoder_text if decoder_text is not None else raw.decode("latin-1")
