"""The matters catalog (事项目录) as the kiosk uses it: a local cache of the platform's matter
details, grouped for the touchscreen, and searched by Chinese text, pinyin (`gjj` → 公积金)
or the English text the catalog carries.

Matters are the contract's detail objects (``GET /matters/{implCode}``) kept as they are; this
module only reads them. The cache file lets the kiosk start and take applications offline.

At county scale (1,000–2,000 matters; bench/bench_catalog.py) three things keep the kiosk
quick and small:

- a matter keeps as objects only what lists and search need (code, names, category, theme);
  its detail (materials, form, conditions…) is kept as compressed JSON and parsed when a
  screen asks for it, the last few parsed ones kept (``DETAILS_KEPT``);
- a search index built once per catalog (``_Index``): every searchable text, full pinyin
  and pinyin-initials string of all matters in three strings, so a key on the letter pad is
  a few ``str.find`` calls instead of a Python loop over every matter;
- pinyin keys, which take a child process ~3 ms per matter to compute, are cached beside the
  catalog file (``catalog.keys.json``) and reused for every matter whose text did not change.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import zlib
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.localized import text_in, translation

PERSONAL = "PERSONAL"  # 个人办事
LEGAL = "CORPORATE"  # 法人办事

log = logging.getLogger("kiosk.catalog")


@dataclass(frozen=True)
class Material:
    code: str
    name: str
    required: bool
    exemption: Mapping[str, Any] | None
    note: str = ""
    max_pages: int = 0  # 0: the kiosk's default limit
    i18n: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # 告知承诺制: may be replaced by the applicant's signed promise, with this 承诺书 text
    promisable: bool = False
    promise_text: str = ""

    @property
    def exempt_by_default(self) -> bool:
        """The platform may satisfy it through 电子证照 or data sharing (免交)."""
        return bool(self.exemption)

    def name_in(self, lang: str) -> str:
        """The name in ``lang`` (``en``…), the Chinese name when the catalog has none."""
        return _member(self.i18n, "name", lang) or self.name

    def note_in(self, lang: str) -> str:
        return _member(self.i18n, "usageNote", lang) or self.note

    def promise_text_in(self, lang: str) -> str:
        """The 承诺书 text to read in ``lang``; the signed document keeps the Chinese."""
        return _member(self.i18n, "promiseText", lang) or self.promise_text


def _member(i18n: Mapping[str, Any], key: str, lang: str) -> str:
    value = translation({"i18n": i18n}, key, lang)
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class FeeItem:
    """One fee of a matter (收费项目): amount in fen (分)."""

    name: str
    amount_fen: int
    unit: str = ""
    i18n: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def name_in(self, lang: str) -> str:
        return _member(self.i18n, "name", lang) or self.name

    def unit_in(self, lang: str) -> str:
        return (_member(self.i18n, "unit", lang) or self.unit) if self.unit else ""


def yuan(fen: int) -> str:
    """8000 → '80', 1050 → '10.50' (元, as halls write fees)."""
    whole, cents = divmod(int(fen), 100)
    return f"{whole}" if not cents else f"{whole}.{cents:02d}"


@dataclass(frozen=True)
class MatterText:
    """A matter's text in one language, each member falling back to the Chinese."""

    name: str
    category_name: str
    theme: str
    conditions: str
    department: str
    other_departments: tuple[str, ...]
    charge: str


# A matter's pinyin keys: the possible initials of each character (a polyphone gives
# several: "fp"), separated by SEP, and the full pinyin. Two strings per matter, so 2,000
# matters' keys are 4,000 objects, not 100,000.
Keys = tuple[str, str]
SEP = "\x1f"

DETAILS_KEPT = 16  # parsed details kept (the chosen matter, the ones just looked at)
_details_lock = threading.Lock()
_details_held: deque[Matter] = deque()


