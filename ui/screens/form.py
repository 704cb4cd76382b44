"""The application form, drawn from the matter's JSON Schema, and the delivery choice.

Each field is a group of nodes keyed by the field's key, so an input keeps its identity (and
the focus, and the keyboard) while the citizen types; only values and error lines change."""

from __future__ import annotations

from kiosk.session import Action, SessionMachine
from kiosk.session.forms import FieldSpec, field_specs
from ui.i18n import tr
from ui.screens.base import Screen
from ui.screens.fields import field_node
from ui.texts import delivery_mode
from ui.view import Button, Label, Node, Panel


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
