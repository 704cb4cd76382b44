"""Choose a matter (tiles by category and theme, search by name or pinyin initials), its
guide, and consent.

Tiles come first; the search field and its letter pad open behind a 搜索 button. The tiles
are shown a page at a time (as many as fit the screen), so a county catalog of
2,000 matters puts no more widgets on screen than one of 14."""

from __future__ import annotations

from kiosk.catalog import LEGAL, PERSONAL, Matter
from kiosk.session import Action, SessionMachine, bundle
from ui.i18n import tr
from ui.screens.base import Screen
from ui.texts import delivery_mode, device_problem, fees_text, time_limit
from ui.view import Button, Field, Grid, Label, Node, Panel, Row, Stretch

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BUNDLES = "BUNDLE"
PAGE = 8
PAGE_ELDERLY = 6


class ChooseMatterScreen(Screen):
    fits_to_size = True  # tiles per page

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self.category = PERSONAL
        self.theme = ""
        self.searching = False
        self.page = 0
        self._pages = 1

    def local(self, action: str, value: object) -> None:
        if action == "category":
            self.category, self.theme, self.page = str(value), "", 0
        elif action == "theme":
            self.theme = "" if self.theme == value else str(value)
            self.page = 0
        elif action == "search_open":
            self.searching = not self.searching
            if not self.searching and self.ctl.machine.data.search:
                from kiosk.session import Tap

                self.ctl.send(Tap(Action.SEARCH, ""))
            self.page = 0
        elif action == "key":
            text = self.ctl.machine.data.search
            text = text[:-1] if value is None else text + str(value).lower()
            self.page = 0
            from kiosk.session import Tap

            self.ctl.send(Tap(Action.SEARCH, text))
        elif action == "page":
            self.page = max(0, self.page + int(str(value)))

    def body(self, m: SessionMachine) -> list[Node]:
        out: list[Node] = []
        tabs = [Button(text, "category", key, name=f"category:{key}", checkable=True,
                       checked=self.category == key and not m.data.search)
                for key, text in ((PERSONAL, tr("个人办事")), (LEGAL, tr("法人办事")),
                                  (BUNDLES, tr("一件事")))]
        tabs.append(Stretch("tabs-gap"))
        tabs.append(Button(tr("搜索"), "search_open", name="action:search_open", checkable=True,
                           checked=self.searching or bool(m.data.search), icon="search"))
        out.append(Row(*tabs, key="tabs"))
        if self.searching or m.data.search:
            out.append(Field("search", m.data.search, Action.SEARCH, "",
                             placeholder=tr("输入事项名称或拼音首字母，如 gjj"),
                             input_kind="none", max_length=40))
            keys = [Button(ch, "key", ch, name=f"key:{ch}", accessible=ch) for ch in LETTERS]
            keys.append(Button("⌫", "key", None, name="key:backspace",
                               accessible=tr("删除一个字母")))
            out.append(Grid(*keys, key="pad", columns=9, spacing=6))
        elif self.category != BUNDLES:
            themes = m.catalog.themes(self.category)[:6]
            if themes:
                buttons = [Button(m.catalog.theme_in(t, m.language), "theme", t,
                                  name=f"theme:{t}", checkable=True, checked=self.theme == t)
                           for t in themes]
                if self._portrait():  # six English theme names do not fit one narrow row
                    out.append(Grid(*buttons, key="themes-grid", columns=3))
                else:
                    out.append(Row(*buttons, Stretch("themes-gap"), key="themes"))
        matters = self._matters(m)
        size = self._page_size(m)
        pages = max(1, -(-len(matters) // size))
        self.page = min(self.page, pages - 1)
        shown = matters[self.page * size:(self.page + 1) * size]
        if not matters:
            out.append(Label(tr("没有找到相关事项，请换个说法或到人工窗口咨询"), "hint",
                             key="none"))
        columns = 1 if m.elderly else 2
        out.append(Grid(*(self._tile(x) for x in shown), key="tiles", columns=columns))
        self._pages = pages
        return out

    def nav_buttons(self, m: SessionMachine) -> list[Node]:
        """The pager sits in the bottom row, always in view, whatever the page holds."""
        out = super().nav_buttons(m)
        if self._pages > 1:
            out[-1:] = [
                Stretch("pager-l"),
                Button(tr("上一页"), "page", "-1", name="action:page_prev",
                       enabled=self.page > 0),
                Label(tr("第 {i} 页，共 {n} 页").format(i=self.page + 1, n=self._pages), "hint",
                      key="page-of", align="center"),
                Button(tr("下一页"), "page", "1", name="action:page_next",
                       enabled=self.page < self._pages - 1)]
        return out

    def _page_size(self, m: SessionMachine) -> int:
        """As many tiles as fit without scrolling (a person sees the pager, not a list
        running off the screen): rows from the screen's height, 2 columns (1 in 大字版)."""
        columns = 1 if m.elderly else 2
        theme = getattr(self.window(), "theme", None)
        if theme is None or self.height() < 200:
            return PAGE_ELDERLY if m.elderly else PAGE
        t = theme()
        tile = round(t.target * 1.6) + 12
        # header, tabs, themes (two rows in portrait) or search field, pager and navigation row
        fixed = t.title_px * 2 + t.target * (5 if self._portrait() else 4) + 60
        rows = max(2, (self.height() - fixed) // tile)
        return rows * columns

    def _portrait(self) -> bool:
        return self.height() > self.width()

    def _tile(self, matter: Matter) -> Node:
        lang = self.ctl.machine.language  # names in the catalog's English when it has them
        text = matter.name_in(lang) + ("\n" + tr("一件事 · 多个部门一次办") if matter.is_bundle
                                       else "")
        problem = self.ctl.machine.matter_problem(matter)
        if problem:  # greyed with the plain reason (a device this matter needs is out)
            text += "\n" + device_problem(problem)
        return Button(text, Action.SELECT_MATTER, matter.code, tile=True, enabled=not problem)

    def _matters(self, m: SessionMachine) -> list[Matter]:
        q = m.data.search
        if q:  # a search looks everywhere
            return m.catalog.search(q)
        if self.category == BUNDLES:
            return [x for x in m.catalog.all() if x.is_bundle]
        return m.catalog.search(category=self.category, theme=self.theme or None)

    def wipe(self) -> None:
        super().wipe()
        self.category, self.theme, self.searching, self.page = PERSONAL, "", False, 0


class GuideScreen(Screen):
    nav_next = True

    def next_label(self) -> str:
        return tr("开始申请")

    def body(self, m: SessionMachine) -> list[Node]:
        matter = m.matter
        if matter is None:
            return []
        text = matter.text(m.language)  # the catalog's English where it has it
        facts = [tr("办理部门：{d}").format(d=text.department or tr("政务服务中心")),
                 tr("承诺时限：{t}").format(t=time_limit(matter.promised_days)),
                 tr("法定时限：{t}").format(t=time_limit(matter.legal_days)),
                 tr("收费标准：{f}").format(f=fees_text(matter, m.language)),
                 tr("领取方式：{m}").format(m="、".join(delivery_mode(x)
                                                   for x in matter.delivery_modes))]
        if text.conditions:
            facts.append(tr("办理条件：{c}").format(c=text.conditions))
        if matter.pays_at_kiosk:
            facts.append(tr("可在本机用手机扫码缴费") + (
                tr("，也可到窗口缴费") if matter.pay_later_allowed else ""))
        if matter.legal_basis:
            facts.append(tr("设定依据：{b}").format(b=matter.legal_basis_in(m.language)))
        where = matter.originals_check_in(m.language)
        if where:
            facts.append(tr("原件核验：{w}").format(w=where))
        rows = [Label(tr("需要的材料："), key="materials-title")]
        subs = bundle.sub_matters(matter)
        if subs:  # 一件事: what each sub-matter needs; the citizen chooses them on the form
            rows[0] = Label(tr("需要的材料（按您选择同时办理的事项确定）："), key="materials-title")
        for item in bundle.materials(matter, m.data.form, all_subs=True):
            mat = item.material
            note = tr("（可免交：通过数据共享获取）") if mat.exempt_by_default else (
                "" if mat.required else tr("（非必交）"))
            rows.append(Label(f"• {mat.name_in(m.language)}{note}", key=f"material:{mat.code}"))
            if item.serves:
                rows.append(Label("   " + tr("用于：{subs}").format(
                    subs="、".join(s.name_in(m.language) for s in item.serves)), "hint",
                    key=f"serves:{mat.code}"))
        if not matter.materials:
            rows.append(Label(tr("无需提交材料"), key="no-materials"))
        if subs:
            facts.append(tr("可同时办理：{subs}").format(
                subs="、".join(f"{s.name_in(m.language)}（{s.dept_in(m.language)}）"
                              for s in subs)))
        return [Label(text.name, "title", key="name"),
                Panel(*(Label(f, key=f"fact:{i}") for i, f in enumerate(facts)), key="facts"),
                Panel(*rows, key="materials")]


class ConsentScreen(Screen):
    def body(self, m: SessionMachine) -> list[Node]:
        matter = m.matter
        return [
            Label(tr("为减少填写和提交材料，本机将在您同意后，从浙江省公共数据平台获取以下信息，"
                     "仅用于办理“{name}”，办理结束后本机不保留：").format(
                         name=matter.name_in(m.language) if matter else ""), key="intro"),
            Panel(Label(tr("• 身份信息：姓名、证件号码、户籍地址（来源：公安部门）"), key="a"),
                  Label(tr("• 电子证照：与本事项有关的证照（来源：各发证部门）"), key="b"),
                  Label(tr("• 其他共享数据：本事项需要的登记信息（来源：相关部门）"), key="c"),
                  key="what"),
            Label(tr("不同意也可以继续办理，但需要您自己填写全部信息并拍摄全部材料。"), "hint",
                  key="decline-note"),
            Row(Button(tr("不同意，自己填写"), Action.DECLINE, stretch=1),
                Button(tr("同意授权"), Action.AGREE, primary=True, stretch=1), key="answer"),
        ]