class Matter:
    """One matter. ``raw`` is its detail object as the platform sent it (parsed on demand)."""

    __slots__ = ("code", "name", "version", "category", "theme", "is_bundle", "kiosk_devices",
                 "_i18n", "_blob", "_raw", "_search_text", "_keys")

    def __init__(self, raw: Mapping[str, Any], *, _json: bytes | None = None) -> None:
        self.code = str(raw["implCode"])
        self.name = str(raw.get("name", ""))
        self.version = str(raw.get("version") or "")
        self.category = _category(raw)
        self.theme = _theme(raw)
        self.is_bundle = bool(raw.get("bundle"))
        # The devices the kiosk needs to offer it (contract KioskDevice; kiosk.availability).
        devices = raw.get("kioskDevices")
        self.kiosk_devices: tuple[str, ...] = tuple(
            str(d) for d in devices) if isinstance(devices, list | tuple) else ()
        # What lists and search show in other languages: tag → {name, theme, keywords…}.
        i18n = raw.get("i18n")
        self._i18n: dict[str, dict[str, Any]] = {
            str(tag): {k: text[k] for k in ("name", "theme", "categoryName", "keywords")
                       if k in text}
            for tag, text in (i18n.items() if isinstance(i18n, Mapping) else ())
            if isinstance(text, Mapping)}
        if _json is None:
            _json = _compact_json(raw)
        self._blob = zlib.compress(_json, 1)  # level 1: 5 % larger than 6, twice as fast
        self._raw: Mapping[str, Any] | None = None
        keywords = raw.get("keywords") or []
        self._search_text = self.name + "".join(
            str(k) for k in keywords if isinstance(keywords, list))
        self._keys: Keys | None = None

    def __repr__(self) -> str:
        return f"Matter({self.code!r}, {self.name!r})"

    @property
    def raw(self) -> Mapping[str, Any]:
        with _details_lock:
            raw = self._raw
            if raw is None:
                raw = json.loads(zlib.decompress(self._blob))
                self._raw = raw
                _details_held.append(self)
                if len(_details_held) > DETAILS_KEPT:
                    _details_held.popleft()._raw = None
            return raw

    def head(self) -> dict[str, Any]:
        """The members ``Matter(head, _json=detail)`` reads: a matter rebuilt from them and
        its detail JSON without parsing the detail."""
        return {"implCode": self.code, "name": self.name, "version": self.version,
                "category": self.category, "theme": self.theme, "bundle": self.is_bundle,
                "kioskDevices": list(self.kiosk_devices),
                "i18n": self._i18n,
                # The keywords as search reads them (joined: the same search text).
                "keywords": [self._search_text[len(self.name):]]}

    @property
    def json_bytes(self) -> bytes:
        """The detail object as compact JSON (what the cache file holds)."""
        return zlib.decompress(self._blob)

    # -- text in the citizen's language --

    def name_in(self, lang: str) -> str:
        """The name in ``lang`` (``en``…), the Chinese name when the catalog has none; needs
        no detail (for lists of many matters)."""
        return self._short(lang, "name") or self.name

    def theme_in(self, lang: str) -> str:
        return self._short(lang, "theme") or self.theme

    def _short(self, lang: str, key: str) -> str:
        value = translation({"i18n": self._i18n}, key, lang)
        return value if isinstance(value, str) else ""

    def text(self, lang: str) -> MatterText:
        """Everything a screen says about the matter, in ``lang`` where the catalog has it."""
        raw = self.raw
        return MatterText(
            name=self.name_in(lang),
            category_name=self._short(lang, "categoryName") or str(raw.get("categoryName", "")),
            theme=self.theme_in(lang),
            conditions=self._conditions(lang),
            department=self._department(lang),
            other_departments=tuple(text_in(d, "name", lang) for d in self._others()),
            charge=text_in(raw.get("charge") if isinstance(raw.get("charge"), Mapping) else None,
                           "description", lang))

    # -- the detail --

    @property
    def materials(self) -> tuple[Material, ...]:
        out = []
        for m in self.raw.get("materials") or ():
            out.append(Material(code=str(m["materialCode"]), name=str(m.get("name", "")),
                                required=bool(m.get("required", True)),
                                exemption=m.get("exemption") or None,
                                note=str(m.get("usageNote") or ""),
                                max_pages=_positive_int(m.get("maxPages")),
                                i18n=m.get("i18n") if isinstance(m.get("i18n"), Mapping)
                                else {},
                                promisable=bool(m.get("promisable")),
                                promise_text=str(m.get("promiseText") or "")))
        return tuple(out)

    @property
    def form_schema(self) -> Mapping[str, Any]:
        return self.raw.get("formSchema") or {"type": "object", "properties": {}}

    @property
    def face_check(self) -> str:
        """The matter's own 人证比对 level: "off" | "optional" | "required"."""
        level = str(self.raw.get("faceCheck") or "OFF").lower()
        return level if level in ("off", "optional", "required") else "off"

    @property
    def delivery_modes(self) -> tuple[str, ...]:
        return tuple(self.raw.get("deliveryModes") or ("WINDOW_PICKUP",))

    @property
    def promised_days(self) -> str:
        """'5 WORKDAY' style text of the promised time limit, '' for instant matters."""
        limit = (self.raw.get("timeLimits") or {}).get("promised") or {}
        if not limit:
            return ""
        return f"{limit.get('value', '')} {limit.get('unit', '')}".strip()

    @property
    def legal_days(self) -> str:
        """'20 WORKDAY' style text of the legal time limit (法定时限), '' when none."""
        limit = (self.raw.get("timeLimits") or {}).get("legal") or {}
        if not limit:
            return ""
        return f"{limit.get('value', '')} {limit.get('unit', '')}".strip()

    # -- fees (统一公共支付) and what the guide states --

    def _charge(self) -> Mapping[str, Any]:
        charge = self.raw.get("charge")
        return charge if isinstance(charge, Mapping) else {}

    @property
    def fee_items(self) -> tuple[FeeItem, ...]:
        out = []
        for item in self._charge().get("items") or ():
            if isinstance(item, Mapping) and isinstance(item.get("amountFen"), int):
                i18n = item.get("i18n")
                out.append(FeeItem(str(item.get("name", "")), int(item["amountFen"]),
                                   str(item.get("unit") or ""),
                                   i18n if isinstance(i18n, Mapping) else {}))
        return tuple(out)

    @property
    def fee_fen(self) -> int:
        """What is paid for one application, in fen (0: free)."""
        return sum(i.amount_fen for i in self.fee_items)

    @property
    def pays_at_kiosk(self) -> bool:
        """A fee the citizen pays at the kiosk with the phone (统一公共支付)."""
        return self.fee_fen > 0 and bool(self._charge().get("payAtKiosk", True))

    @property
    def pay_later_allowed(self) -> bool:
        """The citizen may pay at the window instead (先受理后缴费)."""
        return bool(self._charge().get("payLater"))

    @property
    def legal_basis(self) -> str:
        return str(self.raw.get("legalBasis") or "")

    def legal_basis_in(self, lang: str) -> str:
        return text_in(self.raw, "legalBasis", lang) if self.legal_basis else ""

    def originals_check_in(self, lang: str) -> str:
        """Where originals are checked (the catalog's ``originalsCheck``), '' when not said."""
        return text_in(self.raw, "originalsCheck", lang) if self.raw.get("originalsCheck") \
            else ""

    @property
    def conditions(self) -> str:
        return self._conditions("zh_CN")

    def _conditions(self, lang: str) -> str:
        raw = self.raw
        for key in ("conditions", "acceptConditions", "description"):
            value = raw.get(key)
            if isinstance(value, str) and value:
                return text_in(raw, key, lang)
            if isinstance(value, list) and value:
                translated = translation(raw, key, lang)
                lines = translated if isinstance(translated, list) else value
                return "\n".join(str(v) for v in lines)
        return ""

    @property
    def department(self) -> str:
        """The lead department (并联审批: the one that collects the others' results)."""
        return self._department("zh_CN")

    def _department(self, lang: str) -> str:
        raw = self.raw
        for dept in raw.get("departments") or ():
            if isinstance(dept, Mapping) and dept.get("role", "LEAD") == "LEAD":
                return text_in(dept, "name", lang)
        body = raw.get("implementingBody") or {}
        return text_in(body, "name", lang) if isinstance(body, Mapping) else ""

    @property
    def other_departments(self) -> list[str]:
        return [str(d.get("name", "")) for d in self._others()]

    def _others(self) -> list[Mapping[str, Any]]:
        return [d for d in self.raw.get("departments") or ()
                if isinstance(d, Mapping) and d.get("role", "LEAD") != "LEAD"]

    # -- search --

    def _search_text_other(self) -> str:
        """Names and keywords in the catalog's other languages, lower case and without
        spaces, as queries are (``provident fund`` → ``providentfund``)."""
        parts = []
        for text in self._i18n.values():
            parts.append(str(text.get("name", "")))
            words = text.get("keywords")
            if isinstance(words, list):
                parts += [str(w) for w in words]
        return "\x01".join(_normal(p) for p in parts)

    def keys(self) -> Keys:
        """Pinyin initials of each character (SEP between characters) and the full pinyin.
        Catalog.warm() sets them (cache file or one child process); computed here otherwise."""
        if self._keys is None:
            from kiosk.pinyin_keys import keys_here  # imports pypinyin into this process

            self._keys = _compact(keys_here(self._search_text))
        return self._keys

    def matches(self, query: str) -> bool:
        q = _normal(query)
        if not q:
            return True
        if q in self._search_text.lower() or q in self._search_text_other():
            return True
        if q.isascii() and q.isalpha():
            initials, full = self.keys()
            return _initials_contain(initials.split(SEP), q) or q in full
        return False


