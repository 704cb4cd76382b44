"""AES-GCM sealing of payloads and files at rest (DESIGN §6–§7).

One 256-bit key per kiosk, in a file created on first run with mode 0600. Every seal uses a
fresh random 96-bit nonce; the associated data binds a ciphertext to its item (and file), so
a blob copied onto another row does not decrypt.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
KEY_BYTES = 32
_MAGIC = b"OQ1"  # format marker so a future key rotation can tell blobs apart


class KeyFileError(Exception):
    """The key file is unreadable, malformed or too open; ``str()`` says which and what to do."""


class SealError(Exception):
    """A blob failed authentication: wrong key, wrong item, or tampered/corrupt bytes."""


def load_or_create_key(path: Path, create: bool = True) -> bytes:
    """Reads the key; creates it (0600, fsynced) when missing and ``create`` is true."""
    try:
        st = path.stat()
    except FileNotFoundError:
        if not create:
            raise KeyFileError(f"queue key file {path} is missing") from None
        return _create_key(path)
    if st.st_mode & 0o077:
        raise KeyFileError(f"queue key file {path} is readable by others "
                           f"(mode {st.st_mode & 0o777:o}); run: chmod 600 {path}")
    data = path.read_bytes()
    if len(data) != KEY_BYTES:
        raise KeyFileError(f"queue key file {path} is not a {KEY_BYTES}-byte key")
    return data


def _create_key(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        # link, not rename: if another process created the key meanwhile, keep theirs.
        os.link(tmp, path)
    except FileExistsError:
        os.unlink(tmp)
        return load_or_create_key(path, create=False)
    os.unlink(tmp)
    _fsync_dir(path.parent)
    return key


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Sealer:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return _MAGIC + nonce + self._aead.encrypt(nonce, plaintext, _MAGIC + context)

    def open(self, blob: bytes, context: bytes) -> bytes:
        if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + NONCE_BYTES + 16:
            raise SealError("not an outbox blob")
        nonce = blob[len(_MAGIC):len(_MAGIC) + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, blob[len(_MAGIC) + NONCE_BYTES:], _MAGIC + context)
        except InvalidTag:
            raise SealError("blob does not authenticate (wrong key, wrong item or corrupt)") from None


def body_context(item_id: str, what: str = "body") -> bytes:
    return f"outbox/{what}/{item_id}".encode()


def file_context(item_id: str, seq: int, sha256: str) -> bytes:
    return f"outbox/file/{item_id}/{seq}/{sha256}".encode()
