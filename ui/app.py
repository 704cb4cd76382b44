"""The kiosk window: header, one screen per session state, the idle warning on top."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.session import Action, SessionMachine, State, Tap
from ui.controller import Controller
from ui.i18n import set_language, tr
from ui.icons import set_colors as set_icon_colors
from ui.keyboard import KeyboardDock
from ui.screens.attract import AttractScreen
from ui.screens.base import Screen, lazy_screen
from ui.texts import prompt
from ui.theme import Theme, ui_font_family
from ui.view import Button, Container, Host, Label, Node, Row, clear, refresh_icons, sync_children
from ui.voice import Voice

# The other screens are imported when first shown (ui.screens.lazy_screen): ~1,200 lines and
# their Qt classes off the path to the first paint of the attract screen.
RatingScreen = lazy_screen("finish", "RatingScreen")
ReceiptScreen = lazy_screen("finish", "ReceiptScreen")
ReviewScreen = lazy_screen("finish", "ReviewScreen")
PaymentScreen = lazy_screen("payment", "PaymentScreen")
PromiseScreen = lazy_screen("promise", "PromiseScreen")
StatusResultScreen = lazy_screen("finish", "StatusResultScreen")
SupplementDoneScreen = lazy_screen("finish", "SupplementDoneScreen")
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


class Overlay(QFrame):
    """Covers the screen with one question: the idle warning ("still there?", with a
    countdown) or "end and wipe?". The big default answer keeps the citizen's work, and a
    touch anywhere else means the same."""

    def __init__(self, ctl: Controller, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.setObjectName("idle")
        self.host = Host(lambda action, value: ctl.send(Tap(action, value)))  # type: ignore[arg-type]
        lay = QVBoxLayout(self)
        lay.setContentsMargins(64, 32, 64, 32)
        self.root = Container(Node("box", "overlay"))
        lay.addStretch(1)
        lay.addWidget(self.root)
        lay.addStretch(1)
        self._tree: Node | None = None
        self.hide()

    def show_for(self, m: SessionMachine) -> None:
        tree = self.tree(m)
        if tree is None:
            if self.isVisible():
                self.hide()
            return
        if tree != self._tree:
            self._tree = tree
            sync_children(self.root, tree.children, self.host)
        parent = self.parentWidget()
        if parent is not None and self.geometry() != parent.rect():
            self.setGeometry(parent.rect())
        if not self.isVisible():
            self.raise_()
            self.show()

    def tree(self, m: SessionMachine) -> Node | None:
        seconds = m.warning_left
        if seconds is not None:
            operator = m.state.operator_screen
            if operator:  # a staff member's or technician's own screen
                text, leave = tr("{n} 秒后将自动退出登录。").format(n=seconds), tr("退出登录")
                action = Action.LOGOUT
            else:
                text = tr("您还在吗？{n} 秒后将结束办理，并清除您的全部信息。").format(n=seconds)
                leave, action = tr("结束办理"), Action.FINISH_CONFIRM
            return Node("box", "overlay", children=(
                Label(str(seconds), "countdown", key="countdown", align="center",
                      accessible=tr("剩余 {n} 秒").format(n=seconds)),
                Label(text, "title", key="question", align="center"),
                Row(Button(leave, action, stretch=1, role="quiet"),
                    Button(tr("继续办理"), Action.STILL_HERE, primary=True, stretch=2),
                    key="answers")))
        if m.data.confirm_finish:
            return Node("box", "overlay", children=(
                Label(tr("结束办理将清除您已填写的信息和拍摄的材料，不能恢复。确定要结束吗？"), "title",
                      key="question", align="center"),
                Row(Button(tr("结束并清除"), Action.FINISH_CONFIRM, stretch=1, role="danger"),
                    Button(tr("继续办理"), Action.STILL_HERE, primary=True, stretch=2),
                    key="answers")))
        return None

    def wipe(self) -> None:
        clear(self.root)
        self._tree = None
        self.hide()

    def mousePressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.ctl.send(Tap(Action.STILL_HERE))  # a touch anywhere keeps the work


class ScreenStack(QStackedWidget):
    """The screens, one shown at a time, taking the room the header and the keyboard leave.
    It answers no height-for-width: Qt's stack answers with the tallest page for the width
    (hidden ones included, and a page's whole content, scrolled or not), and a vertical box
    layout then takes that as the stack's *minimum* height: everything below it was squeezed
    (in 大字版 at 1280x720 the keyboard's bottom row lost 5 px, or the window grew past the
    screen's edge). The shown screen scrolls what does not fit."""

    def hasHeightForWidth(self) -> bool:
        return False


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
        self.stack = ScreenStack()
        outer.addWidget(self.stack, 1)
        # The on-screen keyboard lives in the window, under the screens (ui/keyboard): it
        # opens for the focused field in the citizen's language and size, and the screen
        # above it shrinks, so the field (scrolled into view) is never covered.
        self.keyboard = KeyboardDock(self, outer, language=lambda: self.machine.language,
                                     sizes=self._keyboard_sizes)
        self.keyboard.panel.opening.connect(lambda: self._typing(True))
        self.keyboard.panel.hidden.connect(lambda: self._typing(False))
        self.setCentralWidget(central)
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
            State.PROMISE: lambda: PromiseScreen(ctl),
            State.DELIVERY: lambda: DeliveryScreen(ctl),
            State.REVIEW: lambda: ReviewScreen(ctl),
            State.PAYMENT: lambda: PaymentScreen(ctl),
            State.SUBMITTING: lambda: SubmittingScreen(ctl),
            State.RECEIPT: lambda: ReceiptScreen(ctl),
            State.RATING: lambda: RatingScreen(ctl),
            State.STATUS_QUERY: lambda: StatusQueryScreen(ctl),
            State.STATUS_RESULT: lambda: StatusResultScreen(ctl),
            State.SUPPLEMENT: lambda: MaterialsScreen(ctl),
            State.SUPPLEMENT_DONE: lambda: SupplementDoneScreen(ctl),
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
        self.idle = Overlay(ctl, central)
        self._look: tuple[bool, str] | None = None
        ctl.changed.connect(self.show_state)
        ctl.ended.connect(self.wipe)
        ctl.speak.connect(self._speak)
        self.show_state()

    @property
    def machine(self) -> SessionMachine:
        return self.ctl.machine

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
        theme = self.theme()
        colors = theme.colors
        if set_icon_colors(colors["primary"], colors["on_primary"], colors["disabled"]):
            refresh_icons(self)
        self.setStyleSheet(theme.stylesheet())

    def screen_for(self, state: State) -> Screen:
        screen = self.screens.get(state)
        if screen is None:
            screen = self.screens[state] = self._factories[state]()
            screen.state = state
            screen.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            self.stack.addWidget(screen)
        return screen

    def show_state(self) -> None:
        m = self.machine
        self._apply_look()
        screen = self.screen_for(m.state)
        screen.show_state(m)
        if self.stack.currentWidget() is not screen:
            # A new screen: the keyboard of the last one's field closes (a field of this
            # screen opens it again when touched).
            focused = QApplication.focusWidget()
            if focused is not None and not screen.isAncestorOf(focused):
                focused.clearFocus()
            self.keyboard.panel.detach()
            # Only the screen shown counts for the window's minimum size: a hidden screen's
            # (the materials screen's preview) would keep the keyboard off the bottom edge.
            previous = self.stack.currentWidget()
            if previous is not None:
                previous.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            screen.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            self.stack.setCurrentWidget(screen)
        step = ""
        progress = m.progress()
        if progress is not None:
            step = tr("第 {i} 步，共 {n} 步").format(i=progress[0], n=progress[1])
        role = {"staff": tr("工作人员模式"), "technician": tr("运维模式")}.get(m.desk.role, "")
        text = "  ·  ".join(x for x in (role, step) if x)
        if self.step.text() != text:
            self.step.setText(text)
        self.idle.show_for(m)

    def render_counts(self) -> tuple[int, int]:
        """(widgets created, widgets updated) by every screen so far: the tests that prove an
        event which changes nothing visible touches no widget read these."""
        hosts = [s.host for s in self.screens.values()] + [self.idle.host]
        return sum(h.created for h in hosts), sum(h.updated for h in hosts)

    def _typing(self, open_: bool) -> None:
        """While the keyboard is open the screen's navigation row gives it the room (大字版
        at 1280x720 has no other way to fit both)."""
        screen = self.stack.currentWidget()
        if isinstance(screen, Screen) and screen.typing != open_:
            screen.typing = open_
            screen.show_state(self.machine)
            if open_:
                self.keyboard.refit()  # the room the navigation row left
        for other in self.screens.values():
            other.typing = open_ if other is screen else False

    def _keyboard_sizes(self) -> tuple[int, int, int, bool]:
        t = self.theme()
        return t.target, t.font_px, t.min_target, t.elderly

    def wipe(self, reason: str = "") -> None:
        """The session ended: drop every widget that showed citizen data."""
        self.keyboard.wipe()  # what was typed, the pinyin in progress, the field
        for screen in self.screens.values():
            screen.wipe()
        self.idle.wipe()
        QApplication.clipboard().clear()
        self.show_state()

    def _speak(self, key: str) -> None:
        if self.voice is not None and self.voice.available:
            self.voice.say(prompt(key), self.machine.language)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self.keyboard.refit()  # another window height: another room for the keys
        central = self.centralWidget()
        if central is not None and self.idle.isVisible():
            self.idle.setGeometry(central.rect())
        if self._look is not None:
            sheet = self.theme().stylesheet()
            if sheet != self.styleSheet():  # the same sheet again re-polishes every widget
                self.setStyleSheet(sheet)