def _category(raw: Mapping[str, Any]) -> str:
    """个人办事 (PERSONAL) or 法人办事 (CORPORATE): the catalog's own split, else derived from
    the first service object."""
    value = raw.get("category")
    if value in (PERSONAL, LEGAL):
        return str(value)
    objects = raw.get("serviceObjects") or ("NATURAL_PERSON",)
    return PERSONAL if objects[0] == "NATURAL_PERSON" else LEGAL


def _theme(raw: Mapping[str, Any]) -> str:
    """The life-event theme (生育, 住房…) when the catalog gives one."""
    for key in ("theme", "themeName"):
        value = raw.get(key)
        if isinstance(value, str) and value:
            return value
    themes = raw.get("themes")
    if isinstance(themes, list) and themes:
        return str(themes[0])
    return ""


def _positive_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _normal(query: str) -> str:
    return "".join(query.split()).lower()


def _compact(keys: tuple[Sequence[Iterable[str]], str]) -> Keys:
    initials, full = keys
    return SEP.join("".join(sorted(s)) for s in initials), str(full)


def _initials_contain(initials: Sequence[str], q: str) -> bool:
    n = len(q)
    for start in range(len(initials) - n + 1):
        if all(q[i] in initials[start + i] for i in range(n)):
            return True
    return False


