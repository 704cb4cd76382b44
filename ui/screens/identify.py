"""Identify (lay the ID card down), the optional face check, and the status-query wait."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from kiosk.session import Action, SessionMachine
from ui.i18n import tr
from ui.screens.base import Screen
from ui.view import Button, Label, Node, Own


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
        text = tr("请将身份证平放在下方感应区，读卡时不要移动。")
        if m.data.agent:
            text = tr("代办人已登记。请放申请人本人的身份证（代办人请先取走自己的证件）。") + text
        out.append(Label(text, "hint", key="hint", align="center"))
        if m.data.message and m.data.message not in ("CARD_LIFTED", "TIMEOUT", "NO_CARD"):
            out.append(Button(tr("重试"), Action.RETRY))
        if m.desk.role == "staff":  # card unreadable or not at hand: staff check and type it
            out.append(Button(tr("手工录入证件信息"), Action.MANUAL_ENTRY))
        return out


class FaceCheckScreen(Screen):
    nav_next = True

    def body(self, m: SessionMachine) -> list[Node]:
        return [Label(tr("请正对屏幕上方的摄像头。"), "hint", key="hint")]


class StatusQueryScreen(Screen):
    def __init__(self, ctl) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctl)
        self.host.owned["card-hint"] = CardHint()

    def body(self, m: SessionMachine) -> list[Node]:
        return [Own("card-hint"),
                Label(tr("请放身份证，或把回执上的二维码对准扫码口。"), "hint", key="hint",
                      align="center")]
