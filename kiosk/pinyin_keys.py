"""Pinyin search keys of matter names (initials per character, full pinyin), computed in a
short-lived child process.

pypinyin's dictionaries cost ~50 MB of Python objects once imported (its phrase dictionary
and the segmentation set built from it) and ~0.6 s of CPU on the importing thread; the kiosk
needs them only to turn a few dozen matter names into search keys when the catalog loads. A
child process (``python -m kiosk.pinyin_keys``: texts as JSON on stdin, keys as JSON on
stdout) computes them and exits, so the kiosk's own process never holds the dictionaries
(issue #7: resident memory ≤ 300 MB) and its GIL never carries the import. Matter names and
keywords are public catalog data, not citizen data; nothing is written to disk. If the child
cannot run, the keys are computed in this process as before.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger("kiosk.pinyin_keys")

Keys = tuple[list[set[str]], str]  # possible initials of each character, full pinyin
CHILD_TIMEOUT_S = 60.0


def _each_char(text: str) -> Any:
    # pypinyin keeps one item per non-Han character when the callback returns a list.
    return list(text)


def keys_here(text: str) -> Keys:
    """The keys of one text, computed in this process (imports pypinyin)."""
    from pypinyin import Style, pinyin

    phrase = pinyin(text, style=Style.FIRST_LETTER, errors=_each_char)
    initials = []
    for ch, reading in zip(text, phrase, strict=False):
        each = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True, errors=_each_char)
        initials.append({s[0].lower() for s in reading + each[0] if s})
    full = "".join(s[0] for s in pinyin(text, style=Style.NORMAL, errors=_each_char)).lower()
    return initials, full


def _encode(keys: Keys) -> list[Any]:
    initials, full = keys
    return [["".join(sorted(s)) for s in initials], full]


def _decode(raw: Any) -> Keys:
    initials, full = raw
    return [set(s) for s in initials], str(full)


def compute(texts: Sequence[str]) -> dict[str, Keys]:
    """text → keys for every text, from one child process (or here if it fails)."""
    wanted = sorted(set(texts))
    if not wanted:
        return {}
    try:
        return _in_child(wanted)
    except Exception as exc:  # no interpreter to start, killed, broken output: do it here
        log.warning("pinyin keys computed in the kiosk process: %s", type(exc).__name__)
        return {t: keys_here(t) for t in wanted}


def _in_child(texts: list[str]) -> dict[str, Keys]:
    import subprocess

    root = str(Path(__file__).resolve().parent.parent)  # where the kiosk package is
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}
    done = subprocess.run([sys.executable, "-m", "kiosk.pinyin_keys"],
                          input=json.dumps(texts, ensure_ascii=False).encode("utf-8"),
                          capture_output=True, timeout=CHILD_TIMEOUT_S, env=env, check=True)
    answer = json.loads(done.stdout.decode("utf-8"))
    return {t: _decode(answer[t]) for t in texts}


def main() -> int:
    texts = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    answer = {t: _encode(keys_here(t)) for t in texts}
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
