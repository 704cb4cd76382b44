"""Starting the kiosk window (``kiosk run``, ``kiosk selftest``, tests, screenshots)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from kiosk.availability import polled_roles
from kiosk.catalog import Catalog
from kiosk.config import Settings
from kiosk.services import KioskBackend
from kiosk.session import SessionMachine, Timeouts
from ui.app import KioskWindow
from ui.controller import Controller
from ui.keyboard import no_system_input_method
from ui.screens.base import AFTER_PAINT_MS, import_lazy_screens
from ui.theme import ui_font_family
from ui.voice import Voice

STARTING = {role: "STARTING" for role in polled_roles()}


def application(language: str = "zh_CN") -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    no_system_input_method()  # the keyboard is a widget in the window (ui/keyboard)
    # Under a Wayland kiosk compositor (cage) Qt draws its own title bar around the window:
    # 30 lines that push the bottom of the window, the keyboard's bottom row, off the output.
    os.environ.setdefault("QT_WAYLAND_DISABLE_WINDOWDECORATION", "1")
    app = QApplication(sys.argv[:1])
    app.setApplicationName("kiosk")  # how assistive technology (AT-SPI) names the program
    app.setFont(QFont(ui_font_family()))
    QTimer.singleShot(AFTER_PAINT_MS, _warm_up)
    return app


def _warm_up() -> None:
    """Just after the first paint, what must not wait for the middle of a citizen's journey
    (nor delay the attract screen): PySide6 builds the Python enums of QStyle on first use
    (~20 ms; the form re-polishes a field that turns red), and the screens other than the
    attract screen are imported (~15 ms)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.style()
    import_lazy_screens()


@dataclass
class Kiosk:
    window: KioskWindow
    controller: Controller
    machine: SessionMachine
    services: KioskBackend


def build_kiosk(settings: Settings, services: KioskBackend, *, catalog: Catalog | None = None,
                voice: bool | None = None, width: int = 1280, height: int = 800) -> Kiosk:
    """The window on the given services. The catalog loads in the background unless given."""
    ui = settings.ui
    machine = SessionMachine(
        catalog or Catalog([]),
        Timeouts(ui.idle_timeout_s, ui.idle_warning_s, ui.elderly_timeout_factor),
        language=settings.kiosk.language, elderly_default=ui.elderly_mode_default,
        face_policy=settings.identity.face_check,
        face_attempts=settings.identity.face_attempts)
    machine.device_problems = dict(STARTING)
    controller = Controller(machine, services)
    window = KioskWindow(controller, hall_name=settings.kiosk.hall_name,
                         screen_width_mm=ui.screen_width_mm,
                         voice=Voice(ui.voice_prompts if voice is None else voice),
                         width=width, height=height)
    if catalog is None:
        def loaded(c: Catalog) -> None:
            machine.catalog = c
            window.show_state()

        controller.bridge.run(services.catalog, loaded, session_bound=False)
    controller.poll_devices()
    return Kiosk(window, controller, machine, services)


def _start_services(settings: Settings) -> KioskBackend:
    from kiosk.app_services import AppServices  # imported after the first paint

    return AppServices(settings)


def run(settings: Settings, fullscreen: bool | None = None) -> int:
    from kiosk.lazy_services import LazyServices

    app = application(settings.kiosk.language)
    services = LazyServices(lambda: _start_services(settings), start=False)
    kiosk = build_kiosk(settings, services)
    if settings.ui.fullscreen if fullscreen is None else fullscreen:
        kiosk.window.showFullScreen()
    else:
        kiosk.window.show()
    kiosk.window.activateWindow()  # text fields get the focus without a WM
    QTimer.singleShot(0, services.start)  # after the first paint
    from ui.signals import quit_on_signals

    quit_on_signals(app)  # Ctrl-C in `make run`, SIGTERM from systemd: a clean stop
    from ui.watchdog import SystemdWatchdog

    watchdog = SystemdWatchdog(AFTER_PAINT_MS)  # READY=1 and WATCHDOG=1 under systemd
    try:
        return app.exec()
    finally:
        watchdog.stopping()
        kiosk.controller.shutdown()
        services.close()
