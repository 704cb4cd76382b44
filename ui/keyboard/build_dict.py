"""Build ``ui/keyboard/data/pinyin.txt.gz``, the keyboard's pinyin → hanzi table, from the
data the PyPI package pinyinIME ships (a frequency-ordered index built from Rime's
luna-pinyin dictionary and essay word frequencies).

A developer tool, run by hand when the table should change; the kiosk never runs it and
never downloads anything: the table ships in this package (no 15 MB pickle, 6.8 s and
+220 MB RSS at every start, which loading pinyinIME itself costs; see docs/kiosk-ui.md).

    .venv/bin/pip install 'pinyinIME==0.2.0'
    .venv/bin/python -m ui.keyboard.build_dict

Format, one line per syllable sequence, sorted: ``ni'hao<TAB>你好 12345,妳好 120,…``
(words by falling score; a score is comparable across lines).
"""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "data" / "pinyin.txt.gz"
MIN_WORD_SCORE = 200  # words (2+ syllables) below this are rare compounds and noise
MAX_SYLLABLES = 6  # nobody types a longer word in one go at a kiosk
MAX_WORDS_PER_KEY = 12
MAX_CHARS_PER_SYLLABLE = 400  # every GBK character of the syllable in practice


def _encodes(word: str, codec: str) -> bool:
    try:
        word.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _source() -> tuple[list[str], dict[Any, Any]]:
    import pinyinIME  # type: ignore[import-not-found]

    pkl = Path(pinyinIME.__file__).parent / "data" / ".pinyin_prism_table.pkl"
    with pkl.open("rb") as f:
        prism, table, _chars = pickle.load(f)  # noqa: S301 - a build-time tool, a pinned package
    syllables = [prism.syllable(i) for i in range(prism.syllable_count())]
    return syllables, table._root


def build() -> dict[str, list[tuple[str, int]]]:
    syllables, root = _source()
    out: dict[str, list[tuple[str, int]]] = {}

    def walk(node: dict[Any, Any], path: tuple[int, ...]) -> None:
        for k, v in node.items():
            if k == "_entries":
                key = "'".join(syllables[i] for i in path)
                if len(path) == 1:
                    # Single characters: simplified (GB2312) first, then the rest of GBK (rare
                    # name characters such as 堃 喆 婧); never a character outside GBK.
                    chars = [(e.word, e.score) for e in v if len(e.word) == 1
                             and _encodes(e.word, "gbk")]
                    chars.sort(key=lambda e: (not _encodes(e[0], "gb2312"), -e[1]))
                    words = chars[:MAX_CHARS_PER_SYLLABLE]
                else:
                    words = [(e.word, e.score) for e in v if e.score >= MIN_WORD_SCORE
                             and len(e.word) == len(path) and _encodes(e.word, "gb2312")]
                    words.sort(key=lambda e: -e[1])
                    words = words[:MAX_WORDS_PER_KEY]
                if words:
                    out[key] = words
            elif len(path) < MAX_SYLLABLES:
                walk(v, (*path, k))

    walk(root, ())
    return out


def main() -> None:
    table = build()
    lines = [f"{key}\t" + ",".join(f"{w} {s}" for w, s in words)
             for key, words in sorted(table.items())]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same table gives the same bytes (no spurious diff)
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{OUT}: {len(lines)} keys, {sum(len(w) for w in table.values())} words, "
          f"{OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
