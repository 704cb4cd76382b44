"""Materials: live document-camera preview with the page outline, auto-capture, retake,
pages per material; exempted materials listed as such."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.device_roles import DOCUMENT_CAMERA
from kiosk.services import PreviewFrame
from kiosk.session import Action, SessionMachine
from ui.i18n import tr
from ui.screens.base import Screen, clear_layout, label, panel
from ui.texts import message


class PreviewView(QWidget):
    """Paints the latest camera frame scaled to fit, with the detected page outlined."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumSize(480, 300)
        self.image: QImage | None = None
        self.corners: list[tuple[float, float]] | None = None
        self.frames = 0

    def show_frame(self, f: PreviewFrame) -> None:
        # copy(): the QImage must own its pixels; the bytes object goes away.
        self.image = QImage(f.rgb, f.width, f.height, f.width * 3,
                            QImage.Format.Format_RGB888).copy()
        self.corners = list(f.corners) if f.corners else None
        self.frames += 1
        self.update()

    def clear(self) -> None:
        self.image, self.corners = None, None
        self.update()

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#263238"))
        if self.image is None or self.image.isNull():
            p.setPen(QColor("#ffffff"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, tr("正在打开高拍仪…"))
            p.end()
            return
        iw, ih = self.image.width(), self.image.height()
        scale = min(self.width() / iw, self.height() / ih)
        ox, oy = (self.width() - iw * scale) / 2, (self.height() - ih * scale) / 2
        p.drawImage(QRectF(ox, oy, iw * scale, ih * scale), self.image)
        if self.corners:
            p.setPen(QPen(QColor("#00e676"), 4))
            p.drawPolygon(QPolygonF([QPointF(ox + x * scale, oy + y * scale)
                                     for x, y in self.corners]))
        p.end()


class MaterialsScreen(Screen):
    nav_next = True

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self.preview = PreviewView()
        ctl.frame.connect(self.preview.show_frame)
        self._built = False
        self.side = QVBoxLayout()
        self.pages = QHBoxLayout()
        self.hint = label("", "hint")
        self.problem = label("", "error")
        self.capture_row = QHBoxLayout()

    def fill(self, m: SessionMachine) -> None:
        if not self._built:
            clear_layout(self.content)
            row = QHBoxLayout()
            side = QWidget()
            side.setLayout(self.side)
            row.addWidget(side, 2)
            right = QVBoxLayout()
            right.addWidget(self.hint)
            right.addWidget(self.preview, 1)
            right.addWidget(self.problem)
            right.addLayout(self.capture_row)
            right.addLayout(self.pages)
            row.addLayout(right, 3)
            holder = QWidget()
            holder.setLayout(row)
            self.content.addWidget(holder)
            self._built = True
        matter = m.matter
        if matter is None:
            return
        clear_layout(self.side)
        todo = set(m.materials_to_capture())
        current = ""
        for mat in matter.materials:
            if mat.code not in todo:
                self.side.addWidget(label(tr("{name}：免交（已通过数据共享获取）").format(
                    name=mat.name), "ok"))
                continue
            count = len(m.data.pages.get(mat.code) or [])
            text = mat.name + ("" if mat.required else tr("（非必交）")) + "\n" + (
                tr("已拍 {n} 页").format(n=count) if count else tr("未拍摄"))
            b = self.button(text, Action.SELECT_MATERIAL, mat.code)
            b.setCheckable(True)
            b.setChecked(mat.code == m.data.material_code)
            b.setProperty("tile", True)
            self.side.addWidget(b)
            if mat.code == m.data.material_code:
                current = mat.name
        self.side.addStretch(1)
        self.hint.setText(tr("请把“{name}”平放在拍摄区，放稳后会自动拍照；多页请逐页拍摄。").format(
            name=current))
        problem = m.data.capture_problem
        if m.device_problems.get(DOCUMENT_CAMERA):
            problem = "camera_unavailable"
        text = message(problem) if problem else ""
        if m.device_problems.get(DOCUMENT_CAMERA):
            text += " " + tr("您可以继续办理，未拍摄的材料请在领取结果时带原件到窗口交验。")
        self.problem.setText(text)
        clear_layout(self.capture_row)
        self.capture_row.addWidget(self.button(tr("立即拍照"), Action.CAPTURE, primary=True))
        clear_layout(self.pages)
        for i, page in enumerate(m.data.pages.get(m.data.material_code) or []):
            thumb = QLabel()
            thumb.setObjectName("page-thumb")
            img = QImage.fromData(bytes(page.thumb))  # small: decoding the page would stall
            if not img.isNull():
                thumb.setPixmap(QPixmap.fromImage(img))
            box = QVBoxLayout()
            box.addWidget(thumb)
            box.addWidget(self.button(tr("重拍第 {n} 页").format(n=i + 1), Action.DELETE_PAGE,
                                      (m.data.material_code, i)))
            holder = QWidget()
            holder.setLayout(box)
            self.pages.addWidget(panel(holder))
        self.pages.addStretch(1)

    def wipe(self) -> None:
        clear_layout(self.side)
        clear_layout(self.pages)
        self.preview.clear()
        self.problem.clear()
        self.hint.clear()