GRAM = 3  # initials n-grams indexed: 1 to GRAM letters


class _Corpus:
    """Texts joined into one string; ``find`` adds the indexes of those containing q."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.starts: list[int] = []
        at = 0
        for text in texts:
            self.starts.append(at)
            at += len(text) + 1
        self.text = "\x00".join(texts)

    def find(self, q: str, into: set[int]) -> None:
        text, starts = self.text, self.starts
        pos = text.find(q)
        while pos != -1:
            i = bisect_right(starts, pos) - 1
            into.add(i)
            if i + 1 >= len(starts):
                break
            pos = text.find(q, starts[i + 1])  # the next text: one hit per text is enough


def _grams(initials: Sequence[str]) -> set[str]:
    """Every string of 1 to GRAM initials a run of characters can be typed as (each
    polyphone gives each of its initials)."""
    letters = ["".join(c for c in s if "a" <= c <= "z") for s in initials]
    out: set[str] = set()
    for start in range(len(letters)):
        prefixes = [""]
        for k in range(start, min(start + GRAM, len(letters))):
            if not letters[k]:
                break
            prefixes = [p + c for p in prefixes for c in letters[k]]
            out.update(prefixes)
    return out


def _bitmap(indexes: list[int], size: int) -> int:
    data = bytearray((size + 7) // 8)
    for i in indexes:
        data[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(data, "little")


def _set_bits(bits: int, size: int, into: set[int]) -> None:
    for byte_at, value in enumerate(bits.to_bytes((size + 7) // 8, "little")):
        if value:
            base = byte_at << 3
            into.update(base + k for k in range(8) if value >> k & 1)


class _Index:
    """Search over every matter, built once per catalog: the texts (Chinese, other
    languages) and the full pinyin in one string each, and the pinyin initials as n-grams →
    bitmap of the matters that contain them (polyphones give every reading)."""

    def __init__(self, matters: Sequence[Matter]) -> None:
        self.size = len(matters)
        self.texts = _Corpus([m._search_text.lower() + "\x01" + m._search_text_other()
                              for m in matters])
        self.full = _Corpus([m.keys()[1] for m in matters])
        postings: dict[str, list[int]] = {}
        for i, m in enumerate(matters):
            for gram in _grams(m.keys()[0].split(SEP)):
                postings.setdefault(gram, []).append(i)
        self.grams = {g: _bitmap(idx, self.size) for g, idx in postings.items()}

    def find(self, q: str, matters: Sequence[Matter]) -> list[int]:
        hits: set[int] = set()
        self.texts.find(q, hits)
        if q.isascii() and q.isalpha():
            self.full.find(q, hits)
            bits = -1
            for k in range(max(1, len(q) - GRAM + 1)):
                bits &= self.grams.get(q[k:k + GRAM], 0)
                if not bits:
                    break
            if bits:
                found: set[int] = set()
                _set_bits(bits, self.size, found)
                if len(q) > GRAM:  # every run of GRAM letters is there: check them in order
                    found = {i for i in found
                             if _initials_contain(matters[i].keys()[0].split(SEP), q)}
                hits |= found
        return sorted(hits)


class Catalog:
    """The matters the kiosk offers, in the platform's order."""

    def __init__(self, matters: Iterable[Mapping[str, Any] | Matter], etag: str = "") -> None:
        self._matters = [m if isinstance(m, Matter) else Matter(m) for m in matters]
        self._by_code = {m.code: m for m in self._matters}
        self.etag = etag
        self._index: _Index | None = None
        self._index_lock = threading.Lock()
        self._by_category: dict[str, list[Matter]] = {}
        for m in self._matters:
            self._by_category.setdefault(m.category, []).append(m)
        self._cache_path: Path | None = None
        # The distinct (``kioskDevices``, ``faceCheck``) of its matters: whether any matter
        # can be done with the devices usable now is a few checks, not one per matter.
        self.device_sets: tuple[tuple[tuple[str, ...], str], ...] = tuple(
            dict.fromkeys((m.kiosk_devices, m.face_check) for m in self._matters))

    def __len__(self) -> int:
        return len(self._matters)

    def warm(self) -> Catalog:
        """Compute the pinyin of every matter now (off the GUI thread), so the first search
        on the touchscreen does not wait for it: taken from the keys file beside the cache
        file where the text is unchanged, the rest in one child process, so that pypinyin's
        ~50 MB of dictionaries never load into the kiosk (kiosk/pinyin_keys.py). Then the
        search index is built."""
        from kiosk.pinyin_keys import compute

        if self._cache_path is not None:
            self._adopt_keys(_read_keys(_keys_path(self._cache_path)))
        cold = [m for m in self._matters if m._keys is None]
        if cold:
            keys = compute([m._search_text for m in cold])
            for m in cold:
                m._keys = _compact(keys[m._search_text])
            if self._cache_path is not None:
                self._write_keys(self._cache_path)
        self._built_index()
        return self

    def _built_index(self) -> _Index:
        with self._index_lock:
            if self._index is None:
                self._index = _Index(self._matters)
            return self._index

    def all(self) -> list[Matter]:
        return list(self._matters)

    def get(self, code: str) -> Matter | None:
        return self._by_code.get(code)

    def search(self, query: str = "", category: str | None = None,
               theme: str | None = None) -> list[Matter]:
        q = _normal(query)
        if q:
            found = [self._matters[i] for i in self._built_index().find(q, self._matters)]
        else:
            found = self._matters if category is None else self._by_category.get(category, [])
        return [m for m in found
                if (category is None or m.category == category)
                and (theme is None or m.theme == theme)]

    def themes(self, category: str | None = None) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.search(category=category):
            if m.theme:
                seen.setdefault(m.theme, None)
        return list(seen)

    def theme_in(self, theme: str, lang: str) -> str:
        """A theme's name in ``lang``, from the first matter that translates it."""
        for m in self._matters:
            if m.theme == theme:
                text = m.theme_in(lang)
                if text != theme:
                    return text
        return theme

    # -- the cache file: written atomically, so a power cut never leaves half a catalog --
    # One line of JSON for the catalog, then one per matter: what lists and search need, a
    # tab, the detail as the platform sent it (loading parses the first part only and keeps
    # the detail compressed); pinyin keys in catalog.keys.json beside it.

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        head = {"etag": self.etag, "format": 2, "count": len(self._matters)}
        _atomic_write(path, b"\n".join(
            [json.dumps(head, ensure_ascii=False).encode("utf-8")]
            + [_compact_json(m.head()) + b"\t" + m.json_bytes for m in self._matters])
            + b"\n")
        self._cache_path = path
        self._adopt_keys(_read_keys(_keys_path(path)))
        if any(m._keys is not None for m in self._matters):
            self._write_keys(path)

    @classmethod
    def load(cls, path: Path) -> Catalog | None:
        """The cached catalog, or None when there is none or it is unreadable."""
        try:
            with path.open("rb") as f:
                first = f.readline()
                head = json.loads(first)
                if isinstance(head, dict) and head.get("format") == 2:
                    matters = []
                    for line in f:
                        if line.strip():
                            short, _, detail = line.rstrip(b"\n").partition(b"\t")
                            matters.append(Matter(json.loads(short), _json=detail))
                    if len(matters) != head.get("count"):
                        return None  # cut short
                    catalog = cls(matters, etag=str(head.get("etag", "")))
                else:  # the first format: one JSON object
                    data = json.loads(first + f.read())
                    catalog = cls(data["matters"], etag=str(data.get("etag", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        catalog._cache_path = path
        catalog._adopt_keys(_read_keys(_keys_path(path)))
        return catalog

    def _adopt_keys(self, known: Mapping[str, Keys]) -> None:
        for m in self._matters:
            if m._keys is None:
                m._keys = known.get(m._search_text)

    def _write_keys(self, path: Path) -> None:
        keys = {m._search_text: [m._keys[0].split(SEP), m._keys[1]]
                for m in self._matters if m._keys is not None}
        try:
            _atomic_write(_keys_path(path),
                          json.dumps({"format": 1, "keys": keys}, ensure_ascii=False)
                          .encode("utf-8"))
        except OSError:
            log.warning("the catalog's pinyin keys could not be cached")


def _keys_path(path: Path) -> Path:
    return path.with_name(path.stem + ".keys.json")


def _read_keys(path: Path) -> dict[str, Keys]:
    """search text → keys from the keys file ({} when missing or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(text): (SEP.join(str(s) for s in initials), str(full))
                for text, (initials, full) in data["keys"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- fetching from the platform --


PAGE = 100  # matters per listing or detail page (the contract's maximum)


def fetch_catalog(client: Any, cached: Catalog | None = None) -> Catalog | None:
    """The whole catalog from the platform, or None when it cannot be reached (the caller
    keeps its cached one). The summaries are listed page by page; a matter whose listed
    ``version`` is the cached one's is taken from ``cached``; the others come one request
    each, or, when that would take more requests than the whole catalog in full pages
    (``GET /matter-details``: a first start, a new catalog), from those pages. At county
    scale (2,000 matters): 40 requests on a first start instead of 2,020; 20 with a current
    cache."""
    try:
        listed: list[tuple[str, str]] = []
        page = 1
        while True:
            listing = client.list_matters(page=page, page_size=PAGE).json
            listed += [(str(m["implCode"]), str(m.get("version", ""))) for m in listing["items"]]
            if len(listed) >= listing["total"] or not listing["items"]:
                break
            page += 1

        def unchanged(code: str, version: str) -> Matter | None:
            old = cached.get(code) if cached is not None else None
            return old if old is not None and version and old.version == version else None

        changed = sum(1 for code, version in listed if unchanged(code, version) is None)
        full = _detail_pages(client) if changed > -(-len(listed) // PAGE) else None
        # Fetched matters are kept as compact JSON until all are in, then turned into
        # Matters in one go: their long-lived small objects then share memory pages instead
        # of being scattered among each answer's garbage (measured: RSS +56 MB → see
        # bench/bench_catalog.py, 2,000 matters).
        kept: list[Matter | bytes] = []
        for code, version in listed:
            old = unchanged(code, version)
            if old is not None:
                kept.append(old)
            elif full is not None and code in full:
                kept.append(full[code])
            else:
                kept.append(_compact_json(client.get_matter(code).json))
        catalog_version = str(listing.get("catalogVersion", ""))
    except Exception as exc:  # unreachable platform: the cached catalog is used
        log.warning("catalog not fetched: %s", type(exc).__name__)
        return None
    return Catalog((m if isinstance(m, Matter) else Matter(json.loads(m), _json=m)
                    for m in kept), etag=catalog_version)


def _detail_pages(client: Any) -> dict[str, bytes] | None:
    """implCode → compact JSON of every matter, from ``GET /matter-details``; None when the
    platform does not offer it (404: one request per matter instead)."""
    from kiosk.api.errors import ApiError

    out: dict[str, bytes] = {}
    page = 1
    while True:
        try:
            answer = client.list_matter_details(page=page, page_size=PAGE).json
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise
        for matter in answer["items"]:
            out[str(matter["implCode"])] = _compact_json(matter)
        if len(out) >= answer["total"] or not answer["items"]:
            return out
        page += 1


def _compact_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
