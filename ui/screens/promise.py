"""告知承诺: the 承诺书 in large text and a signature pad for the finger.

The pad draws the strokes as they are made and gives each finished stroke to the machine
(points 0..1 of the pad); the machine keeps them in the session's memory only and judges an
empty or near-empty signature. 重签 clears both. Nothing is saved here: the signature image and
the 承诺书 PDF are made on a worker at submission and sealed in the queue."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.privacy import mask_id_number, mask_name
from kiosk.session import Action, SessionMachine, Tap
from ui.i18n import tr
from ui.screens.base import Screen
from ui.view import Button, Label, Node, Own, Panel, Row, Scroll

Stroke = list[tuple[float, float]]


class SignaturePad(QWidget):
    """Pressure-free finger strokes on a white field; mouse events are what a touchscreen
    gives Qt for one finger (synthesized), so the pad needs nothing else."""

    def __init__(self, on_stroke) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.setObjectName("signature-pad")
        self.setAccessibleName(tr("签名区：请用手指在此签名"))
        self.setMinimumSize(420, 170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.strokes: list[Stroke] = []
        self._current: Stroke | None = None
        self._on_stroke = on_stroke

    def clear(self) -> None:
        self.strokes, self._current = [], None
        self.update()

    def _point(self, pos: QPointF) -> tuple[float, float]:
        w, h = max(1, self.width() - 1), max(1, self.height() - 1)
        return (min(1.0, max(0.0, pos.x() / w)), min(1.0, max(0.0, pos.y() / h)))

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._current = [self._point(event.position())]
        self.strokes.append(self._current)
        self.update()

    def mouseMoveEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._current is not None:
            self._current.append(self._point(event.position()))
            self.update()

    def mouseReleaseEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._current is not None:
            stroke, self._current = self._current, None
            self._on_stroke(tuple(stroke))

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        p.setPen(QPen(QColor("#9e9e9e"), 2, Qt.PenStyle.DashLine))
        base = self.height() * 0.78
        p.drawLine(QPointF(16, base), QPointF(self.width() - 16, base))
        p.setPen(QPen(QColor("#000000"), 5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                      Qt.PenJoinStyle.RoundJoin))
        w, h = self.width() - 1, self.height() - 1
        for stroke in self.strokes:
            path = QPainterPath(QPointF(stroke[0][0] * w, stroke[0][1] * h))
            for x, y in stroke[1:]:
                path.lineTo(QPointF(x * w, y * h))
            if len(stroke) == 1:
                p.drawPoint(QPointF(stroke[0][0] * w, stroke[0][1] * h))
            p.drawPath(path)
        p.end()


class PromiseScreen(Screen):
    nav_next = True
    scrolls = False  # the pad takes the room the text leaves

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self.pad = SignaturePad(lambda stroke: ctl.send(Tap(Action.ADD_STROKE, stroke)))
        self.host.owned["pad"] = self.pad

    def next_label(self) -> str:
        return tr("确认签名")

    def wipe(self) -> None:
        super().wipe()
        self.pad.clear()

    def body(self, m: SessionMachine) -> list[Node]:
        d = m.data
        if not d.signature and self.pad.strokes and self.pad._current is None:
            self.pad.clear()  # 重签, or a new promise
        mats = m.promised_materials()
        text: list[Node] = []
        for mat in mats:
            text.append(Panel(
                Label(tr("承诺代替：{name}").format(name=mat.name_in(m.language)), key="what"),
                Label(mat.promise_text_in(m.language), key="text"),
                key=f"promise:{mat.code}"))
        if d.citizen is not None:
            text.append(Label(tr("承诺人：{name}  {cert}").format(
                name=mask_name(d.citizen.name), cert=mask_id_number(d.citizen.cert_no)),
                key="who"))
        text.append(Label(tr("请阅读以上承诺内容，确认无误后在下方白色区域用手指签名。"), "hint",
                          key="how"))
        # The 承诺书 scrolls by dragging (大字版 on a small screen); the pad below it does not
        # move under the signing finger.
        out: list[Node] = [Scroll(*text, key="scroll", stretch=1)]
        out.append(Row(Own("pad", stretch=1),
                       Button(tr("重签"), Action.CLEAR_SIGNATURE,
                              enabled=bool(d.signature)), key="sign", stretch=1))
        if d.signature_problem:
            out.append(Label({"signature_empty": tr("还没有签名，请在白色区域签名"),
                              "signature_too_small": tr("签名太小或不完整，请点“重签”后重新签名")}
                             .get(d.signature_problem, d.signature_problem), "error",
                             key="problem"))
        return out
