"""Files named on the command line (attachments, JSON inputs, batch files, images), opened
with limits: a regular file only (never ``/dev/zero``, a FIFO or a directory), its size
checked against a limit before a byte is read, and never more than the limit read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024**2   # the contract's per-file limit (maxBytes)
MAX_JSON_FILE_BYTES = 4 * 1024**2
MAX_BATCH_FILE_BYTES = 256 * 1024**2

# media type by extension, and the bytes every such file starts with
MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".pdf": "application/pdf", ".ofd": "application/ofd"}
_MAGIC = {"image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",),
          "application/pdf": (b"%PDF-",), "application/ofd": (b"PK\x03\x04",)}


class InputFileError(Exception):
    """``str()`` is "PATH why", one line for people."""


def _open_regular(path: Path, max_bytes: int) -> tuple[int, int]:
    """(fd, size) of a regular file no larger than ``max_bytes``; the check is on the open
    descriptor, so the file cannot be swapped for a device in between."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputFileError(f"{path} does not exist") from None
    except OSError as exc:
        raise InputFileError(f"{path} cannot be opened ({exc.strerror})") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "a device, pipe or socket"
        raise InputFileError(f"{path} is {kind}, not a regular file")
    if st.st_size > max_bytes:
        os.close(fd)
        raise InputFileError(f"{path} is {st.st_size} bytes; the limit is {max_bytes}")
    return fd, st.st_size


def read_input_file(path: Path, max_bytes: int) -> bytes:
    """The whole file, or ``InputFileError``; reads at most ``max_bytes`` + 1 bytes even if
    the file grows meanwhile."""
    fd, _ = _open_regular(path, max_bytes)
    chunks, total = [], 0
    try:
        while total <= max_bytes:
            chunk = os.read(fd, min(1024**2, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InputFileError(f"{path} cannot be read ({exc.strerror})") from None
    finally:
        os.close(fd)
    if total > max_bytes:
        raise InputFileError(f"{path} grew past the limit of {max_bytes} bytes while read")
    return b"".join(chunks)


def media_type_of(path: Path) -> str | None:
    return MEDIA_TYPES.get(path.suffix.lower())


def read_attachment(path: Path, max_bytes: int, accepted: tuple[str, ...] | None) -> tuple[bytes, str]:
    """(bytes, media type) of a material file: the type (from the name) must be one the
    material accepts, checked before reading, and the content must start like that type."""
    media = media_type_of(path)
    allowed = accepted or tuple(sorted(set(MEDIA_TYPES.values())))
    if media is None or media not in allowed:
        raise InputFileError(f"{path} is not one of the accepted types ({', '.join(allowed)})")
    data = read_input_file(path, max_bytes)
    if not data:
        raise InputFileError(f"{path} is empty")
    if not data.startswith(_MAGIC.get(media, (b"",))):
        raise InputFileError(f"{path} does not hold {media} data")
    return data, media
