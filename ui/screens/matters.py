"""Choose a matter (tiles, categories, themes, pinyin search), its guide, and consent."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from kiosk.catalog import LEGAL, PERSONAL, Matter
from kiosk.session import Action, SessionMachine, Tap
from ui.i18n import tr
from ui.screens.base import Screen, clear_layout, label, panel
from ui.texts import delivery_mode, time_limit

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BUNDLES = "BUNDLE"


class ChooseMatterScreen(Screen):
    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self.category = PERSONAL
        self.theme = ""
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.textEdited.connect(lambda t: self.ctl.send(Tap(Action.SEARCH, t)))
        self.filters = QHBoxLayout()
        self.pad = QWidget()
        pad = QGridLayout(self.pad)
        pad.setSpacing(6)
        for i, ch in enumerate(LETTERS):
            b = QPushButton(ch)
            b.setObjectName(f"key:{ch}")
            b.clicked.connect(lambda _=False, c=ch: self._type(c.lower()))
            pad.addWidget(b, i // 9, i % 9)
        clear = QPushButton("⌫")
        clear.setObjectName("key:backspace")
        clear.clicked.connect(lambda: self._type(None))
        pad.addWidget(clear, 2, 8)
        self.results = QWidget()
        self.results_layout = QGridLayout(self.results)
        self.results_layout.setSpacing(12)
        self._built = False

    def _type(self, ch: str | None) -> None:
        text = self.ctl.machine.data.search
        text = text[:-1] if ch is None else text + ch
        self.ctl.send(Tap(Action.SEARCH, text))

    def _set_filter(self, category: str, theme: str = "") -> None:
        self.category, self.theme = category, theme
        self.show_state(self.ctl.machine)

    def fill(self, m: SessionMachine) -> None:
        if not self._built:
            clear_layout(self.content)
            self.content.addLayout(self.filters)
            self.content.addWidget(self.search)
            self.content.addWidget(self.pad)
            self.content.addWidget(self.results)
            self.content.addStretch(1)
            self._built = True
        self.search.setPlaceholderText(tr("输入事项名称或拼音首字母，如 gjj"))
        if self.search.text() != m.data.search:
            self.search.setText(m.data.search)
        clear_layout(self.filters)
        for key, text in ((PERSONAL, tr("个人办事")), (LEGAL, tr("法人办事")),
                          (BUNDLES, tr("一件事"))):
            b = QPushButton(text)
            b.setObjectName(f"category:{key}")
            b.setCheckable(True)
            b.setChecked(self.category == key and not self.theme)
            b.clicked.connect(lambda _=False, k=key: self._set_filter(k))
            self.filters.addWidget(b)
        if self.category != BUNDLES and not m.data.search:
            for theme in m.catalog.themes(self.category)[:4]:
                b = QPushButton(theme)
                b.setObjectName(f"theme:{theme}")
                b.setCheckable(True)
                b.setChecked(self.theme == theme)
                b.clicked.connect(lambda _=False, t=theme: self._set_filter(self.category, t))
                self.filters.addWidget(b)
        clear_layout(self.results_layout)
        matters = self._matters(m)
        if not matters:
            self.results_layout.addWidget(label(tr("没有找到相关事项，请换个说法或到人工窗口咨询"),
                                                "hint"), 0, 0)
        for i, matter in enumerate(matters):
            tile = self.button(matter.name + ("\n" + tr("一件事 · 多个部门一次办") if matter.is_bundle
                                              else ""), Action.SELECT_MATTER, matter.code)
            tile.setProperty("tile", True)
            self.results_layout.addWidget(tile, i // 2, i % 2)

    def _matters(self, m: SessionMachine) -> list[Matter]:
        q = m.data.search
        if q:  # a search looks everywhere
            return m.catalog.search(q)
        if self.category == BUNDLES:
            return [x for x in m.catalog.all() if x.is_bundle]
        return m.catalog.search(category=self.category, theme=self.theme or None)

    def wipe(self) -> None:
        self.search.clear()
        self.category, self.theme = PERSONAL, ""
        clear_layout(self.results_layout)


class GuideScreen(Screen):
    nav_next = True

    def next_label(self) -> str:
        return tr("开始申请")

    def build(self, m: SessionMachine) -> None:
        matter = m.matter
        if matter is None:
            return
        self.content.addWidget(label(matter.name, "title"))
        facts = [tr("办理部门：{d}").format(d=matter.department or tr("政务服务中心")),
                 tr("承诺时限：{t}").format(t=time_limit(matter.promised_days)),
                 tr("领取方式：{m}").format(m="、".join(delivery_mode(x)
                                                   for x in matter.delivery_modes))]
        if matter.conditions:
            facts.append(tr("办理条件：{c}").format(c=matter.conditions))
        self.content.addWidget(panel(*(label(f) for f in facts)))
        rows = [label(tr("需要的材料："))]
        for mat in matter.materials:
            note = tr("（可免交：通过数据共享获取）") if mat.exempt_by_default else (
                "" if mat.required else tr("（非必交）"))
            rows.append(label(f"• {mat.name}{note}"))
        if not matter.materials:
            rows.append(label(tr("无需提交材料")))
        self.content.addWidget(panel(*rows))


class ConsentScreen(Screen):
    def build(self, m: SessionMachine) -> None:
        matter = m.matter
        self.content.addWidget(label(tr(
            "为减少填写和提交材料，本机将在您同意后，从浙江省公共数据平台获取以下信息，"
            "仅用于办理“{name}”，办理结束后本机不保留：").format(name=matter.name if matter else "")))
        self.content.addWidget(panel(
            label(tr("• 身份信息：姓名、证件号码、户籍地址（来源：公安部门）")),
            label(tr("• 电子证照：与本事项有关的证照（来源：各发证部门）")),
            label(tr("• 其他共享数据：本事项需要的登记信息（来源：相关部门）"))))
        self.content.addWidget(label(tr("不同意也可以继续办理，但需要您自己填写全部信息并拍摄全部材料。"),
                                     "hint"))
        row = QHBoxLayout()
        row.addWidget(self.button(tr("不同意，自己填写"), Action.DECLINE))
        row.addWidget(self.button(tr("同意授权"), Action.AGREE, primary=True))
        holder = QWidget()
        holder.setLayout(row)
        self.content.addWidget(holder)


