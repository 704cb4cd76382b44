"""Runs the session machine's effects through the bridge and feeds outcomes back as events.

This is glue only: every decision is in ``kiosk.session``. The window listens to ``changed``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QPixmapCache

from devices.base import Cancel
from devices.status import Result
from kiosk.malloc_tuning import release_free_memory
from kiosk.services import KioskBackend, PreviewFrame
from kiosk.session import (
    CaptureDone,
    CardFailed,
    CardRead,
    DeviceChanged,
    Event,
    NetworkResult,
    QrScanned,
    SessionMachine,
    Tick,
)
from kiosk.session import effects as fx
from kiosk.session.model import Page
from kiosk.session.results import ResultKind
from ui.bridge import Bridge

log = logging.getLogger("ui.controller")

CARD_WAIT_S = 30.0  # one read attempt; the machine asks again while the screen is open


class Controller(QObject):
    changed = Signal()
    frame = Signal(object)  # PreviewFrame for the materials screen
    face_frame = Signal(object)  # PreviewFrame for the face-check screen
    ended = Signal(str)  # the session ended (reason): the window wipes every screen
    speak = Signal(str)  # prompt key

    def __init__(self, machine: SessionMachine, services: KioskBackend,
                 bridge: Bridge | None = None, poll_devices_ms: int = 1500) -> None:
        super().__init__()
        self.machine = machine
        self.services = services
        self.bridge = bridge or Bridge()
        self._reading: Cancel | None = None
        self._reading_card = True
        self._camera: Cancel | None = None
        self._face: Cancel | None = None
        self._face_frame_pending = False
        self._face_said = ""  # the liveness challenge already spoken in this attempt
        self._capture_requested = False
        self._frame_pending = False
        self._polling = False
        self.errors: list[str] = []  # bugs reported by background work (selftest shows them)
        self._shown_clock: tuple[object, ...] = ()
        self._tick = QTimer(self)
        self._tick.setInterval(500)
        self._tick.timeout.connect(lambda: self.send(Tick(time.monotonic())))
        self._tick.start()
        self._poll = QTimer(self)
        self._poll.setInterval(poll_devices_ms)
        self._poll.timeout.connect(self.poll_devices)
        self._poll.start()
        for effect in machine.initial_effects():
            self._run(effect)
        # A technician may have taken the kiosk out of service before a restart.
        # In a lambda: with LazyServices the attribute itself waits for the services, which
        # start only after the first paint (it hung the GUI thread in build_kiosk).
        self.bridge.run(lambda: services.operator.out_of_service(),
                        lambda out: self.send(NetworkResult(ResultKind.OUT_OF_SERVICE, True, out)),
                        session_bound=False)

    # -- events in --

    def send(self, event: Event) -> None:
        """The machine handles the event; the window re-renders. Screens compare what they
        would show with what they show, so an event that changes nothing visible touches no
        widget; a clock tick re-renders only when what a tick can change did change."""
        effects = self.machine.handle(event)
        for effect in effects:
            self._run(effect)
        # Compared with what was last drawn, not with the moment before this tick: a
        # deadline (the receipt's dwell) passes between ticks, in real time.
        shown = self.machine.view_clock()
        if not isinstance(event, Tick) or effects or shown != self._shown_clock:
            self._shown_clock = shown
            self.changed.emit()

    def poll_devices(self) -> None:
        if self._polling:
            return
        self._polling = True

        def done(problems: dict[str, str]) -> None:
            self._polling = False
            if problems != self.machine.device_problems:
                self.send(DeviceChanged(problems))

        def failed(err: str) -> None:
            self._polling = False

        self._background(self.services.device_problems, done, failed, keep=True)

    # -- effects out --

    def _background(self, fn: Callable[[], Any], ok: Callable[[Any], None],
                    failed: Callable[[str], None] | None = None, keep: bool = False) -> None:
        def on_failure(err: str) -> None:
            self.errors.append(err)
            if failed is not None:
                failed(err)

        self.bridge.run(fn, ok, on_failure, session_bound=not keep)

    def _run(self, effect: fx.Effect) -> None:
        s = self.services
        if isinstance(effect, fx.WatchQr):
            self._start_reading(card=False)
        elif isinstance(effect, fx.ReadCard):
            self._start_reading()
        elif isinstance(effect, fx.StopReading):
            self._stop_reading()
        elif isinstance(effect, fx.VerifyFace):
            self._start_face(effect)
        elif isinstance(effect, fx.StopFace):
            self._stop_face()
        elif isinstance(effect, fx.VerifyEid):
            code = effect.code
            self._background(lambda: s.verify_eid(code), lambda r: self._network(effect, r),
                             lambda err: self._failed(effect, "eid_unavailable"))
        elif isinstance(effect, fx.FetchPrefill):
            e = effect
            self._background(lambda: s.prefill(e.impl_code, e.citizen, e.consent_id),
                             lambda r: self._network(e, r), lambda err: self._failed(e, err))
        elif isinstance(effect, fx.StartPreview):
            self._start_camera()
        elif isinstance(effect, fx.StopPreview):
            self._stop_camera()
        elif isinstance(effect, fx.CapturePage):
            self._capture_requested = True
        elif isinstance(effect, fx.Submit):
            sub = effect
            self._background(lambda: s.submit(sub.application, sub.files, sub.promises),
                             lambda r: self._network(sub, r), lambda err: self._failed(sub, err))
        elif isinstance(effect, fx.PrintReceipt):
            rec = effect
            self._background(lambda: s.print_receipt(rec.receipt),
                             lambda r: self._network(rec, r), lambda err: self._failed(rec, err))
        elif isinstance(effect, fx.PrintA4):
            a4 = effect
            self._background(lambda: s.print_a4(a4.copy), lambda r: self._network(a4, r),
                             lambda err: self._failed(a4, err))
        elif isinstance(effect, fx.PrintSupplementReceipt):
            sr = effect
            self._background(lambda: s.print_supplement_receipt(sr.receipt),
                             lambda r: self._network(sr, r), lambda err: self._failed(sr, err))
        elif isinstance(effect, fx.SendRating):
            ev = effect
            # The session is already over: the outcome is not shown to anybody.
            self.bridge.run(lambda: s.rate(ev.evaluation), lambda r: None,
                            lambda err: self.errors.append(err))
        elif isinstance(effect, fx.QueryStatus):
            q = effect
            self._background(lambda: s.query_status(q.citizen, q.ref, q.password),
                             lambda r: self._network(q, r), lambda err: self._failed(q, err))
        elif isinstance(effect, fx.SubmitSupplement):
            sup = effect
            self._background(lambda: s.submit_supplement(sup.application_id, sup.files),
                             lambda r: self._network(sup, r), lambda err: self._failed(sup, err))
        elif isinstance(effect, fx.CallHelp):
            call = effect
            # Not session-bound: the number must reach the screen even if the session ends.
            self.bridge.run(lambda: s.call_for_help(call.step), lambda r: self._network(call, r),
                            lambda err: self._failed(call, err),
                            session_bound=False)
        elif isinstance(effect, fx.HelpHandled):
            rid = effect.request_id
            self.bridge.run(lambda: s.help_handled(rid), lambda _r: None, self.errors.append,
                            session_bound=False)
        elif isinstance(effect, fx.CreatePayment):
            c = effect
            self._background(lambda: s.create_payment(c.impl_code, c.amount_fen),
                             lambda r: self._network(c, r), lambda err: self._failed(c, err))
        elif isinstance(effect, fx.PollPayment):
            poll = effect  # waits on a worker (up to wait_s), never on the GUI thread
            self._background(lambda: s.payment_status(poll.payment_id, poll.wait_s),
                             lambda r: self._network(poll, r),
                             lambda err: self._failed(poll, err))
        elif isinstance(effect, fx.CancelPayment):
            pid = effect.payment_id
            # Not session-bound: an order left behind by a session that ended is cancelled too.
            self.bridge.run(lambda: s.cancel_payment(pid), lambda _r: None, self.errors.append,
                            session_bound=False)
        elif isinstance(effect, fx.Desk):
            desk = effect
            # Looked up on the worker: on LazyServices the attribute waits for the services.
            self._background(lambda: getattr(s.operator, desk.op.value)(*desk.args),
                             lambda r: self._network(desk, r),
                             lambda err: self._failed(desk, err))
        elif isinstance(effect, fx.Audit):
            a = effect
            # Not session-bound: the record of a session's end must be written after it.
            self.bridge.run(lambda: s.operator.audit(a.event, a.actor, a.details), lambda _r: None,
                            self.errors.append, session_bound=False, ordered=True)
        elif isinstance(effect, fx.Speak):
            self.speak.emit(effect.key)
        elif isinstance(effect, fx.SessionEnded):
            self.bridge.invalidate()  # late results of this session are dropped
            self._frame_pending = False
            self.ended.emit(effect.reason)
            # Qt's style keeps pixmaps drawn from the session's page thumbnails in its pixmap
            # cache (up to 10 MB): citizen images, and RSS growing journey after journey.
            QPixmapCache.clear()
            self.bridge.run(release_free_memory, lambda _r: None, session_bound=False)

    def _network(self, effect: fx.Asks, result: Result[Any]) -> None:
        """The outcome of ``effect``, reported under the kind the effect names."""
        if result.ok:
            self.send(NetworkResult(effect.result, True, result.value))
        else:
            assert result.fault is not None
            self.send(NetworkResult(effect.result, False, result.fault.message,
                                    error=result.fault.code))

    def _failed(self, effect: fx.Asks, error: str) -> None:
        """``effect`` could not run at all (a bug or an unreachable service): ``error``."""
        self.send(NetworkResult(effect.result, False, error=error))

    def _start_reading(self, card: bool = True) -> None:
        """One reading round: the ID card (unless ``card`` is False) and the QR scanner,
        whichever answers first; a new round replaces a running one."""
        if self._reading is not None and not self._reading.cancelled:
            if card == self._reading_card:
                return
            self._reading.cancel()
        cancel = Cancel()
        self._reading = cancel
        self._reading_card = card
        s = self.services

        def card_done(r: Result[Any]) -> None:
            if cancel.cancelled:
                return
            self._reading = None
            cancel.cancel()  # stops the QR wait of the same round
            if r.ok and r.value is not None:
                self.send(CardRead(r.value))
            elif r.fault is not None:
                self.send(CardFailed(r.fault.code, r.fault.message))

        def qr_done(r: Result[Any]) -> None:
            if cancel.cancelled:
                return
            if r.ok:
                self._reading = None
                cancel.cancel()
                self.send(QrScanned(str(r.value)))

        def qr_round(r: Result[Any]) -> None:
            qr_done(r)
            if not card and not cancel.cancelled and self._reading is cancel:
                # Nothing scanned in this round: listen again (after a pause if the scanner
                # failed at once, e.g. unplugged, so this is no busy loop).
                delay = 0 if r.fault is not None and r.fault.code == "TIMEOUT" else 1000
                QTimer.singleShot(delay, lambda: self._rewatch(cancel))

        if card:
            self._background(lambda: s.read_card(cancel, CARD_WAIT_S), card_done,
                             lambda err: self.send(CardFailed("READ_FAILED", err)))
        self._background(lambda: s.read_qr(cancel, CARD_WAIT_S), qr_round,
                         keep=not card)

    def _rewatch(self, previous: Cancel) -> None:
        if self.bridge.closed:
            return
        if self._reading is previous and not previous.cancelled:
            self._reading = None
            self._start_reading(card=False)

    def _stop_reading(self) -> None:
        if self._reading is not None:
            self._reading.cancel()
            self._reading = None

    def _start_camera(self) -> None:
        if self._camera is not None and not self._camera.cancelled:
            return  # already running; the machine changed only which material is current
        cancel = Cancel()
        self._camera = cancel
        self._capture_requested = False
        bridge = self.bridge
        gen = bridge.generation

        def capture_now() -> bool:
            wanted, self._capture_requested = self._capture_requested, False
            return wanted

        def on_frame(f: PreviewFrame) -> None:
            if self._frame_pending or cancel.cancelled:
                return  # the screen is behind: drop frames instead of queueing them
            self._frame_pending = True
            bridge.post(lambda: self._show_frame(f), gen)

        def on_page(page: Page | None, problem: str) -> None:
            if not cancel.cancelled:
                bridge.post(lambda: self._page(page, problem), gen)

        self._background(lambda: self.services.camera_session(cancel, capture_now, on_frame,
                                                              on_page),
                         lambda _r: None)

    def _show_frame(self, f: PreviewFrame) -> None:
        self._frame_pending = False
        self.frame.emit(f)

    def _page(self, page: Page | None, problem: str) -> None:
        self.send(CaptureDone(self.machine.data.material_code, page, problem))

    def _start_face(self, effect: fx.VerifyFace) -> None:
        """One face-check attempt off the GUI thread; frames to the face screen, the decision
        to the machine. A new attempt replaces a running one."""
        self._stop_face()
        cancel = Cancel()
        self._face = cancel
        self._face_said = ""
        bridge = self.bridge
        gen = bridge.generation

        def on_frame(f: PreviewFrame) -> None:
            if self._face_frame_pending or cancel.cancelled:
                return
            self._face_frame_pending = True
            bridge.post(lambda: self._show_face_frame(f), gen)

        def done(r: Result[Any]) -> None:
            if cancel.cancelled or self._face is not cancel:
                return  # stopped: the citizen left the step (its outcome is dropped)
            self._face = None
            self._network(e, r)

        e = effect
        self._background(lambda: self.services.face_check(cancel, e.cert_type, e.cert_no,
                                                          on_frame),
                         done, lambda err: None if cancel.cancelled else self.send(
                             NetworkResult(e.result, False, error="face_unavailable")))

    def _show_face_frame(self, f: PreviewFrame) -> None:
        self._face_frame_pending = False
        if f.problem in ("BLINK", "TURN_LEFT", "TURN_RIGHT") and f.problem != self._face_said:
            self._face_said = f.problem  # the challenge is said once, as it appears
            self.speak.emit("face_" + f.problem)
        self.face_frame.emit(f)

    def _stop_face(self) -> None:
        if self._face is not None:
            self._face.cancel()
            self._face = None
        self._face_frame_pending = False

    def _stop_camera(self) -> None:
        if self._camera is not None:
            self._camera.cancel()
            self._camera = None
        self._frame_pending = False

    def shutdown(self) -> None:
        """Before the services close: cancel every wait, then let the workers finish."""
        self._tick.stop()
        self._poll.stop()
        self._stop_reading()
        self._stop_camera()
        self._stop_face()
        self.bridge.shutdown()
