"""Logging setup: a rotating file under the data dir, every record passed through masking."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from kiosk.privacy import MaskingFilter

_configured = False


def block_basic_config() -> None:
    """python-escpos calls ``logging.basicConfig()`` on import, which would print every record,
    unmasked, on stderr. A root handler installed first turns that call into a no-op; it
    prints nothing: commands say what went wrong in one line, the details go to the log file."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    # A log write that fails (full disk) must not print a traceback on the terminal.
    logging.raiseExceptions = False


def _drop_basic_config_handler() -> None:
    """For entries that did not go through the CLI: remove the handler basicConfig added
    (a bare stderr StreamHandler with no level and no filter)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if (type(handler) is logging.StreamHandler and handler.level == logging.NOTSET
                and not handler.filters):
            root.removeHandler(handler)


def log_file() -> Path | None:
    """The kiosk log file the root logger writes to, if any."""
    for h in logging.getLogger().handlers:
        if isinstance(h, logging.FileHandler):
            return Path(h.baseFilename)
    return None


def setup_logging(log_dir: Path | None, level: int = logging.INFO, stderr: bool = False) -> None:
    global _configured
    logging.raiseExceptions = False  # a failed log write (full disk) prints no traceback
    _drop_basic_config_handler()
    if _configured:
        return
    root = logging.getLogger()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = []
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(log_dir, 0o700)
        fh = logging.handlers.RotatingFileHandler(
            log_dir / "kiosk.log", maxBytes=5 * 1024**2, backupCount=5, encoding="utf-8")
        handlers.append(fh)
    if stderr:
        handlers.append(logging.StreamHandler())
    for h in handlers:
        h.setFormatter(fmt)
        h.addFilter(MaskingFilter())
        root.addHandler(h)
    _configured = True
