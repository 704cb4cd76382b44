"""The application form, drawn from the matter's JSON Schema, and the delivery choice.

Inputs are built once per form and then kept while the citizen types (a rebuild would take
the focus away from the virtual keyboard); only values and error lines are refreshed."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from kiosk.session import Action, SessionMachine, Tap
from kiosk.session.forms import FieldSpec, field_specs
from ui.i18n import tr
from ui.screens.base import Screen, clear_layout, label, panel, repolish
from ui.texts import delivery_mode, field_error


def source_name(source: str) -> str:
    return {"PUBLIC_DATA": tr("公共数据平台"), "LICENCE": tr("电子证照库"),
            "ID_CARD": tr("身份证")}.get(source, source)


class FieldRow(QWidget):
    def __init__(self, spec: FieldSpec, send: Any, action: Action) -> None:
        super().__init__()
        self.spec = spec
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        col = QWidget()
        from PySide6.QtWidgets import QVBoxLayout

        v = QVBoxLayout(col)
        v.setContentsMargins(0, 0, 0, 0)
        title = spec.title + (" *" if spec.required else "")
        v.addWidget(label(title))
        self.edit: QLineEdit | None = None
        self.choices: dict[str, QPushButton] = {}
        if spec.widget == "choice":
            holder = QWidget()
            # Up to four choices in a row; more wrap into rows of three (no clipped labels).
            columns = len(spec.choices) if len(spec.choices) <= 4 else 3
            grid = QGridLayout(holder)
            grid.setContentsMargins(0, 0, 0, 0)
            group = QButtonGroup(self)
            for i, (value, text) in enumerate(spec.choices):
                b = QPushButton(text)
                b.setObjectName(f"choice:{spec.key}:{value}")
                b.setCheckable(True)
                group.addButton(b)
                b.clicked.connect(lambda _=False, val=value: send(Tap(action, (spec.key, val))))
                grid.addWidget(b, i // columns, i % columns)
                self.choices[value] = b
            if columns == len(spec.choices):
                grid.setColumnStretch(columns, 1)  # short rows stay at their natural width
            v.addWidget(holder)
        else:
            self.edit = QLineEdit()
            self.edit.setObjectName(f"field:{spec.key}")
            self.edit.setPlaceholderText({"date": tr("例如 2024-03-01"),
                                          "phone": tr("11位手机号"),
                                          "number": tr("请输入数字"),
                                          "address": tr("省 市 区 街道 门牌号")}.get(spec.widget, ""))
            self.edit.textEdited.connect(lambda t: send(Tap(action, (spec.key, t))))
            # Set before the first show, so a field without an error is never re-polished.
            self.edit.setProperty("invalid", False)
            v.addWidget(self.edit)
        self.source = label("", "source")
        self.error = label("", "error")
        self.source.hide()
        self.error.hide()
        v.addWidget(self.source)
        v.addWidget(self.error)
        lay.addWidget(col)

    def show_value(self, value: Any, source: str, editable: bool, error: str) -> None:
        text = "" if value is None else str(value)
        if self.edit is not None:
            if self.edit.text() != text and not self.edit.hasFocus():
                self.edit.setText(text)
            if self.edit.isReadOnly() != (not editable):
                self.edit.setReadOnly(not editable)
            if self.edit.property("invalid") != bool(error):  # re-style only on a change
                self.edit.setProperty("invalid", bool(error))
                repolish(self.edit)
        for value_key, b in self.choices.items():
            b.setChecked(value_key == text)
            b.setEnabled(editable)
        shown = tr("已自动填写，来源：{s}").format(s=source_name(source)) if source else ""
        if self.source.text() != shown:
            self.source.setText(shown)
            self.source.setVisible(bool(source))
        wrong = field_error(error) if error else ""
        if self.error.text() != wrong:
            self.error.setText(wrong)
            self.error.setVisible(bool(error))


class FormScreen(Screen):
    nav_next = True

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self._key: tuple[Any, ...] | None = None
        self.rows: list[FieldRow] = []
        self.loading: QLabel | None = None

    def fill(self, m: SessionMachine) -> None:
        matter = m.matter
        if matter is None:
            return
        key = (matter.code, m.language, m.elderly, m.data.consent_id)
        if key != self._key:
            clear_layout(self.content)
            self.rows = []
            self.loading = label(tr("正在获取您的信息…"), "hint")
            self.content.addWidget(self.loading)
            for spec in field_specs(matter.form_schema):
                row = FieldRow(spec, self.ctl.send, Action.SET_FIELD)
                self.rows.append(row)
                self.content.addWidget(row)
            self.content.addStretch(1)
            self._key = key
        assert self.loading is not None
        self.loading.setVisible(m.data.prefill_loading)
        for row in self.rows:
            pre = m.data.prefill.get(row.spec.key)
            row.show_value(m.data.form.get(row.spec.key), pre.source if pre else "",
                           pre.editable if pre else True, m.data.form_errors.get(row.spec.key, ""))

    def next_enabled(self, m: SessionMachine) -> bool:
        return not m.data.prefill_loading

    def wipe(self) -> None:
        super().wipe()
        self._key, self.rows, self.loading = None, [], None


def address_fields() -> tuple[tuple[str, str], ...]:
    return (("name", tr("收件人")), ("phone", tr("联系电话")), ("addressDetail", tr("详细地址")))


class DeliveryScreen(Screen):
    nav_next = True

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self._key: tuple[Any, ...] | None = None
        self.modes: dict[str, QPushButton] = {}
        self.rows: list[FieldRow] = []
        self.address_panel: QWidget | None = None

    def fill(self, m: SessionMachine) -> None:
        matter = m.matter
        if matter is None:
            return
        key = (matter.code, m.language, m.elderly)
        if key != self._key:
            clear_layout(self.content)
            self.modes, self.rows = {}, []
            for mode in matter.delivery_modes:
                b = self.button(delivery_mode(mode), Action.SET_DELIVERY, mode)
                b.setCheckable(True)
                b.setProperty("tile", True)
                self.modes[mode] = b
                self.content.addWidget(b)
            for field_key, title in address_fields():
                spec = FieldSpec(field_key, title, "phone" if field_key == "phone" else "text",
                                 True)
                self.rows.append(FieldRow(spec, self.ctl.send, Action.SET_ADDRESS))
            self.address_panel = panel(label(tr("快递收件地址（邮费由政府承担）")), *self.rows)
            self.content.addWidget(self.address_panel)
            self.content.addStretch(1)
            self._key = key
        for mode, b in self.modes.items():
            b.setChecked(mode == m.data.delivery_mode)
        assert self.address_panel is not None
        self.address_panel.setVisible(m.data.delivery_mode == "EXPRESS")
        for row in self.rows:
            row.show_value(m.data.address.get(row.spec.key), "", True,
                           m.data.address_errors.get(row.spec.key, ""))

    def wipe(self) -> None:
        super().wipe()
        self._key, self.modes, self.rows, self.address_panel = None, {}, [], None
