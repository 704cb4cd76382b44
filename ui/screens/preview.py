"""A camera's live picture on a screen: the latest frame scaled to fit, what the camera
found outlined, and the prompt of the moment painted on a band at the bottom. Painted, not
laid out: 30 frames a second touch no widget tree. The document camera's preview
(materials.py) and the face camera's (identify.py) differ only in their overlay and words."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.services import PreviewFrame

BACKGROUND = "#263238"
FOUND = "#00e676"  # the page or face the camera found


class CameraPreview(QWidget):
    outline_px = 4

    def __init__(self, min_height: int) -> None:
        super().__init__()
        self.setMinimumSize(320, min_height)  # the whole screen must fit 1280x720
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.image: QImage | None = None
        self.corners: list[tuple[float, float]] | None = None
        self.prompt = ""  # the frame's problem or step code, painted on the picture
        self.frames = 0

    # -- what a preview says --

    def waiting_text(self) -> str:
        raise NotImplementedError

    def prompt_text(self) -> str:
        """The plain words of ``prompt`` ("" paints no band)."""
        raise NotImplementedError

    def overlay(self, p: QPainter, picture: QRectF, scale: float) -> bool:
        """Draw over the picture before the outline; False: draw nothing more."""
        return True

    # -- frames --

    def show_frame(self, f: PreviewFrame) -> None:
        # copy(): the QImage must own its pixels; the bytes object goes away.
        self.image = QImage(f.rgb, f.width, f.height, f.width * 3,
                            QImage.Format.Format_RGB888).copy()
        self.corners = list(f.corners) if f.corners else None
        self.prompt = f.problem
        self.frames += 1
        self.update()

    def clear(self) -> None:
        self.image, self.corners, self.prompt = None, None, ""
        self.update()

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(BACKGROUND))
        if self.image is None or self.image.isNull():
            p.setPen(QColor("#ffffff"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.waiting_text())
            p.end()
            return
        iw, ih = self.image.width(), self.image.height()
        scale = min(self.width() / iw, self.height() / ih)
        picture = QRectF((self.width() - iw * scale) / 2, (self.height() - ih * scale) / 2,
                         iw * scale, ih * scale)
        p.drawImage(picture, self.image)
        if self.overlay(p, picture, scale):
            if self.corners:
                p.setPen(QPen(QColor(FOUND), self.outline_px))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPolygon(QPolygonF([QPointF(picture.x() + x * scale,
                                                 picture.y() + y * scale)
                                         for x, y in self.corners]))
            self._prompt_band(p)
        p.end()

    def _prompt_band(self, p: QPainter) -> None:
        text = self.prompt_text()
        if not text:
            return
        theme = getattr(self.window(), "theme", None)  # the prompt grows with 大字版
        px = round(theme().font_px * 1.4) if callable(theme) else 32
        font = QFont(p.font())
        font.setPixelSize(px)
        p.setFont(font)
        # Long words on a narrow preview (大字版, English) wrap onto more lines, never cut off.
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        margin = px // 2
        need = p.fontMetrics().boundingRect(0, 0, max(1, self.width() - 2 * margin),
                                            self.height(), flags, text).height()
        height = min(self.height(), need + px)
        band = QRectF(0, self.height() - height, self.width(), height)
        p.fillRect(band, QColor(0, 0, 0, 170))
        p.setPen(QColor("#ffffff"))
        p.drawText(band.adjusted(margin, 0, -margin, 0), flags, text)
