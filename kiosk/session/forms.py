"""Application forms rendered from a matter's JSON Schema (contract ``formSchema``).

The UI draws one input per ``FieldSpec``; values come back as text and are converted and
validated here, so the rules live in one place and never in a screen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.localized import translation

WIDGETS = ("text", "number", "date", "choice", "checklist", "address", "phone")
PHONE_RE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")
# A pattern of one run of digits, e.g. ``^[0-9]{12,19}$`` or ``^\d{6}$``: the digit pad fits.
_DIGITS_PATTERN = re.compile(r"^\^(\[0-9\]|\\d)(\{\d+(,\d*)?\}|\+)\$$")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    title: str
    widget: str  # one of WIDGETS
    required: bool
    choices: tuple[tuple[str, str], ...] = ()  # (value, label)
    description: str = ""
    integer: bool = False
    multiline: bool = False
    max_length: int = 0  # the schema's maxLength, else a sane default for the widget
    digits_only: bool = False  # the schema's pattern admits nothing but digits (bank account…)
    # The property's x-i18n: language tag → {title, description, enumNames} (contract: I18n).
    i18n: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def title_for(self, lang: str) -> str:
        """The title in ``lang`` (``en``…), the schema's own title when it has none."""
        value = translation({"i18n": self.i18n}, "title", lang)
        return value if isinstance(value, str) else self.title

    def description_for(self, lang: str) -> str:
        value = translation({"i18n": self.i18n}, "description", lang)
        return value if isinstance(value, str) else self.description

    def choices_for(self, lang: str) -> tuple[tuple[str, str], ...]:
        """(value, label) in ``lang``; a label the translation lacks stays Chinese."""
        names = translation({"i18n": self.i18n}, "enumNames", lang)
        if not isinstance(names, list):
            return self.choices
        return tuple((value, str(names[i]) if i < len(names) and names[i] else label)
                     for i, (value, label) in enumerate(self.choices))

    def choice_label(self, value: Any, lang: str) -> str:
        """The label of one value in ``lang`` (the value itself when it is no choice)."""
        return dict(self.choices_for(lang)).get(str(value), str(value))

    @property
    def input_kind(self) -> str:
        """Which on-screen keyboard layout fits: digits for numbers and phones, the ID
        layout (digits and X) for certificate numbers, text otherwise."""
        if self.widget in ("phone", "number", "date") or self.digits_only:
            return "digits"  # a date is typed as 20240301 (convert() adds the dashes)
        if self.key.lower().endswith("certno") or self.key.lower() in ("idno", "idnumber"):
            return "id"
        return "text"


# Longest text a field takes when the schema gives no maxLength: enough for any real value,
# short enough that a stuck key or a pasted novel is refused at the field.
DEFAULT_MAX_LENGTH = {"text": 50, "address": 120, "phone": 20, "number": 20, "date": 10}
# Emoji, control and private-use characters belong in no name, number or address.
_UNWANTED = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\ue000-\uf8ff"
                       "\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\U000e0000-\U000e007f]")


def field_specs(schema: Mapping[str, Any]) -> list[FieldSpec]:
    required = set(schema.get("required") or ())
    order = schema.get("x-order") or list((schema.get("properties") or {}).keys())
    props: Mapping[str, Any] = schema.get("properties") or {}
    out = []
    for key in order:
        prop = props.get(key)
        if not isinstance(prop, Mapping):
            continue
        out.append(_spec(key, prop, key in required))
    return out


def _spec(key: str, prop: Mapping[str, Any], required: bool) -> FieldSpec:
    ui = prop.get("x-ui") or {}
    widget = ui.get("widget") if isinstance(ui, Mapping) else None
    kind = prop.get("type")
    choices: tuple[tuple[str, str], ...] = ()
    i18n = _i18n(prop)
    items = prop.get("items")
    if kind == "array" and isinstance(items, Mapping) and "enum" in items:
        # Several of a list (一件事: the sub-matters to do at once): a checklist.
        labels = items.get("x-enumNames") or prop.get("x-enumNames") or items["enum"]
        choices = tuple((str(v), str(lbl)) for v, lbl in zip(items["enum"], labels, strict=False))
        widget = "checklist"
    elif "enum" in prop:
        labels = prop.get("x-enumNames") or prop.get("enumNames") or prop["enum"]
        choices = tuple((str(v), str(lbl)) for v, lbl in zip(prop["enum"], labels, strict=False))
    elif "oneOf" in prop and all("const" in o for o in prop["oneOf"]):
        choices = tuple((str(o["const"]), str(o.get("title", o["const"]))) for o in prop["oneOf"])
        i18n = _one_of_i18n(prop["oneOf"], choices, i18n)
    if widget not in WIDGETS or (widget == "checklist" and kind != "array"):
        if choices:
            widget = "choice"
        elif kind in ("number", "integer"):
            widget = "number"
        elif prop.get("format") == "date":
            widget = "date"
        elif "phone" in key.lower() or "mobile" in key.lower() or prop.get("format") == "phone":
            widget = "phone"
        elif "address" in key.lower():
            widget = "address"
        else:
            widget = "text"
    limit = prop.get("maxLength")
    max_length = limit if isinstance(limit, int) and limit > 0 else \
        DEFAULT_MAX_LENGTH.get(str(widget), 0)
    return FieldSpec(key=key, title=str(prop.get("title", key)), widget=str(widget),
                     required=required, choices=choices,
                     description=str(prop.get("description", "")),
                     integer=kind == "integer",
                     multiline=bool(isinstance(ui, Mapping) and ui.get("multiline")),
                     max_length=max_length, i18n=i18n,
                     digits_only=bool(_DIGITS_PATTERN.match(str(prop.get("pattern", "")))))


