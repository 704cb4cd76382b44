"""Pinyin → hanzi candidates for the on-screen keyboard (pure Python, no Qt).

The table (``data/pinyin.txt.gz``, built by ``ui/keyboard/build_dict.py`` from the data of the
PyPI package pinyinIME) maps a syllable sequence to words by falling frequency. It is read
once per process, on first use (~0.3 s, ~35 MB), and holds no typed text.

``PinyinComposer`` is the state of one word being typed: the letters (never logged, dropped
by ``clear()``), the parts already chosen (张 of 张三 while ``san`` is still open) and the
candidates. A partial last syllable works as an abbreviation (``nih`` → 你好, ``beij`` → 北京).
"""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass, field
from pathlib import Path

TABLE_PATH = Path(__file__).resolve().parent / "data" / "pinyin.txt.gz"
MAX_LETTERS = 32  # a kiosk field's word; keeps segmentation bounded
MAX_SEGMENTATIONS = 64
MAX_CANDIDATES = 120


class PinyinTable:
    def __init__(self, path: Path = TABLE_PATH) -> None:
        # key -> the raw "word score,word score" string; parsed per lookup (half the memory
        # of parsed lists, and a lookup parses a few hundred bytes). Line by line, not one
        # big split: a load on a worker thread then never holds the GIL for long.
        self._rows: dict[str, str] = {}
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                key, tab, words = line.rstrip("\n").partition("\t")
                if tab:
                    self._rows[key] = words
        self.syllables: frozenset[str] = frozenset(k for k in self._rows if "'" not in k)
        self._by_prefix: dict[str, list[str]] = {}
        for syl in sorted(self.syllables):
            for n in range(1, len(syl) + 1):
                self._by_prefix.setdefault(syl[:n], []).append(syl)
        self.longest = max(len(s) for s in self.syllables)

    def words(self, syllables: tuple[str, ...]) -> list[tuple[str, int]]:
        row = self._rows.get("'".join(syllables))
        if not row:
            return []
        out = []
        for item in row.split(","):
            word, _, score = item.rpartition(" ")
            out.append((word, int(score)))
        return out

    def completions(self, prefix: str) -> list[str]:
        """Syllables that start with ``prefix`` (``zh`` → zha, zhai, …)."""
        return self._by_prefix.get(prefix, [])


_TABLE: PinyinTable | None = None
_LOCK = threading.Lock()


def table() -> PinyinTable:
    """The process-wide table (read-only), loaded on first use."""
    global _TABLE
    with _LOCK:
        if _TABLE is None:
            _TABLE = PinyinTable()
        return _TABLE


def preload() -> None:
    """Load the table on a worker thread (once), so the first letter typed does not wait."""
    if _TABLE is None and not _LOCK.locked():
        threading.Thread(target=table, name="pinyin-table", daemon=True).start()


@dataclass(frozen=True)
class Candidate:
    text: str
    consumed: int  # letters of the input this candidate stands for


Piece = tuple[str, int]  # (syllable or syllable prefix, end index in the input)


def segmentations(letters: str, t: PinyinTable) -> tuple[list[list[Piece]], bool]:
    """All ways to cut ``letters`` into syllables (``'`` forces a cut). When none covers the
    whole input, the last piece may be the start of a syllable; the flag says so."""
    full: list[list[Piece]] = []

    def walk(i: int, pieces: list[Piece], partial_ok: bool, out: list[list[Piece]]) -> None:
        if len(out) >= MAX_SEGMENTATIONS:
            return
        while i < len(letters) and letters[i] == "'":
            i += 1
        if i == len(letters):
            if pieces:
                out.append(list(pieces))
            return
        end = letters.find("'", i)
        end = len(letters) if end < 0 else end
        found = False  # a syllable covers this chunk's whole rest
        for n in range(min(t.longest, end - i), 0, -1):
            syl = letters[i:i + n]
            if syl in t.syllables:
                found = found or i + n == end
                pieces.append((syl, i + n))
                walk(i + n, pieces, partial_ok, out)
                pieces.pop()
        rest = letters[i:end]
        if partial_ok and end == len(letters) and not found and t.completions(rest):
            out.append([*pieces, (rest, end)])

    walk(0, [], False, full)
    if full:
        return full, False
    partial: list[list[Piece]] = []
    walk(0, [], True, partial)
    return partial, True


