"""``ga467-serial``: an ID-card reader speaking the GA 467 SAM protocol on a serial port.

``IdCardReader.read_card(cancel, timeout_s)`` waits for a card (find → select → read),
decodes it and returns ``Result[IdCard]``. A card read once is not reported again until it
has been lifted: real SAMs halt the card after a read so "find" fails until it is re-presented,
and for readers that do not, we also wait until "find" has failed once.

Options (kiosk.toml ``[devices.id_reader]``): ``port`` (required), ``baudrate`` (115200),
``read_fingerprint`` (false), ``poll_interval_s`` (0.2, card search period),
``photo_decoder`` ("" = none; see ``devices.idcard.photo``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from devices import options as opt
from devices.base import Cancel
from devices.cancelling import LinkedCancel
from devices.diagnostics import PortProblem, check_port
from devices.idcard import codes
from devices.idcard.codes import SW3_FOUND, SW3_OK, sw3_info
from devices.idcard.frame import Command, Frame, format_sam_id, parse_read_data
from devices.idcard.photo import WltDecoder, load_decoder
from devices.idcard.sam import SamLink
from devices.idcard.textblock import decode_text_block
from devices.idcard.types import IdCard, Photo
from devices.status import (
    Availability,
    DeviceInfo,
    DeviceStatus,
    Fault,
    RequiredAction,
    Result,
    Severity,
)

log = logging.getLogger("devices.idcard")

BAUDRATES = (115200, 57600, 38400, 19200, 9600)
MODEL = "GA 467 SAM reader (serial)"

# What a citizen or staff member is told for each failure (plain language, the UI translates).
_USER_MESSAGES = {
    codes.CARD_LIFTED: "the card was moved during reading; place it flat on the reader again",
    codes.NO_CARD: "no card on the reader",
    codes.AUTH_FAILED: "the card could not be verified; place it on the reader again",
    codes.UNKNOWN_CARD_TYPE: "this card is not an identity card the reader knows",
    codes.BAD_CHECK_DIGIT: "the card's number failed its check; try again or ask staff",
}


def _options(options: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "port": opt.text(options, "port", "", what="a device path such as /dev/ttyUSB0",
                         empty=True),
        "baudrate": opt.choice(options, "baudrate", 115200, BAUDRATES),
        "read_fingerprint": opt.flag(options, "read_fingerprint", False),
        "poll_interval_s": opt.number(options, "poll_interval_s", 0.2, 0.02, 5),
        "photo_decoder": opt.text(options, "photo_decoder", "", what='"module:factory" or ""',
                                  empty=True),
    }


class IdCardReader:
    """A GA 467 reader on a serial port. Thread-safe: one operation at a time; status polls
    during a read report BUSY instead of waiting."""

    device_class = "idcard"

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        opts = _options(options)
        self.name = name
        self.port_path: str = opts["port"]
        self.baudrate: int = opts["baudrate"]
        self.read_fingerprint: bool = opts["read_fingerprint"]
        self.poll_interval_s: float = opts["poll_interval_s"]
        self._decoder_spec: str = opts["photo_decoder"]
        self._photo_decoder: WltDecoder | None = None
        self.photo_status = "photo decoder not installed (text only)"
        self._serial: Any = None
        self._link: SamLink | None = None
        self._io = threading.Lock()
        self._closing = threading.Event()  # set by close(): a waiting read gives up at once
        self._sam_id = ""
        self._awaiting_lift = False
        self._card_state = "unknown"
        self._last_fault: Fault | None = None

    # --- Device protocol ------------------------------------------------------------------

    def open(self) -> Result[None]:
        with self._io:
            self._close_port()
            problem, message = check_port(self.port_path)
            if problem is PortProblem.MISSING:
                return self._fail(codes.DISCONNECTED, message, RequiredAction.RESET)
            if problem:
                code = codes.PERMISSION if problem is PortProblem.PERMISSION else codes.NOT_OPEN
                return self._fail(code, message, RequiredAction.CONFIGURATION)
            try:
                import serial
            except ImportError:
                return self._fail(codes.NOT_OPEN, "pyserial is not installed",
                                  RequiredAction.CONFIGURATION)
            try:
                self._serial = serial.Serial(self.port_path, self.baudrate, timeout=0.05,
                                             write_timeout=2.0, exclusive=True)
            except (OSError, ValueError) as exc:
                return self._fail(codes.DISCONNECTED, f"cannot open {self.port_path}",
                                  RequiredAction.RESET, f"{exc.__class__.__name__}: {exc}")
            self._link = SamLink(self._serial)
            status = self._link.transact(Command.SAM_STATUS)
            if not status.ok:
                assert status.fault is not None
                self._close_port()
                if status.fault.code == codes.NOT_RESPONDING:
                    return self._fail(codes.NOT_RESPONDING,
                                      f"no ID-card reader answers on {self.port_path} at "
                                      f"{self.baudrate} baud (wrong port or baud rate?)",
                                      RequiredAction.CONFIGURATION)
                return self._fail(status.fault.code, status.fault.message, status.fault.action,
                                  status.fault.detail)
            sam = self._link.transact(Command.SAM_ID)
            if sam.ok and sam.unwrap().sw3 == SW3_OK:
                self._sam_id = format_sam_id(sam.unwrap().data)
            decoder, diag = load_decoder(self._decoder_spec)
            self._photo_decoder = decoder
            self.photo_status = diag or "photo decoder installed"
            self._last_fault = None
            log.info("idcard %s open on %s, SAM %s", self.name, self.port_path, self._sam_id)
            return Result.success(None)

    def close(self) -> None:
        self._closing.set()
        try:
            with self._io:
                self._close_port()
        finally:
            self._closing.clear()

    def poll_status(self) -> DeviceStatus:
        if not self._io.acquire(blocking=False):
            return self._status(Availability.BUSY)
        try:
            if self._link is None:
                fault = self._last_fault or Fault(codes.NOT_OPEN, "reader not open",
                                                  RequiredAction.RESET)
                return self._status_for_fault(fault)
            answer = self._link.transact(Command.SAM_STATUS)
            if not answer.ok:
                assert answer.fault is not None
                if answer.fault.code == codes.DISCONNECTED:
                    self._close_port()
                    self._last_fault = answer.fault
                return self._status_for_fault(answer.fault)
            frame = answer.unwrap()
            if frame.sw3 != SW3_OK:
                info = sw3_info(frame.sw3)
                return self._status_for_fault(Fault(info.code or codes.SAM_FAULT, info.message,
                                                    RequiredAction.MAINTENANCE, info.meaning))
            self._sense_card()
            return self._status(Availability.READY)
        finally:
            self._io.release()

    def _sense_card(self) -> None:
        """Media sub-status: is a card on the reader (find card, as hev-idcard-reader polls)?
        A card halted after its read answers "no card" like a lifted one."""
        assert self._link is not None
        found = self._link.transact(Command.FIND_CARD)
        if not found.ok:
            return  # the next status poll tells whether the reader is still there
        sw3 = found.unwrap().sw3
        if sw3 == SW3_FOUND:
            self._card_state = "present"
        elif sw3 == 0x80:
            self._card_state = "not_present"
            self._awaiting_lift = False

    # --- reading --------------------------------------------------------------------------

    def read_card(self, cancel: Cancel, timeout_s: float) -> Result[IdCard]:
        """Wait up to ``timeout_s`` for a (new) card and read it. Failures: TIMEOUT,
        CANCELLED, CARD_LIFTED, AUTH_FAILED, BAD_CHECK_DIGIT, UNKNOWN_CARD_TYPE, SAM_FAULT,
        CHECKSUM, DISCONNECTED, NOT_RESPONDING, NOT_OPEN."""
        deadline = time.monotonic() + timeout_s
        cancel = LinkedCancel(cancel, self._closing)
        with self._io:
            while True:
                if cancel.cancelled:
                    return Result.failure(codes.CANCELLED, "cancelled")
                if self._link is None:
                    return _not_connected()
                result = self._attempt(cancel)
                if result is not None:
                    if not result.ok:
                        assert result.fault is not None
                        if result.fault.code == codes.DISCONNECTED:
                            self._close_port()
                            self._last_fault = result.fault
                    return result
                if time.monotonic() >= deadline:
                    return Result.failure(codes.TIMEOUT, "no card was presented in time")
                if cancel.wait(min(self.poll_interval_s, max(0.0, deadline - time.monotonic()))):
                    return Result.failure(codes.CANCELLED, "cancelled")

    def read_sam_id(self) -> Result[str]:
        with self._io:
            answer = self._single(Command.SAM_ID)
            if not answer.ok:
                return Result(fault=answer.fault)
            self._sam_id = format_sam_id(answer.unwrap().data)
            return Result.success(self._sam_id)

    def read_added_address(self, cancel: Cancel) -> Result[str]:
        """追加住址 (``30 03``) of the card just read: the latest address after a move, or
        NO_CONTENT when the card has none. Call right after ``read_card`` succeeded."""
        with self._io:
            answer = self._single(Command.READ_ADDRESS, cancel)
            if not answer.ok:
                return Result(fault=answer.fault)
            data = answer.unwrap().data
            return Result.success(data[:70].decode("utf-16-le", errors="replace").rstrip(" \x00"))

    def reset_sam(self) -> Result[None]:
        """``10 FF``: reset the security module (after SAM_REJECTED or a stuck reader)."""
        with self._io:
            answer = self._single(Command.RESET)
            if not answer.ok:
                return Result(fault=answer.fault)
            self._awaiting_lift = False
            return Result.success(None)

    def _single(self, command: Command, cancel: Cancel | None = None) -> Result[Frame]:
        """One command outside a card read (``_io`` held), its answer only when the SAM said
        90; a garbled answer is retried when ``cancel`` is given (``_command``)."""
        link = self._link
        if link is None:
            return _not_connected()
        answer = link.transact(command) if cancel is None else self._command(link, command, cancel)
        if answer.ok and answer.unwrap().sw3 != SW3_OK:
            return _sw3_failure(answer.unwrap().sw3)
        return answer

    def _attempt(self, cancel: Cancel) -> Result[IdCard] | None:
        """One find/select/read round: a result, or None for "no (new) card yet"."""
        link = self._link
        assert link is not None
        found = self._command(link, Command.FIND_CARD, cancel)
        if not found.ok:
            return Result(fault=found.fault)
        if found.unwrap().sw3 != SW3_FOUND:
            if found.unwrap().sw3 == 0x80:
                self._card_state = "not_present"
                self._awaiting_lift = False  # the card has gone (or is halted): next is new
                return None
            return _sw3_failure(found.unwrap().sw3)
        self._card_state = "present"
        if self._awaiting_lift:
            return None
        selected = self._command(link, Command.SELECT_CARD, cancel)
        if not selected.ok:
            return Result(fault=selected.fault)
        if selected.unwrap().sw3 != SW3_OK:
            return None  # 81: the card moved away between find and select; keep waiting
        command = Command.READ_WITH_FINGERPRINT if self.read_fingerprint else Command.READ_BASE
        answer = self._command(link, command, cancel)
        if not answer.ok:
            return Result(fault=answer.fault)
        frame = answer.unwrap()
        if frame.sw3 != SW3_OK:
            if frame.sw3 == 0x41:
                self._card_state = "unknown"
                return Result.failure(codes.CARD_LIFTED, _USER_MESSAGES[codes.CARD_LIFTED])
            return _sw3_failure(frame.sw3)
        self._awaiting_lift = True
        return self._card_from(frame)

    def _command(self, link: SamLink, command: Command, cancel: Cancel) -> Result[Frame]:
        """One exchange, retried once when the answer arrived garbled (line noise)."""
        result = link.transact(command, cancel=cancel)
        if not result.ok and result.fault is not None \
                and result.fault.code in (codes.CHECKSUM, codes.TRUNCATED):
            log.warning("idcard %s: %s answer to %s, retrying", self.name, result.fault.code,
                        command.name)
            result = link.transact(command, cancel=cancel)
        return result

    def _card_from(self, frame: Frame) -> Result[IdCard]:
        record = parse_read_data(frame.data, with_fingerprint=self.read_fingerprint)
        if not record.ok:
            return Result(fault=record.fault)
        rec = record.unwrap()
        card = decode_text_block(rec.text, rec.photo, len(rec.fingerprint))
        if not card.ok:
            assert card.fault is not None
            message = _USER_MESSAGES.get(card.fault.code, card.fault.message)
            return Result.failure(card.fault.code, message, detail=card.fault.message)
        value = card.unwrap()
        if self._photo_decoder is not None and value.photo is not None:
            try:
                bmp = self._photo_decoder.decode(bytes(value.photo.data), self._sam_id)
            except Exception:  # vendor code: a failure costs the photo, not the read
                log.exception("idcard %s: photo decoder failed", self.name)
                bmp = None
            if bmp:
                value = replace(value, photo=Photo(value.photo.data, bmp=bytearray(bmp)))
        return Result.success(value)

    # --- helpers --------------------------------------------------------------------------

    def _close_port(self) -> None:
        if self._serial is not None:
            try:
                self._serial.close()
            except OSError:
                pass
        self._serial = None
        self._link = None
        self._card_state = "unknown"

    def _fail(self, code: str, message: str, action: RequiredAction,
              detail: str = "") -> Result[None]:
        self._last_fault = Fault(code, message, action, detail)
        return Result(fault=self._last_fault)

    def _info(self) -> DeviceInfo:
        # The SAM ID starts with the module's version (GA 467: "05.01-…"); the line speed is
        # the port's setting, not firmware.
        version = self._sam_id.split("-", 1)[0] if self._sam_id else ""
        return DeviceInfo(model=MODEL, serial=self._sam_id, port=self.port_path,
                          firmware=f"SAM {version}" if version else "")

    def _status(self, availability: Availability, fault: Fault | None = None,
                severity: Severity = Severity.OK) -> DeviceStatus:
        media = {"card": self._card_state, "photo": self.photo_status,
                 "link": f"{self.baudrate} baud"}
        return DeviceStatus(self.name, self.device_class, availability, severity, media,
                            self._info(), fault)

    def _status_for_fault(self, fault: Fault) -> DeviceStatus:
        if fault.action is RequiredAction.CONFIGURATION:  # permission, wrong port or baud
            return self._status(Availability.HARDWARE_ERROR, fault, Severity.ERROR)
        if fault.code in (codes.DISCONNECTED, codes.NOT_RESPONDING, codes.NOT_OPEN):
            return self._status(Availability.DISCONNECTED, fault, Severity.ERROR)
        return self._status(Availability.HARDWARE_ERROR, fault, Severity.FATAL)


def _not_connected() -> Result[Any]:
    return Result.failure(codes.NOT_OPEN, "the ID-card reader is not connected",
                          RequiredAction.RESET)


def _sw3_failure(sw3: int) -> Result[Any]:
    info = sw3_info(sw3)
    message = _USER_MESSAGES.get(info.code, info.message)
    return Result.failure(info.code, message, info.action, f"SW3={sw3:02X} {info.meaning}")
