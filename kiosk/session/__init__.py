"""The citizen session: one explicit state machine (no Qt), driven by events.

The UI renders ``SessionMachine.view()`` and sends events; the machine answers with effects
(read a card, fetch prefill, submit, print…) that the application layer runs off the GUI
thread and whose outcomes come back as events.
"""

from kiosk.session.events import (
    Action,
    CaptureDone,
    CardFailed,
    CardRead,
    DeviceChanged,
    Event,
    NetworkResult,
    QrScanned,
    Tap,
    Tick,
)
from kiosk.session.machine import SessionMachine, Timeouts
from kiosk.session.model import Citizen, SessionData
from kiosk.session.states import KioskMode, State

__all__ = [
    "Action", "CaptureDone", "CardFailed", "CardRead", "Citizen", "DeviceChanged", "Event",
    "KioskMode", "NetworkResult", "QrScanned", "SessionData", "SessionMachine", "State", "Tap",
    "Tick", "Timeouts",
]