def candidates(letters: str, t: PinyinTable) -> list[Candidate]:
    """Words for the whole input first (most frequent first), then words for its start (longer
    first), then single characters of the first syllable."""
    letters = letters[:MAX_LETTERS]
    segs, partial = segmentations(letters, t)
    whole: list[tuple[int, str]] = []
    starts: dict[int, list[tuple[int, str]]] = {}
    for seg in segs:
        sylls = tuple(s for s, _ in seg)
        if partial:
            for last in t.completions(sylls[-1])[:24]:
                whole.extend((score, w) for w, score in t.words((*sylls[:-1], last)))
        else:
            whole.extend((score, w) for w, score in t.words(sylls))
        full_pieces = seg[:-1]
        for k in range(len(full_pieces), 0, -1):
            consumed = full_pieces[k - 1][1]
            starts.setdefault(consumed, []).extend(
                (score, w) for w, score in t.words(tuple(s for s, _ in full_pieces[:k])))
    out: list[Candidate] = []
    seen: set[tuple[str, int]] = set()

    def add(items: list[tuple[int, str]], consumed: int) -> None:
        for _score, word in sorted(items, key=lambda x: -x[0]):
            if (word, consumed) not in seen and len(out) < MAX_CANDIDATES:
                seen.add((word, consumed))
                out.append(Candidate(word, consumed))

    add(whole, len(letters))
    for consumed in sorted(starts, reverse=True):
        add(starts[consumed], consumed)
    return out


@dataclass
class PinyinComposer:
    """One word being typed on the Pinyin layout."""

    letters: str = ""
    chosen: list[tuple[str, str]] = field(default_factory=list)  # (hanzi, the letters it took)
    _cands: list[Candidate] | None = None

    @property
    def active(self) -> bool:
        return bool(self.letters or self.chosen)

    def type(self, ch: str) -> None:
        if len(self.letters) < MAX_LETTERS:
            self.letters += ch
            self._cands = None

    def backspace(self) -> bool:
        """Removes one letter (or un-chooses the last chosen part); False when nothing is
        being composed (the key then goes to the field)."""
        if self.letters:
            self.letters = self.letters[:-1]
        elif self.chosen:
            _, self.letters = self.chosen.pop()
        else:
            return False
        self._cands = None
        return True

    def candidates(self) -> list[Candidate]:
        if self._cands is None:
            self._cands = candidates(self.letters, table()) if self.letters else []
        return self._cands

    def choose(self, index: int) -> str | None:
        """Take candidate ``index``; returns the text to commit once the whole input is
        converted, else None (the rest stays open: 张 chosen, ``san`` left)."""
        cands = self.candidates()
        if not 0 <= index < len(cands):
            return None
        c = cands[index]
        self.chosen.append((c.text, self.letters[:c.consumed]))
        self.letters = self.letters[c.consumed:].lstrip("'")
        self._cands = None
        if self.letters:
            return None
        return self.take()

    def take(self) -> str:
        """Everything composed so far, hanzi chosen plus letters still open, and clear."""
        text = "".join(h for h, _ in self.chosen) + self.letters
        self.clear()
        return text

    def preedit(self) -> str:
        """What the candidate bar shows: chosen hanzi, then the open letters split into
        syllables (``zhang'san``)."""
        shown = self.letters
        if self.letters:
            segs, _ = segmentations(self.letters, table())
            if segs:
                shown = "'".join(s for s, _ in min(segs, key=len))
        return "".join(h for h, _ in self.chosen) + shown

    def clear(self) -> None:
        self.letters = ""
        self.chosen = []
        self._cands = None
