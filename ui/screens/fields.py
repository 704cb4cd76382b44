"""One form field as nodes (its title, the input or the choice buttons, where a prefilled
value came from, the error line): the citizen's form, the delivery address and the staff's
screens (代办 agent, typed identity) draw their fields with it."""

from __future__ import annotations

from typing import Any

from kiosk.session import Action
from kiosk.session.forms import FieldSpec
from ui.i18n import tr
from ui.texts import field_error
from ui.view import Box, Button, Field, Grid, Label, Node


def source_name(source: str) -> str:
    return {"PUBLIC_DATA": tr("公共数据平台"), "LICENCE": tr("电子证照库"),
            "ID_CARD": tr("身份证")}.get(source, source)


def placeholder(spec: FieldSpec) -> str:
    return {"date": tr("例如 2024-03-01"), "phone": tr("11位手机号"),
            "number": tr("请输入数字"), "address": tr("省 市 区 街道 门牌号")}.get(spec.widget, "")


def field_node(spec: FieldSpec, action: Action, value: Any, *, source: str = "",
               editable: bool = True, error: str = "", lang: str = "zh_CN") -> Node:
    """One field: its title, the input (or the choice buttons), where a prefilled value came
    from, and the error line. Title and choices in ``lang`` where the schema has them."""
    text = "" if value is None else str(value)
    title = spec.title_for(lang)
    parts: list[Node] = [Label(title + (" *" if spec.required else ""), key="title")]
    if spec.widget == "choice":
        # Up to four choices in a row; more wrap into rows of three (no clipped labels).
        columns = len(spec.choices) if len(spec.choices) <= 4 else 3
        parts.append(Grid(*(Button(label_text, action, (spec.key, val),
                                   name=f"choice:{spec.key}:{val}", checkable=True,
                                   checked=val == text, enabled=editable,
                                   accessible=f"{title}：{label_text}")
                            for val, label_text in spec.choices_for(lang)),
                          key="choices", columns=max(1, columns)))
    elif spec.widget == "checklist":
        # Several may be chosen: large tiles that show a tick when on (一件事 sub-matters).
        chosen = set(value) if isinstance(value, list | tuple) else set()
        parts.append(Grid(*(Button(("✓ " if val in chosen else "") + label_text,
                                   Action.TOGGLE_CHOICE, (spec.key, val),
                                   name=f"check:{spec.key}:{val}", checkable=True,
                                   checked=val in chosen, enabled=editable, tile=True,
                                   accessible=f"{title}：{label_text}")
                            for val, label_text in spec.choices_for(lang)),
                          key="checks", columns=2))
    else:
        parts.append(Field(f"field:{spec.key}", text, action, spec.key,
                           placeholder=placeholder(spec), readonly=not editable,
                           invalid=bool(error), input_kind=spec.input_kind,
                           max_length=spec.max_length, accessible=title))
    if source:
        parts.append(Label(tr("已自动填写，来源：{s}").format(s=source_name(source)), "source",
                           key="source"))
    if error:
        parts.append(Label(field_error(error, spec.widget), "error", key="error"))
    return Box(*parts, key=f"row:{spec.key}", spacing=4)
