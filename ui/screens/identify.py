"""Identify (lay the ID card down), the optional face check, and the status-query wait."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from kiosk.session import Action, SessionMachine
from ui.i18n import tr
from ui.screens.base import Screen
from ui.screens.preview import FOUND, CameraPreview
from ui.texts import face_outcome, face_prompt
from ui.view import Button, Label, Node, Own, Row, Stretch


class CardHint(QWidget):
    """A card gliding onto the reader: the animated 'lay your card here' hint."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumHeight(260)
        self._phase = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._step)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._timer.stop()
        super().hideEvent(event)

    def _step(self) -> None:
        self._phase = (self._phase + 0.02) % 1.0
        self.update()

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        reader = QRectF(w / 2 - 150, h - 90, 300, 70)
        p.setPen(QPen(QColor("#1565c0"), 3))
        p.setBrush(QColor("#dfe8f5"))
        p.drawRoundedRect(reader, 12, 12)
        ease = 0.5 - 0.5 * math.cos(min(1.0, self._phase * 1.6) * math.pi)
        card = QRectF(w / 2 - 95, 10 + ease * (h - 150), 190, 120)
        p.setBrush(QColor("#fff8e1"))
        p.setPen(QPen(QColor("#8d6e63"), 3))
        p.drawRoundedRect(card, 10, 10)
        p.setBrush(QColor("#bcaaa4"))
        p.drawRect(QRectF(card.x() + 18, card.y() + 24, 46, 60))
        p.end()


class IdentifyScreen(Screen):
    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self.host.owned["card-hint"] = CardHint()

    def body(self, m: SessionMachine) -> list[Node]:
        out: list[Node] = [Own("card-hint")]
        text = tr("请将身份证平放在下方感应区，读卡时不要移动。没带身份证也可以扫描手机上的电子身份码。")
        if m.data.agent:
            text = tr("代办人已登记。请放申请人本人的身份证（代办人请先取走自己的证件）。") + text
        out.append(Label(text, "hint", key="hint", align="center"))
        if m.data.message and m.data.message not in ("CARD_LIFTED", "TIMEOUT", "NO_CARD"):
            out.append(Button(tr("重试"), Action.RETRY))
        if m.desk.role == "staff":  # card unreadable or not at hand: staff check and type it
            out.append(Button(tr("手工录入证件信息"), Action.MANUAL_ENTRY))
        return out


class FacePreview(CameraPreview):
    """The face camera: an oval framing guide, the face found outlined, the prompt of the
    moment; the last picture dimmed once an attempt is over."""

    outline_px = 3

    def __init__(self) -> None:
        super().__init__(min_height=200)
        self.live = True  # an attempt is running (else the last picture is shown dimmed)

    def set_live(self, live: bool) -> None:
        if live != self.live:
            self.live = live
            self.update()

    def waiting_text(self) -> str:
        return tr("正在打开摄像头…")

    def prompt_text(self) -> str:
        return face_prompt(self.prompt)

    def overlay(self, p: QPainter, picture: QRectF, scale: float) -> bool:
        if not self.live:  # the attempt is over: its last picture, dimmed, says nothing
            p.fillRect(self.rect(), QColor(0, 0, 0, 150))
            return False
        gh = picture.height() * 0.78  # the framing guide: where the face belongs
        guide = QRectF(self.width() / 2 - gh * 0.38, picture.y() + picture.height() * 0.08,
                       gh * 0.76, gh)
        ok = self.prompt in ("hold_still", "checking", "BLINK", "TURN_LEFT", "TURN_RIGHT")
        p.setPen(QPen(QColor(FOUND if ok else "#ffffff"), 5, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(guide)
        return True


class FaceCheckScreen(Screen):
    """人证比对: the live picture with its guide and prompts; the result in plain words, 再试一次
    after a failure, 跳过 where the check is optional, and after the last failure only the
    way to staff (结束办理 in the header)."""

    scrolls = False

    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self.preview = FacePreview()
        ctl.face_frame.connect(self.preview.show_frame)
        self.host.owned["face-preview"] = self.preview

    def body(self, m: SessionMachine) -> list[Node]:
        d = m.data
        self.preview.set_live(d.face_status == "running")
        out: list[Node] = []
        if d.face_status != "to_staff":
            out.append(Label(tr("请摘下帽子和口罩，正对屏幕上方的摄像头，按画面提示眨眼或转头。"),
                             "hint", key="hint"))
            out.append(Own("face-preview", stretch=1))
        left = max(0, m.face_attempts - d.face_attempts)
        text = face_outcome(d.face_status, d.face_reason, left)
        if text:
            out.append(Label(text, "error", key="outcome"))
        buttons: list[Node] = []
        if d.face_status in ("failed", "unavailable"):
            buttons.append(Button(tr("再试一次"), Action.RETRY, primary=True))
        if m.face_level() == "optional" and d.face_status != "to_staff":
            buttons.append(Button(tr("跳过人脸核验"), Action.SKIP))
        if buttons:
            out.append(Row(*buttons, Stretch("face-gap"), key="face-actions"))
        if d.face_status == "to_staff":
            out.append(Stretch("staff-gap"))
        return out

    def wipe(self) -> None:
        super().wipe()
        self.preview.clear()


class StatusQueryScreen(Screen):
    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self.host.owned["card-hint"] = CardHint()

    def body(self, m: SessionMachine) -> list[Node]:
        return [Own("card-hint"),
                Label(tr("请放身份证，或把回执上的二维码对准扫码口。"), "hint", key="hint",
                      align="center")]
