"""The kiosk window: header, one screen per session state, the idle warning on top."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.session import Action, SessionMachine, State, Tap
from kiosk.session.states import JOURNEY
from ui.controller import Controller
from ui.i18n import set_language, tr
from ui.keyboard import KeyboardDock
from ui.screens.attract import AttractScreen
from ui.screens.base import Screen, lazy_screen
from ui.texts import prompt
from ui.theme import Theme, ui_font_family
from ui.voice import Voice

# The other screens are imported when first shown (ui.screens.lazy_screen): ~1,200 lines and
# their Qt classes off the path to the first paint of the attract screen.
RatingScreen = lazy_screen("finish", "RatingScreen")
ReceiptScreen = lazy_screen("finish", "ReceiptScreen")
ReviewScreen = lazy_screen("finish", "ReviewScreen")
StatusResultScreen = lazy_screen("finish", "StatusResultScreen")
SubmittingScreen = lazy_screen("finish", "SubmittingScreen")
DeliveryScreen = lazy_screen("form", "DeliveryScreen")
FormScreen = lazy_screen("form", "FormScreen")
FaceCheckScreen = lazy_screen("identify", "FaceCheckScreen")
IdentifyScreen = lazy_screen("identify", "IdentifyScreen")
StatusQueryScreen = lazy_screen("identify", "StatusQueryScreen")
MaterialsScreen = lazy_screen("materials", "MaterialsScreen")
ChooseMatterScreen = lazy_screen("matters", "ChooseMatterScreen")
ConsentScreen = lazy_screen("matters", "ConsentScreen")
GuideScreen = lazy_screen("matters", "GuideScreen")
AgentScreen = lazy_screen("staff", "AgentScreen")
LoginScreen = lazy_screen("staff", "LoginScreen")
ManualIdScreen = lazy_screen("staff", "ManualIdScreen")
QueueScreen = lazy_screen("staff", "QueueScreen")
ReprintScreen = lazy_screen("staff", "ReprintScreen")
StaffMenuScreen = lazy_screen("staff", "StaffMenuScreen")
TechScreen = lazy_screen("technician", "TechScreen")

log = logging.getLogger("ui.app")


class IdleWarning(QFrame):
    """Covers the screen: 'still there?' with a countdown; a touch anywhere keeps going."""

    def __init__(self, ctl: Controller, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idle")
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        self.text = QLabel()
        self.text.setObjectName("title")
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setWordWrap(True)
        lay.addWidget(self.text)
        row = QHBoxLayout()
        self.finish = QPushButton()
        self.finish.setObjectName("action:finish")
        self.finish.clicked.connect(lambda: ctl.send(Tap(
            Action.LOGOUT if ctl.machine.state.operator_screen else Action.FINISH)))
        self.stay = QPushButton()
        self.stay.setObjectName("action:still_here")
        self.stay.setProperty("primary", True)
        self.stay.clicked.connect(lambda: ctl.send(Tap(Action.STILL_HERE)))
        row.addWidget(self.finish)
        row.addWidget(self.stay)
        lay.addLayout(row)
        lay.addStretch(1)
        self.hide()

    def show_left(self, seconds: int | None, operator: bool = False) -> None:
        if seconds is None:
            self.hide()
            return
        if operator:  # a staff member's or technician's own screen
            self.text.setText(tr("{n} 秒后将自动退出登录。").format(n=seconds))
            self.finish.setText(tr("退出登录"))
        else:
            self.text.setText(tr("您还在吗？{n} 秒后将结束办理，并清除您的全部信息。").format(n=seconds))
            self.finish.setText(tr("结束办理"))
        self.stay.setText(tr("继续办理"))
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.stay.click()


class KioskWindow(QMainWindow):
    def __init__(self, ctl: Controller, *, hall_name: str, screen_width_mm: float,
                 voice: Voice | None = None, width: int = 1280, height: int = 800) -> None:
        super().__init__()
        self.ctl = ctl
        self.voice = voice
        self.screen_width_mm = screen_width_mm
        self.setWindowTitle(tr("自助服务终端"))
        self.resize(width, height)
        self.family = ui_font_family()
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.setContentsMargins(32, 12, 32, 0)
        self.hall = QLabel(hall_name)
        self.hall.setObjectName("hint")
        self.step = QLabel()
        self.step.setObjectName("hint")
        header.addWidget(self.hall)
        header.addStretch(1)
        header.addWidget(self.step)
        outer.addLayout(header)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # On-screen keyboard hook (ui/keyboard): docked under the screens, it opens for the
        # focused text field (layout from its "inputKind" property) and scrolls it into view.
        self.keyboard = KeyboardDock(self, outer, language=lambda: self.machine.language,
                                     sizes=self._keyboard_sizes)
        # Screens are built the first time they are needed: the attract screen paints sooner.
        factories: dict[State, Callable[[], Screen]] = {
            State.ATTRACT: lambda: AttractScreen(ctl, hall_name),
            State.IDENTIFY: lambda: IdentifyScreen(ctl),
            State.FACE_CHECK: lambda: FaceCheckScreen(ctl),
            State.CHOOSE_MATTER: lambda: ChooseMatterScreen(ctl),
            State.GUIDE: lambda: GuideScreen(ctl),
            State.CONSENT: lambda: ConsentScreen(ctl),
            State.FORM: lambda: FormScreen(ctl),
            State.MATERIALS: lambda: MaterialsScreen(ctl),
            State.DELIVERY: lambda: DeliveryScreen(ctl),
            State.REVIEW: lambda: ReviewScreen(ctl),
            State.SUBMITTING: lambda: SubmittingScreen(ctl),
            State.RECEIPT: lambda: ReceiptScreen(ctl),
            State.RATING: lambda: RatingScreen(ctl),
            State.STATUS_QUERY: lambda: StatusQueryScreen(ctl),
            State.STATUS_RESULT: lambda: StatusResultScreen(ctl),
            State.LOGIN: lambda: LoginScreen(ctl),
            State.STAFF_MENU: lambda: StaffMenuScreen(ctl),
            State.AGENT: lambda: AgentScreen(ctl),
            State.MANUAL_ID: lambda: ManualIdScreen(ctl),
            State.STAFF_QUEUE: lambda: QueueScreen(ctl),
            State.STAFF_REPRINT: lambda: ReprintScreen(ctl),
            State.TECH_MENU: lambda: TechScreen(ctl),
        }
        self._factories = factories
        self.screens: dict[State, Screen] = {}
        self.idle = IdleWarning(ctl, central)
        self._look: tuple[bool, str] | None = None
        ctl.changed.connect(self.show_state)
        ctl.ended.connect(self.wipe)
        ctl.speak.connect(self._speak)
        self.show_state()

    @property
    def machine(self) -> SessionMachine:
        return self.ctl.machine

    def _keyboard_sizes(self) -> tuple[int, int, int, bool]:
        t = self.theme()
        return t.target, t.font_px, t.min_target, t.elderly

    def theme(self) -> Theme:
        width = self.width()
        screen = self.screen() or QGuiApplication.primaryScreen()
        if self.isFullScreen() and screen is not None:
            width = screen.geometry().width()
        return Theme(width, self.screen_width_mm, self.machine.elderly, self.family)

    def _apply_look(self) -> None:
        m = self.machine
        look = (m.elderly, m.language)
        if look == self._look:
            return
        if self._look is None or look[1] != self._look[1]:
            set_language(m.language)
            self.setWindowTitle(tr("自助服务终端"))
        self._look = look
        self.setStyleSheet(self.theme().stylesheet())

    def screen_for(self, state: State) -> Screen:
        screen = self.screens.get(state)
        if screen is None:
            screen = self.screens[state] = self._factories[state]()
            self.stack.addWidget(screen)
        return screen

    def show_state(self) -> None:
        m = self.machine
        self._apply_look()
        screen = self.screen_for(m.state)
        screen.show_state(m)
        self.stack.setCurrentWidget(screen)
        step = ""
        if m.state in JOURNEY:
            step = tr("第 {i} 步，共 {n} 步").format(i=JOURNEY.index(m.state) + 1, n=len(JOURNEY))
        role = {"staff": tr("工作人员模式"), "technician": tr("运维模式")}.get(m.desk.role, "")
        self.step.setText("  ·  ".join(x for x in (role, step) if x))
        self.idle.show_left(m.warning_left, m.state.operator_screen)

    def wipe(self, reason: str = "") -> None:
        """The session ended: drop every widget that showed citizen data."""
        for screen in self.screens.values():
            screen.wipe()
        self.keyboard.wipe()  # on-screen keyboard hook: no typed pinyin or candidates kept
        self.idle.hide()
        QApplication.clipboard().clear()
        self.show_state()

    def _speak(self, key: str) -> None:
        if self.voice is not None and self.voice.available:
            self.voice.say(prompt(key), self.machine.language)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        central = self.centralWidget()
        if central is not None:
            self.idle.setGeometry(central.rect())
        if self._look is not None:
            sheet = self.theme().stylesheet()
            if sheet != self.styleSheet():  # the same sheet again re-polishes every widget
                self.setStyleSheet(sheet)
