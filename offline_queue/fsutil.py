"""Durable file writes: data fsynced, then renamed into place, then the directory fsynced."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

TMP_SUFFIX = ".part"


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_blobs_durably(directory: Path, blobs: Iterable[bytes]) -> list[str]:
    """Writes each blob under a fresh random name; returns the names once all are on disk.

    Data of every file is fsynced before the renames and the directory is fsynced once after
    them, so the caller may commit rows that reference these names. On any error the files
    written so far are removed and the error propagates (ENOSPC included)."""
    written: list[Path] = []
    final: list[Path] = []
    try:
        for blob in blobs:
            name = secrets.token_hex(16)
            tmp = directory / (name + TMP_SUFFIX)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            written.append(tmp)
            try:
                view = memoryview(blob)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                os.fsync(fd)
            finally:
                os.close(fd)
            final.append(directory / name)
        for tmp, dst in zip(written, final, strict=True):
            os.rename(tmp, dst)
        if final:
            fsync_dir(directory)
    except BaseException:
        for p in written + final:
            try:
                p.unlink()
            except FileNotFoundError:
                pass
        raise
    return [p.name for p in final]


def remove_files(directory: Path, names: Iterable[str]) -> None:
    removed = False
    for name in names:
        try:
            (directory / name).unlink()
            removed = True
        except FileNotFoundError:
            pass
    if removed:
        fsync_dir(directory)
