"""Materials: live document-camera preview with the page outline, auto-capture, retake and
delete per page, a page limit per material; exempted materials listed as such.

Layout that holds with many pages: the material list on the left (fixed share, names
wrap), the preview with 立即拍照 on the right, and the pages of the current material in a
strip of small thumbnails below, paged when there are more than fit."""

from __future__ import annotations

from kiosk.device_roles import DOCUMENT_CAMERA
from kiosk.session import Action, SessionMachine, State
from ui.i18n import tr
from ui.screens.base import Screen
from ui.screens.preview import CameraPreview
from ui.texts import message
from ui.view import Box, Button, Image, Label, Node, Own, Row, Scroll, Stretch

THUMB_W, THUMB_H = 140, 84  # a page thumbnail's box


class PreviewView(CameraPreview):
    """The document camera: the page found outlined, what holds auto-capture back."""

    def __init__(self) -> None:
        super().__init__(min_height=140)

    def waiting_text(self) -> str:
        return tr("正在打开高拍仪…")

    def prompt_text(self) -> str:
        return message(self.prompt) if self.prompt else ""


def wrap_name(name: str, width: int) -> str:
    """A long material name on lines of at most ``width`` characters, broken before a
    full-width bracket where one is near (提取原因证明材料 / （购房合同、…）)."""
    lines: list[str] = []
    rest = name
    while len(rest) > width:
        cut = rest.rfind("（", 1, width + 1)
        cut = cut if cut > width // 2 else width
        lines.append(rest[:cut])
        rest = rest[cut:]
    return "\n".join([*lines, rest])


