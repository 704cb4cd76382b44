"""Voice prompts at the main steps, where a speech engine is present; silent otherwise.

The engine is looked up at the first prompt, not at start: loading Qt's speech plug-ins
(and through them the multimedia libraries) would delay the first paint."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("ui.voice")


class Voice:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._resolved = False
        self._engine: Any = None
        self._espeak = ""

    def _resolve(self) -> None:
        if self._resolved:
            return
        self._resolved = True
        if not self.enabled:
            return
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech

            if QTextToSpeech.availableEngines():
                engine = QTextToSpeech()
                # An engine can be listed but fail to load (speechd without its daemon).
                if engine.state() != QTextToSpeech.State.Error:
                    self._engine = engine
        except Exception:  # the Qt module or its backend library is missing: stay silent
            self._engine = None
        if self._engine is None:
            import shutil

            self._espeak = shutil.which("espeak-ng") or ""

    @property
    def available(self) -> bool:
        self._resolve()
        return self._engine is not None or bool(self._espeak)

    def say(self, text: str, language: str) -> None:
        if not text or not self.available:
            return
        if self._engine is not None:
            self._engine.say(text)
        elif self._espeak:
            import subprocess  # not at start-up: only kiosks without a Qt speech engine

            voice = "cmn" if language.startswith("zh") else "en"
            try:
                subprocess.Popen([self._espeak, "-v", voice, text], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            except OSError:
                log.warning("espeak-ng could not be started")
