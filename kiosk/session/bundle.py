"""一件事 bundles: the sub-matters the citizen chooses decide the materials and the form.

A bundle matter (contract ``Bundle``) lists its sub-matters, each with the bundle materials it
needs (``materialCodes``) and the form fields asked only for it (``formFields``, of which
``requiredFields`` are required then). The citizen ticks sub-matters in the array field
``choiceField``; from that answer:

- the materials are the union over the chosen sub-matters, one per material code, in the
  catalog's order, each labelled with the sub-matters it serves, plus the materials no
  sub-matter names (needed whatever is chosen);
- the form is the matter's schema with the fields of unchosen sub-matters left out and those
  of chosen ones required where the bundle says so.

A matter without a bundle keeps its materials and schema unchanged. No Qt, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.catalog import Material, Matter
from kiosk.localized import text_in


@dataclass(frozen=True)
class SubMatter:
    code: str
    name: str
    dept_name: str
    material_codes: tuple[str, ...] = ()
    form_fields: tuple[str, ...] = ()
    required_fields: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def name_in(self, lang: str) -> str:
        return text_in(self.raw, "name", lang) or self.name

    def dept_in(self, lang: str) -> str:
        return text_in(self.raw, "deptName", lang) or self.dept_name


@dataclass(frozen=True)
class Scoped:
    """A material of this application, with the chosen sub-matters it serves (none: it is
    needed whatever is chosen, or the matter is no bundle)."""

    material: Material
    serves: tuple[SubMatter, ...] = ()

    @property
    def code(self) -> str:
        return self.material.code


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()


def sub_matters(matter: Matter) -> tuple[SubMatter, ...]:
    bundle = matter.raw.get("bundle")
    if not isinstance(bundle, Mapping):
        return ()
    out = []
    for sub in bundle.get("subMatters") or ():
        if not isinstance(sub, Mapping) or "implCode" not in sub:
            continue
        out.append(SubMatter(code=str(sub["implCode"]), name=str(sub.get("name", "")),
                             dept_name=str(sub.get("deptName", "")),
                             material_codes=_strings(sub.get("materialCodes")),
                             form_fields=_strings(sub.get("formFields")),
                             required_fields=_strings(sub.get("requiredFields")), raw=sub))
    return tuple(out)


def choice_field(matter: Matter) -> str:
    """The form property holding the chosen sub-matters ("" for a matter without a bundle):
    the bundle's ``choiceField``, else the array field whose choices are sub-matter codes."""
    bundle = matter.raw.get("bundle")
    if not isinstance(bundle, Mapping):
        return ""
    if bundle.get("choiceField"):
        return str(bundle["choiceField"])
    codes = {s.code for s in sub_matters(matter)}
    for key, prop in (matter.form_schema.get("properties") or {}).items():
        items = prop.get("items") if isinstance(prop, Mapping) else None
        if isinstance(items, Mapping) and set(_strings(items.get("enum"))) <= codes and codes:
            return str(key)
    return ""


def chosen(matter: Matter, form: Mapping[str, Any]) -> tuple[SubMatter, ...]:
    """The chosen sub-matters, in the bundle's order."""
    key = choice_field(matter)
    if not key:
        return ()
    picked = set(_strings(form.get(key)))
    return tuple(s for s in sub_matters(matter) if s.code in picked)


def materials(matter: Matter, form: Mapping[str, Any], *,
              all_subs: bool = False) -> tuple[Scoped, ...]:
    """The materials this application needs (``all_subs``: whatever could be chosen, for the
    guide), each with the chosen sub-matters it serves."""
    subs = sub_matters(matter)
    if not subs:
        return tuple(Scoped(m) for m in matter.materials)
    picked = subs if all_subs else chosen(matter, form)
    named = {c for s in subs for c in s.material_codes}
    wanted: dict[str, list[SubMatter]] = {}
    for sub in picked:  # the union, one entry per material code
        for code in sub.material_codes:
            wanted.setdefault(code, []).append(sub)
    return tuple(Scoped(m, tuple(wanted.get(m.code, ()))) for m in matter.materials
                 if m.code not in named or m.code in wanted)


def form_schema(matter: Matter, form: Mapping[str, Any]) -> Mapping[str, Any]:
    """The matter's form schema for the sub-matters chosen so far: fields of sub-matters not
    chosen are left out; fields a chosen one requires are required."""
    subs = sub_matters(matter)
    schema = matter.form_schema
    if not subs:
        return schema
    picked = chosen(matter, form)
    hidden = {f for s in subs for f in s.form_fields} - {f for s in picked for f in s.form_fields}
    required = list(schema.get("required") or ())
    for sub in picked:
        required += [f for f in sub.required_fields if f not in required]
    props = {k: v for k, v in (schema.get("properties") or {}).items() if k not in hidden}
    out = dict(schema)
    out["properties"] = props
    out["required"] = [k for k in required if k in props]
    if "x-order" in schema:
        out["x-order"] = [k for k in schema["x-order"] if k in props]
    out.pop("allOf", None)  # said by ``required`` now, for the shown fields only
    return out


def shown_form(matter: Matter, form: Mapping[str, Any]) -> dict[str, Any]:
    """The citizen's answers to the fields asked for the chosen sub-matters only (a field of a
    sub-matter ticked, filled and unticked again is not sent)."""
    props = form_schema(matter, form).get("properties") or {}
    return {k: v for k, v in form.items() if k in props}

