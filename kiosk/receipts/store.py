"""Receipts kept for a staff reprint (补打): masked, AES-GCM encrypted, bounded.

Only ``ReceiptData.masked()`` is kept (张*, 3301**********1234), sealed with a key of the
store's own (created 0600 on first use, beside the receipts; deleting it shreds them all).
One file per receipt, ``<ms since epoch>-<sha256(reference)[:32]>.rct``: the name carries
the time (retention without decrypting anything) and a hash of the reference (never a
citizen value); the hash is also the AEAD associated data, so a blob renamed onto another
receipt does not open. Each write is atomic (temp file, fsync, rename, directory fsync) and
every file is mode 0600. Retention: ``MAX_AGE_S`` (30 days) and ``MAX_RECEIPTS`` (500),
whichever is reached first; older receipts are deleted at the next save or listing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.receipts.data import ReceiptData
from offline_queue.crypto import KeyFileError, Sealer, SealError, load_or_create_key
from offline_queue.fsutil import fsync_dir

log = logging.getLogger("kiosk.receipts.store")

MAX_AGE_S = 30 * 86400.0  # a reprint is asked for within days; a month is plenty
MAX_RECEIPTS = 500  # several weeks of a busy kiosk; bounds listing time (≈ 1 ms each)
SUFFIX = ".rct"
KEY_NAME = "receipts.key"
_CONTEXT = b"kiosk/receipt-store/v1/"


class ReceiptStoreError(Exception):
    """The store cannot be used (key file unreadable or too open, disk trouble);
    ``str()`` says which, without citizen data."""


@dataclass(frozen=True)
class KeptReceipt:
    data: ReceiptData  # masked
    kept_at: float  # epoch seconds of the original print


def _ref_hash(reference: str) -> str:
    return hashlib.sha256(reference.encode("utf-8")).hexdigest()[:32]


def _parse_name(name: str) -> tuple[int, str] | None:
    """(milliseconds, reference hash) of a receipt file name, None for anything else."""
    if not name.endswith(SUFFIX):
        return None
    stamp, _, ref = name[:-len(SUFFIX)].partition("-")
    if not stamp.isdigit() or len(ref) != 32:
        return None
    return int(stamp), ref


class ReceiptStore:
    def __init__(self, directory: Path, *, max_age_s: float = MAX_AGE_S,
                 max_receipts: int = MAX_RECEIPTS) -> None:
        self.directory = directory
        self.key_file = directory / KEY_NAME
        self.max_age_s = max_age_s
        self.max_receipts = max_receipts
        self._lock = threading.Lock()
        self._sealer: Sealer | None = None

    def _open(self) -> Sealer:
        """The key, loaded (or created) on first use: a broken key file fails the receipt
        operations only, not the kiosk's start."""
        if self._sealer is None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                os.chmod(self.directory, 0o700)
                self._sealer = Sealer(load_or_create_key(self.key_file))
            except KeyFileError as exc:
                # Its message names the "queue key file": say which key it is here.
                raise ReceiptStoreError(str(exc).replace("queue key file",
                                                         "receipt store key file")) from None
            except OSError as exc:
                raise ReceiptStoreError(f"the receipt store {self.directory} cannot be "
                                        f"opened: {exc.strerror}") from None
        return self._sealer

    # -- writing --

    def save(self, data: ReceiptData, kept_at: float | None = None) -> None:
        """Keeps (or replaces) the receipt of ``data.reference``, masked whatever was passed."""
        kept_at = time.time() if kept_at is None else kept_at
        masked = data.masked()
        ref = _ref_hash(masked.reference)
        record = {"v": 1, "keptAt": kept_at, "receipt": masked.to_dict()}
        plain = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
        with self._lock:
            sealer = self._open()
            name = f"{int(kept_at * 1000):013d}-{ref}{SUFFIX}"
            try:
                self._write_atomically(name, sealer.seal(plain, _CONTEXT + ref.encode()))
                # Recorded again (a reprint found it delivered): only the newest file stays.
                self._remove([n for n in self._names() if n != name
                              and (_parse_name(n) or (0, ""))[1] == ref])
                self._prune_locked(time.time())
            except OSError as exc:
                raise ReceiptStoreError(f"the receipt could not be kept: {exc.strerror}") \
                    from None

    def _write_atomically(self, name: str, blob: bytes) -> None:
        tmp = self.directory / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            try:
                view = memoryview(blob)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.directory / name)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        fsync_dir(self.directory)

    # -- reading --

    def _names(self) -> list[str]:
        """Receipt files, newest first."""
        try:
            names = [p.name for p in self.directory.iterdir() if _parse_name(p.name)]
        except FileNotFoundError:
            return []
        return sorted(names, reverse=True)

    def _read(self, sealer: Sealer, name: str) -> KeptReceipt | None:
        parsed = _parse_name(name)
        assert parsed is not None
        try:
            blob = (self.directory / name).read_bytes()
            record = json.loads(sealer.open(blob, _CONTEXT + parsed[1].encode()))
            return KeptReceipt(ReceiptData.from_dict(record["receipt"]), float(record["keptAt"]))
        except FileNotFoundError:
            return None  # pruned meanwhile
        except (OSError, SealError, ValueError, KeyError, TypeError) as exc:
            # Tampered, another key, or a half-understood format: skip it, keep the rest.
            log.warning("receipt file %s skipped: %s", name, type(exc).__name__)
            return None

    def recent(self) -> list[KeptReceipt]:
        """Every kept receipt, newest first (expired ones are deleted first)."""
        with self._lock:
            sealer = self._open()
            self._prune_locked(time.time())
            return [k for k in (self._read(sealer, n) for n in self._names()) if k is not None]

    def get(self, reference: str) -> KeptReceipt | None:
        ref = _ref_hash(reference)
        with self._lock:
            sealer = self._open()
            for name in self._names():
                if (_parse_name(name) or (0, ""))[1] == ref:
                    kept = self._read(sealer, name)
                    if kept is not None and kept.data.reference == reference:
                        return kept
        return None

    # -- retention --

    def prune(self, now: float | None = None) -> int:
        with self._lock:
            return self._prune_locked(time.time() if now is None else now)

    def _prune_locked(self, now: float) -> int:
        names = self._names()
        cutoff_ms = (now - self.max_age_s) * 1000
        old = [n for i, n in enumerate(names)
               if i >= self.max_receipts or (_parse_name(n) or (0, ""))[0] < cutoff_ms]
        self._remove(old)
        # Temp files of a write a crash interrupted (never renamed into place).
        for p in self.directory.glob(".*.tmp"):
            try:
                if p.stat().st_mtime < now - 3600:
                    p.unlink()
            except FileNotFoundError:
                pass
        return len(old)

    def _remove(self, names: list[str]) -> None:
        for name in names:
            (self.directory / name).unlink(missing_ok=True)
        if names:
            fsync_dir(self.directory)
