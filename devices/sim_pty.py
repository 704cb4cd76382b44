"""The pseudo-terminal plumbing the serial device simulators share (ID-card reader, scanner,
serial printer): a raw pty whose slave the real driver opens like a USB-serial port, a stable
symlink to it that survives unplug/replug, and writes paced at the baud rate."""

from __future__ import annotations

import itertools
import os
import select
import tempfile
import time
import tty
from collections.abc import Iterator

_instances = itertools.count(1)  # two simulated devices in one process get separate links


def temp_link_path(name: str) -> str:
    """A fresh path in the temp directory for a simulated device's port symlink."""
    return os.path.join(tempfile.gettempdir(),
                        f"kiosk-sim-{name}-{os.getpid()}-{next(_instances)}")


def open_pty(link_path: str | None = None) -> tuple[int, int, str]:
    """A raw pty: ``(master, slave, slave_name)``. With ``link_path``, that path becomes a
    symlink to the slave, replaced atomically (a driver never sees it missing mid-replug)."""
    master, slave = os.openpty()
    tty.setraw(slave)
    name = os.ttyname(slave)
    if link_path:
        tmp = link_path + ".tmp"
        if os.path.lexists(tmp):
            os.unlink(tmp)
        os.symlink(name, tmp)
        os.replace(tmp, link_path)
    return master, slave, name


def close_pty(*fds: int, link_path: str | None = None) -> None:
    """Close the pty's descriptors (``-1`` is skipped) and remove the link: to the driver,
    the cable was pulled."""
    for fd in fds:
        if fd >= 0:
            try:
                os.close(fd)
            except OSError:
                pass
    if link_path and os.path.islink(link_path):
        os.unlink(link_path)


def paced(data: bytes, baudrate: int | None, chunk: int = 16) -> Iterator[bytes]:
    """``data`` in pieces, each yielded once its last byte would be on the wire at
    ``baudrate`` (8N1: 10 bits a byte); ``None`` yields at once."""
    byte_time = 10.0 / baudrate if baudrate else 0.0
    start = time.monotonic()
    for off in range(0, len(data), chunk):
        piece = data[off:off + chunk]
        if byte_time:
            delay = start + (off + len(piece)) * byte_time - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        yield piece


def write_all(fd: int, data: bytes) -> None:
    """Write every byte, waiting while a non-blocking pty is full; ``OSError`` when the pty
    has gone (unplugged)."""
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            select.select([], [fd], [], 0.05)
            continue
        view = view[n:]
