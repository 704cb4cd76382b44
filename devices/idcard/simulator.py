"""A GA 467 reader simulated on a pseudo-terminal: the real driver talks to it through a real
tty, byte for byte (demo mode and tests).

    sim = IdCardSimulator(cards=sample_cards.all_cards(), link_path="/tmp/idcard0")
    sim.start(); sim.present()          # lay the first card on the reader
    ... IdCardReader("idcard", {"port": sim.path}) ...
    sim.lift(); sim.unplug(); sim.replug(); sim.stop()

Behaviour like a real SAM: find fails (80) without a card and, after a successful read,
until the card is lifted and re-presented; answers are paced at the baud rate (10 bits per
byte) after a processing delay. Faults can be injected: ``fail_next("checksum" | "truncate" |
"silent" | "noise" | "lift_mid_read" | "auth")`` for the next answer(s), ``sam_fault = 0x60`` for a
broken SAM, ``unplug()`` closes the pty (the driver sees the port vanish), ``replug()`` opens
a new one behind the same ``link_path``.

Auto mode for the demo: ``auto_present_s`` presents the next card after that long without a
card, ``auto_lift_s`` lifts a card that long after it was read.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from collections import deque
from collections.abc import Sequence

from devices.idcard.frame import Command, Frame, pack_read_data, pack_response
from devices.idcard.stream import StreamDecoder, StreamError
from devices.idcard.textblock import encode_text_block
from devices.idcard.types import IdCard
from devices.sim_pty import close_pty, open_pty, paced, write_all

log = logging.getLogger("devices.idcard.simulator")

DEFAULT_SAM_ID = bytes.fromhex("05000100") + (20101111).to_bytes(4, "little") + \
    (12345678).to_bytes(4, "little") + (999999999).to_bytes(4, "little")

_READS = frozenset({Command.READ_BASE, Command.READ_WITH_FINGERPRINT})
FAULTS = ("checksum", "truncate", "silent", "noise", "lift_mid_read", "auth")

# Processing time inside a real reader before the first answer byte (RF exchange with the card
# dominates the read). Used when ``realistic=True``; tests default to no delay.
REAL_DELAYS_S: dict[Command, float] = {
    Command.FIND_CARD: 0.03, Command.SELECT_CARD: 0.03, Command.READ_BASE: 0.6,
    Command.READ_WITH_FINGERPRINT: 0.9, Command.READ_ADDRESS: 0.4,
}


class IdCardSimulator:
    def __init__(self, cards: Sequence[IdCard] = (), *, baudrate: int | None = 115200,
                 realistic: bool = False, link_path: str | None = None,
                 auto_present_s: float | None = None, auto_lift_s: float | None = None,
                 halt_after_read: bool = True, fingerprint: bytes = b"",
                 added_address: str = "", sam_id: bytes = DEFAULT_SAM_ID) -> None:
        self.cards = list(cards)
        self.baudrate = baudrate  # None: answer as fast as the pty takes it
        self.realistic = realistic
        self.link_path = link_path
        self.auto_present_s = auto_present_s
        self.auto_lift_s = auto_lift_s
        self.halt_after_read = halt_after_read
        self.fingerprint = fingerprint
        self.added_address = added_address
        self.sam_id = sam_id
        self.sam_fault: int | None = None  # e.g. 0x60 self-test failed: every answer is that
        self.requests: list[Command | None] = []  # what the host asked, in order
        self.bytes_in = 0
        self.bytes_out = 0
        self._faults: deque[tuple[str, frozenset[Command]]] = deque()
        self._absence_unseen = False  # a lift the host has not yet observed by a failed find
        self._lock = threading.RLock()
        self._card: IdCard | None = None
        self._next = 0
        self._halted = False
        self._changed_at = time.monotonic()
        self._read_at: float | None = None
        self._master = -1
        self._slave = -1
        self._slave_name = ""
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._plugged = threading.Event()

    # --- lifecycle ------------------------------------------------------------------------

    @property
    def path(self) -> str:
        """The port the driver opens: ``link_path`` if given (stable across replug)."""
        return self.link_path or self._slave_name

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def plugged(self) -> bool:
        return self._plugged.is_set()

    def start(self) -> IdCardSimulator:
        self._open_pty()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="idcard-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None
        self._close_pty(unlink=True)

    def __enter__(self) -> IdCardSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def unplug(self) -> None:
        """Like pulling the USB cable: the pty goes away, the driver's reads fail."""
        with self._lock:
            self._close_pty(unlink=True)

    def replug(self) -> None:
        with self._lock:
            if not self._plugged.is_set():
                self._open_pty()

    # --- the card on the reader -----------------------------------------------------------

    def present(self, card: IdCard | None = None) -> None:
        """Lay ``card`` (default: the next of ``cards``, cycling) on the reader."""
        with self._lock:
            if card is None:
                if not self.cards:
                    raise ValueError("the simulator has no cards to present")
                card = self.cards[self._next % len(self.cards)]
                self._next += 1
            # Swapping cards by hand takes longer than a find: the host sees one "no card".
            self._absence_unseen = self._absence_unseen or self._card is not None
            self._card, self._halted = card, False
            self._changed_at, self._read_at = time.monotonic(), None

    def lift(self) -> None:
        with self._lock:
            if self._card is not None:
                self._absence_unseen = True
            self._card, self._halted = None, False
            self._changed_at, self._read_at = time.monotonic(), None

    @property
    def card_present(self) -> bool:
        return self._card is not None

    def fail_next(self, fault: str, count: int = 1) -> None:
        """Spoil the next ``count`` answers: ``checksum``/``truncate``/``silent`` hit any
        command, ``lift_mid_read``/``auth`` wait for the next card read."""
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {FAULTS}")
        only = _READS if fault in ("lift_mid_read", "auth") else frozenset(Command)
        with self._lock:
            self._faults.extend([(fault, only)] * count)

    def _take_fault(self, command: Command | None) -> str:
        if self._faults and command in self._faults[0][1]:
            return self._faults.popleft()[0]
        return ""

    # --- pty ------------------------------------------------------------------------------

    def _open_pty(self) -> None:
        self._master, self._slave, self._slave_name = open_pty(self.link_path)
        os.set_blocking(self._master, False)
        self._plugged.set()

    def _close_pty(self, unlink: bool = False) -> None:
        self._plugged.clear()
        close_pty(self._master, self._slave, link_path=self.link_path if unlink else None)
        self._master = self._slave = -1

    # --- the reader's loop ----------------------------------------------------------------

    def _run(self) -> None:
        decoder = StreamDecoder()
        while not self._stop.is_set():
            if not self._plugged.wait(0.05):
                decoder.reset()
                continue
            master = self._master
            try:
                ready, _, _ = select.select([master], [], [], 0.05)
            except (OSError, ValueError):  # unplugged under us
                continue
            self._auto()
            if not ready:
                continue
            try:
                data = os.read(master, 4096)
            except BlockingIOError:
                continue
            except OSError:  # EIO: nobody has the slave open right now
                time.sleep(0.02)
                continue
            self.bytes_in += len(data)
            for item in decoder.feed(data):
                try:
                    answer = self._answer(item)
                except Exception:  # e.g. a configured card whose field does not fit the chip
                    log.exception("idcard simulator could not answer; replying 'read failed'")
                    answer = (None, pack_response(0x41))
                if answer is not None:
                    self._send(master, *answer)

    def _auto(self) -> None:
        now = time.monotonic()
        with self._lock:
            if self._card is None and self.auto_present_s is not None and self.cards \
                    and now - self._changed_at >= self.auto_present_s:
                self.present()
            elif self._read_at is not None and self.auto_lift_s is not None \
                    and now - self._read_at >= self.auto_lift_s:
                self.lift()

    def _answer(self, item: Frame | StreamError) -> tuple[Command | None, bytes] | None:
        with self._lock:
            if isinstance(item, StreamError):
                self.requests.append(None)
                return None, pack_response(0x10)  # checksum error in the host frame
            command = item.command
            self.requests.append(command)
            fault = self._take_fault(command)
            if fault == "silent":
                return None
            if self.sam_fault is not None:
                return command, pack_response(self.sam_fault)
            answer = self._respond(command, item.data, fault)
            if fault == "checksum":
                answer = answer[:-1] + bytes([answer[-1] ^ 0xFF])
            elif fault == "truncate":
                answer = answer[: max(8, len(answer) // 2)]
            elif fault == "noise":  # line noise (a USB-serial bridge waking up) before it
                answer = b"\x00\xff\xaa\xaa\x13" + answer
            return command, answer

    def _respond(self, command: Command | None, data: bytes, fault: str) -> bytes:
        card = self._card
        if command in (Command.RESET, Command.SAM_STATUS, Command.SET_MAX_RF_BYTES):
            return pack_response(0x90)
        if command is Command.SAM_ID:
            return pack_response(0x90, self.sam_id)
        if command is Command.FIND_CARD:
            if card is None or self._halted or self._absence_unseen:
                self._absence_unseen = False
                return pack_response(0x80)
            return pack_response(0x9F, bytes(4))
        if command is Command.SELECT_CARD:
            if card is None:
                return pack_response(0x81)
            return pack_response(0x90, bytes(8))
        if command in (Command.READ_BASE, Command.READ_WITH_FINGERPRINT):
            if card is None:
                return pack_response(0x41)
            if fault == "lift_mid_read":
                self.lift()
                return pack_response(0x41)
            if fault == "auth":
                return pack_response(0x33)
            photo = bytes(card.photo.data) if card.photo is not None else bytes(1024)
            fp = self.fingerprint if command is Command.READ_WITH_FINGERPRINT else None
            body = pack_read_data(encode_text_block(card), photo, fp)
            if self.halt_after_read:
                self._halted = True
            self._read_at = time.monotonic()
            return pack_response(0x90, body)
        if command is Command.READ_ADDRESS:
            if card is None:
                return pack_response(0x41)
            if not self.added_address:
                return pack_response(0x91)
            return pack_response(0x90, self.added_address.ljust(35).encode("utf-16-le")[:70])
        return pack_response(0x21)  # unknown command

    def _send(self, master: int, command: Command | None, answer: bytes) -> None:
        if self.realistic and command is not None:
            time.sleep(REAL_DELAYS_S.get(command, 0.005))
        for piece in paced(answer, self.baudrate):
            try:
                write_all(master, piece)
            except OSError:
                return  # unplugged mid-answer: the driver sees a truncated frame
            self.bytes_out += len(piece)
