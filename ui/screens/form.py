"""The application form, drawn from the matter's JSON Schema, and the delivery choice.

Each field is a group of nodes keyed by the field's key, so an input keeps its identity (and
the focus, and the keyboard) while the citizen types; only values and error lines change."""

from __future__ import annotations

from typing import Any

from kiosk.session import Action, SessionMachine
from kiosk.session.forms import FieldSpec, field_specs
from ui.i18n import tr
from ui.screens.base import Screen
from ui.texts import delivery_mode, field_error
from ui.view import Box, Button, Field, Grid, Label, Node, Panel


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


class FormScreen(Screen):
    nav_next = True

    def body(self, m: SessionMachine) -> list[Node]:
        matter = m.matter
        if matter is None:
            return []
        out: list[Node] = []
        if m.data.prefill_loading:
            out.append(Label(tr("正在获取您的信息…"), "hint", key="loading"))
        for spec in field_specs(m.form_schema()):  # 一件事: the chosen sub-matters' fields
            pre = m.data.prefill.get(spec.key)
            out.append(field_node(spec, Action.SET_FIELD, m.data.form.get(spec.key),
                                  source=pre.source if pre else "",
                                  editable=pre.editable if pre else True,
                                  error=m.data.form_errors.get(spec.key, ""),
                                  lang=m.language))
        return out

    def next_enabled(self, m: SessionMachine) -> bool:
        return not m.data.prefill_loading


def address_fields() -> tuple[FieldSpec, ...]:
    return (FieldSpec("name", tr("收件人"), "text", True, max_length=30),
            FieldSpec("phone", tr("联系电话"), "phone", True, max_length=20),
            FieldSpec("addressDetail", tr("详细地址"), "address", True, max_length=120))


class DeliveryScreen(Screen):
    nav_next = True

    def body(self, m: SessionMachine) -> list[Node]:
        matter = m.matter
        if matter is None:
            return []
        out: list[Node] = [Button(delivery_mode(mode), Action.SET_DELIVERY, mode, tile=True,
                                  checkable=True, checked=mode == m.data.delivery_mode)
                           for mode in matter.delivery_modes]
        if m.data.delivery_mode == "EXPRESS":
            out.append(Panel(
                Label(tr("快递收件地址（邮费由政府承担）"), key="title"),
                *(field_node(spec, Action.SET_ADDRESS, m.data.address.get(spec.key),
                             error=m.data.address_errors.get(spec.key, ""))
                  for spec in address_fields()),
                key="address"))
        return out
