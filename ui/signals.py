"""Ctrl-C and ``systemctl stop`` end the kiosk cleanly: the event loop quits, devices and the
queue close, exit code 0.

Qt's event loop runs in C++: a Python signal handler only runs when the interpreter gets
control. ``signal.set_wakeup_fd`` writes a byte to a socket on every signal; a
QSocketNotifier on the other end wakes the loop at once.
"""

from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QCoreApplication, QSocketNotifier

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def quit_on_signals(app: QCoreApplication) -> None:
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno())
    caught: list[int] = []

    def handler(signum: int, _frame: object) -> None:
        caught.append(signum)

    for s in STOP_SIGNALS:
        signal.signal(s, handler)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def woke() -> None:
        try:
            reader.recv(64)
        except OSError:
            pass
        if caught:
            app.quit()

    notifier.activated.connect(woke)
    # The sockets live as long as the process: the wakeup fd must stay open.
    _keep.extend((reader, writer))


_keep: list[socket.socket] = []
