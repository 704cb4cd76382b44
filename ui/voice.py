"""Voice prompts at the main steps, where a speech engine is present; silent otherwise."""

from __future__ import annotations

import logging
import shutil
import subprocess

log = logging.getLogger("ui.voice")


class Voice:
    def __init__(self, enabled: bool) -> None:
        self._engine = None
        self._espeak = ""
        if not enabled:
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
            self._espeak = shutil.which("espeak-ng") or ""

    @property
    def available(self) -> bool:
        return self._engine is not None or bool(self._espeak)

    def say(self, text: str, language: str) -> None:
        if not text:
            return
        if self._engine is not None:
            self._engine.say(text)
        elif self._espeak:
            voice = "cmn" if language.startswith("zh") else "en"
            try:
                subprocess.Popen([self._espeak, "-v", voice, text], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            except OSError:
                log.warning("espeak-ng could not be started")