class MaterialsScreen(Screen):
    nav_next = True
    scrolls = False  # the preview takes the room that is left
    fits_to_size = True  # thumbnails per row

    def next_label(self) -> str:
        if self.ctl.machine.state is State.SUPPLEMENT:
            return tr("提交补正材料")
        return super().next_label()

    def next_enabled(self, m: SessionMachine) -> bool:
        return not m.data.supplement_sending

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self.preview = PreviewView()
        ctl.frame.connect(self.preview.show_frame)
        self.host.owned["preview"] = self.preview
        self.thumb_page = 0

    def local(self, action: str, value: object) -> None:
        if action == "thumbs":
            self.thumb_page = max(0, self.thumb_page + int(str(value)))

    def body(self, m: SessionMachine) -> list[Node]:
        matter = m.matter
        if matter is None:
            return []
        todo = set(m.materials_to_capture())
        side: list[Node] = []
        current = ""
        sup = m.data.supplement
        if sup is not None:  # 补齐补正: what the department asked for, and why
            side.append(Label(tr("需补正：{r}").format(r=sup.get("reason") or ""), "error",
                              key="asked"))
            if m.data.supplement_sending:
                side.append(Label(tr("正在提交补正材料…"), "hint", key="sending"))
            if m.data.supplement_error:
                side.append(Label(message(m.data.supplement_error), "error", key="sup-error"))
        scoped = m.materials()  # 一件事: those of the chosen sub-matters
        exempt = [s.material.name_in(m.language) for s in scoped if s.code not in todo]
        if exempt:  # one line for all of them: the list of what to photograph stays in view
            side.append(Label(tr("免交（已通过数据共享获取）：") + "、".join(exempt), "ok",
                              key="exempt"))
        for item in scoped:
            mat = item.material
            name = mat.name_in(m.language)  # the catalog's English where it has it
            if mat.code not in todo:
                continue
            shown = wrap_name(name, 10 if m.elderly else 16)  # a tile does not wrap by itself
            count = len(m.data.pages.get(mat.code) or [])
            serves = "、".join(sub.name_in(m.language) for sub in item.serves)
            text = shown + ("" if mat.required else tr("（非必交）")) + "\n" + (
                tr("已拍 {n} 页").format(n=count) if count else tr("未拍摄")) + (
                "\n" + tr("用于：{subs}").format(subs=serves) if serves else "")
            promised = mat.code in m.data.promised
            if promised:  # 告知承诺: signed for on the next step, nothing to photograph
                text = (name.partition("（")[0] or name) + "\n" + tr("以承诺代替")
            side.append(Button(text, Action.SELECT_MATERIAL, mat.code, checkable=True,
                               checked=mat.code == m.data.material_code, tile=True,
                               enabled=not promised))
            if mat.promisable and m.data.supplement is None:
                side.append(Button(tr("改为拍摄上传") if promised else tr("承诺代替材料"),
                                   Action.PROMISE, mat.code,
                                   accessible=(tr("改为拍摄上传") if promised else
                                               tr("承诺代替材料")) + f"：{name}"))
            if mat.code == m.data.material_code:  # the hint names it short (no bracket)
                current = name.partition("（")[0] or name
        side.append(Stretch("side-end"))
        problem = m.data.capture_problem
        camera_out = bool(m.device_problems.get(DOCUMENT_CAMERA))
        if camera_out:
            problem = "camera_unavailable"
        problem_text = message(problem) if problem else ""
        if camera_out:
            problem_text += " " + tr("您可以继续办理，未拍摄的材料请在领取结果时带原件到窗口交验。")
        pages = m.data.pages.get(m.data.material_code) or []
        full = len(pages) >= m.page_limit()
        right: list[Node] = [
            Label(tr("请把“{name}”平放在拍摄区，放稳后会自动拍照；多页请逐页拍摄。").format(name=current)
                  if not full else
                  tr("“{name}”最多 {n} 页，已拍满。如需更换，请先删除不要的页。").format(
                      name=current, n=m.page_limit()),
                  "error" if full else "hint", key="hint"),
            Own("preview", stretch=1),
        ]
        if problem_text:
            right.append(Label(problem_text, "error", key="problem"))
        # 立即拍照 leads the row of pages taken: one row under the preview, so the screen
        # fits 1280x720 in 大字版 too.
        right.append(self._thumbs(m, pages, Button(
            tr("立即拍照"), Action.CAPTURE, primary=True, enabled=not full and not camera_out,
            icon="camera")))
        return [Row(Scroll(*side, key="side", stretch=2), Box(*right, key="right", stretch=3),
                    key="split", stretch=1)]

    def _thumbs_per_row(self) -> int:
        """As many page thumbnails as the right column holds beside its two arrows."""
        theme = getattr(self.window(), "theme", None)
        target, font = (theme().target, theme().font_px) if theme is not None else (56, 23)
        right = (self.width() - 64) * 3 // 5
        capture = round(font * 5.5) + 60  # 立即拍照 with its icon and padding
        return max(1, (right - capture - 2 * (target + 12)) // (THUMB_W + 12))

    def _thumbs(self, m: SessionMachine, pages: list,  # type: ignore[type-arg]
                capture: Node) -> Node:
        """立即拍照, then the pages of the current material a row at a time: tap 删除 to
        drop one."""
        code = m.data.material_code
        per_row = self._thumbs_per_row()
        last = max(0, (len(pages) - 1) // per_row)
        self.thumb_page = min(self.thumb_page, last)
        first = self.thumb_page * per_row
        items: list[Node] = []
        for i, page in enumerate(pages[first:first + per_row], start=first):
            items.append(Box(
                Image(bytes(page.thumb), key="thumb", name="page-thumb",
                      fit=(THUMB_W, THUMB_H)),
                Button(tr("删除"), Action.DELETE_PAGE, (code, i),
                       name=f"action:delete_page:{code}:{i}", role="quiet",
                       accessible=tr("删除第 {n} 页").format(n=i + 1)),
                key=f"page:{code}:{id(page)}", spacing=4, max_width=THUMB_W))
        if last > 0:
            items.insert(0, Button("‹", "thumbs", "-1", name="action:pages_prev",
                                   enabled=self.thumb_page > 0, accessible=tr("前几页")))
            items.append(Button("›", "thumbs", "1", name="action:pages_next",
                                enabled=self.thumb_page < last, accessible=tr("后几页")))
        items.append(Stretch("pages-gap"))
        return Row(capture, *items, key="pages")

    def wipe(self) -> None:
        super().wipe()
        self.preview.clear()
        self.thumb_page = 0
