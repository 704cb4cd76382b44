"""Logging setup: a rotating file under the data dir, every record passed through masking."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from kiosk.privacy import MaskingFilter

_configured = False


def setup_logging(log_dir: Path | None, level: int = logging.INFO, stderr: bool = False) -> None:
    global _configured
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