def _i18n(prop: Mapping[str, Any]) -> dict[str, Any]:
    texts = prop.get("x-i18n")
    return {str(tag): dict(text) for tag, text in texts.items() if isinstance(text, Mapping)} \
        if isinstance(texts, Mapping) else {}


def _one_of_i18n(options: list[Any], choices: tuple[tuple[str, str], ...],
                 i18n: dict[str, Any]) -> dict[str, Any]:
    """A ``oneOf`` choice translates its own ``title``: gathered as the field's enumNames."""
    per_option = [_i18n(o) if isinstance(o, Mapping) else {} for o in options]
    for tag in {t for texts in per_option for t in texts}:
        names = [str(texts.get(tag, {}).get("title") or label)
                 for texts, (_, label) in zip(per_option, choices, strict=False)]
        i18n[tag] = {**i18n.get(tag, {}), "enumNames": names}
    return i18n


def convert(schema: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Text from the screen → JSON values of the schema's types; empty text is left out."""
    props: Mapping[str, Any] = schema.get("properties") or {}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, list | tuple):
            if value:  # an empty checklist is no answer (``required`` names it)
                out[key] = list(value)
            continue
        kind = (props.get(key) or {}).get("type")
        if isinstance(value, str):
            text = value.strip()
            try:
                if kind == "integer":
                    out[key] = int(text)
                    continue
                if kind == "number":
                    out[key] = float(text) if "." in text else int(text)
                    continue
            except ValueError:
                pass  # left as text: validation names the field
            if kind == "boolean":
                out[key] = text.lower() in ("true", "1", "yes", "是")
                continue
            prop = props.get(key) or {}
            if (prop.get("format") == "date" or (prop.get("x-ui") or {}).get("widget") == "date") \
                    and re.fullmatch(r"\d{8}", text):
                text = f"{text[:4]}-{text[4:6]}-{text[6:]}"  # typed on the digit pad
            out[key] = text
        else:
            out[key] = value
    return out


def validate(schema: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, str]:
    """field key → error code (``required``, ``minLength|2``, ``phone`` …); the UI words it
    in the citizen's language."""
    from jsonschema import Draft202012Validator, FormatChecker  # slow import: see warm()

    data = convert(schema, values)
    errors: dict[str, str] = {}
    validator = Draft202012Validator(dict(schema), format_checker=FormatChecker())
    for err in validator.iter_errors(data):
        if err.validator == "required":
            for key in schema.get("required") or ():
                if key not in data:
                    errors.setdefault(key, "required")
            continue
        key = str(err.path[0]) if err.path else ""
        if key:
            errors.setdefault(key, _message(err.validator, err.validator_value))
    props: Mapping[str, Any] = schema.get("properties") or {}
    for spec in field_specs(schema):
        value = data.get(spec.key)
        if value is None or spec.key in errors:
            continue
        if isinstance(value, str) and _UNWANTED.search(value):
            errors[spec.key] = "chars"
            continue
        if isinstance(value, str) and spec.max_length and len(value) > spec.max_length:
            errors[spec.key] = f"maxLength|{spec.max_length}"
            continue
        if spec.widget == "phone" and not PHONE_RE.match(str(value)):
            errors[spec.key] = "phone"
        if spec.widget == "date" and "format" not in (props.get(spec.key) or {}):
            try:
                date.fromisoformat(str(value))
            except ValueError:
                errors[spec.key] = "date"
    return errors


def warm() -> None:
    """Import the validator ahead of the first form (off the GUI thread)."""
    validate({"type": "object", "properties": {"a": {"type": "string", "format": "date"}}},
             {"a": "2024-01-01"})


def toggled(spec: FieldSpec, current: Any, value: str) -> list[str]:
    """A checklist's answer after one tap on ``value``, in the schema's order."""
    chosen = set(current) if isinstance(current, list | tuple) else set()
    chosen ^= {value}
    return [v for v, _ in spec.choices if v in chosen]


def _message(rule: Any, limit: Any) -> str:
    if rule in ("minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
                "exclusiveMaximum", "minItems", "maxItems"):
        return f"{rule}|{limit}"
    if rule in ("type", "pattern", "enum", "format"):
        return str(rule)
    return "invalid"
