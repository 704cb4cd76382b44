"""The matters catalog (事项目录) as the kiosk uses it: a local cache of the platform's matter
details, grouped for the touchscreen, and searched by Chinese text or pinyin (`gjj` → 公积金).

Matters are the contract's detail objects (``GET /matters/{implCode}``) kept as they are; this
module only reads them. The cache file lets the kiosk start and take applications offline.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

PERSONAL = "PERSONAL"  # 个人办事
LEGAL = "CORPORATE"  # 法人办事


@dataclass(frozen=True)
class Material:
    code: str
    name: str
    required: bool
    exemption: Mapping[str, Any] | None
    note: str = ""
    max_pages: int = 0  # 0: the kiosk's default limit

    @property
    def exempt_by_default(self) -> bool:
        """The platform may satisfy it through 电子证照 or data sharing (免交)."""
        return bool(self.exemption)


@dataclass(frozen=True)
class Matter:
    raw: Mapping[str, Any] = field(repr=False)

    @property
    def code(self) -> str:
        return str(self.raw["implCode"])

    @property
    def name(self) -> str:
        return str(self.raw.get("name", ""))

    @property
    def category(self) -> str:
        """个人办事 (PERSONAL) or 法人办事 (CORPORATE): the catalog's own split, else derived
        from the first service object."""
        value = self.raw.get("category")
        if value in (PERSONAL, LEGAL):
            return str(value)
        objects = self.raw.get("serviceObjects") or ("NATURAL_PERSON",)
        return PERSONAL if objects[0] == "NATURAL_PERSON" else LEGAL

    @property
    def theme(self) -> str:
        """The life-event theme (生育, 住房…) when the catalog gives one."""
        for key in ("theme", "themeName"):
            value = self.raw.get(key)
            if isinstance(value, str) and value:
                return value
        themes = self.raw.get("themes")
        if isinstance(themes, list) and themes:
            return str(themes[0])
        return ""

    @property
    def is_bundle(self) -> bool:
        """一件事: several matters handled as one application."""
        return bool(self.raw.get("bundle"))

    @property
    def materials(self) -> tuple[Material, ...]:
        out = []
        for m in self.raw.get("materials") or ():
            out.append(Material(code=str(m["materialCode"]), name=str(m.get("name", "")),
                                required=bool(m.get("required", True)),
                                exemption=m.get("exemption") or None,
                                note=str(m.get("usageNote") or ""),
                                max_pages=_positive_int(m.get("maxPages"))))
        return tuple(out)

    @property
    def form_schema(self) -> Mapping[str, Any]:
        return self.raw.get("formSchema") or {"type": "object", "properties": {}}

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
    def conditions(self) -> str:
        for key in ("conditions", "acceptConditions", "description"):
            value = self.raw.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, list) and value:
                return "\n".join(str(v) for v in value)
        return ""

    @property
    def department(self) -> str:
        """The lead department (并联审批: the one that collects the others' results)."""
        for dept in self.raw.get("departments") or ():
            if isinstance(dept, Mapping) and dept.get("role", "LEAD") == "LEAD":
                return str(dept.get("name", ""))
        body = self.raw.get("implementingBody") or {}
        return str(body.get("name", "")) if isinstance(body, Mapping) else ""

    @property
    def other_departments(self) -> list[str]:
        return [str(d.get("name", "")) for d in self.raw.get("departments") or ()
                if isinstance(d, Mapping) and d.get("role", "LEAD") != "LEAD"]

    @cached_property
    def _initials(self) -> list[set[str]]:
        """Possible pinyin initials of each character (polyphones give several). Catalog.warm()
        fills this and ``_full_pinyin`` from a child process; computed here otherwise."""
        return self._keys[0]

    @cached_property
    def _full_pinyin(self) -> str:
        return self._keys[1]

    @cached_property
    def _keys(self) -> tuple[list[set[str]], str]:
        from kiosk.pinyin_keys import keys_here  # imports pypinyin into this process

        return keys_here(self._search_text)

    @cached_property
    def _search_text(self) -> str:
        keywords = self.raw.get("keywords") or []
        return self.name + "".join(str(k) for k in keywords if isinstance(keywords, list))

    def matches(self, query: str) -> bool:
        q = "".join(query.split()).lower()
        if not q:
            return True
        if q in self._search_text.lower():
            return True
        if q.isascii() and q.isalpha():
            return _initials_contain(self._initials, q) or q in self._full_pinyin
        return False


def _positive_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _initials_contain(initials: Sequence[set[str]], q: str) -> bool:
    n = len(q)
    for start in range(len(initials) - n + 1):
        if all(q[i] in initials[start + i] for i in range(n)):
            return True
    return False


class Catalog:
    """The matters the kiosk offers, in the platform's order."""

    def __init__(self, matters: Iterable[Mapping[str, Any]], etag: str = "") -> None:
        self._matters = [Matter(m) for m in matters]
        self._by_code = {m.code: m for m in self._matters}
        self.etag = etag

    def __len__(self) -> int:
        return len(self._matters)

    def warm(self) -> Catalog:
        """Compute the pinyin of every matter now (off the GUI thread), so the first search
        on the touchscreen does not wait for it: in one child process, so that pypinyin's
        ~50 MB of dictionaries never load into the kiosk (kiosk/pinyin_keys.py)."""
        from kiosk.pinyin_keys import compute

        cold = [m for m in self._matters if "_keys" not in m.__dict__]
        keys = compute([m._search_text for m in cold])
        for m in cold:
            m.__dict__["_keys"] = keys[m._search_text]  # what @cached_property would store
        return self

    def all(self) -> list[Matter]:
        return list(self._matters)

    def get(self, code: str) -> Matter | None:
        return self._by_code.get(code)

    def search(self, query: str = "", category: str | None = None,
               theme: str | None = None) -> list[Matter]:
        return [m for m in self._matters
                if (category is None or m.category == category)
                and (theme is None or m.theme == theme)
                and m.matches(query)]

    def themes(self, category: str | None = None) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.search(category=category):
            if m.theme:
                seen.setdefault(m.theme, None)
        return list(seen)

    # -- the cache file: written atomically, so a power cut never leaves half a catalog --

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"etag": self.etag, "matters": [dict(m.raw) for m in self._matters]}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> Catalog | None:
        """The cached catalog, or None when there is none or it is unreadable."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(data["matters"], etag=str(data.get("etag", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None


def fetch_catalog(client: Any) -> Catalog | None:
    """The whole catalog from the platform (every page, then each matter), or None when it
    cannot be reached (the caller keeps its cached one)."""
    try:
        codes: list[str] = []
        page = 1
        while True:
            listing = client.list_matters(page=page, page_size=100).json
            codes += [m["implCode"] for m in listing["items"]]
            if len(codes) >= listing["total"] or not listing["items"]:
                break
            page += 1
        matters = [client.get_matter(code).json for code in codes]
        version = str(listing.get("catalogVersion", ""))
    except Exception as exc:  # unreachable platform: the cached catalog is used
        logging.getLogger("kiosk.catalog").warning("catalog not fetched: %s",
                                                   type(exc).__name__)
        return None
    return Catalog(matters, etag=version)
