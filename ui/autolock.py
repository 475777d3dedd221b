"""Idle auto-lock: after some minutes without a key press or mouse use, the windows with client data close and the
store drops its key — a laptop left open in a shared office shows nothing (issue 6 §1).

One application-wide event filter restarts a single-shot timer on every input event; it costs one timer restart
per event and never touches the store itself. The owner decides what locking means (see ``ui.main``).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from app.settings import load_settings

_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
          QEvent.Type.TouchBegin}


def configured_minutes(data_dir: Path | None = None) -> float:
    """Minutes of idleness before locking: ``LIETA_AUTOLOCK_MINUTES`` (0.1–120) when set, else the laptop's
    setting (Settings screen, default 5)."""
    raw = os.environ.get("LIETA_AUTOLOCK_MINUTES")
    if raw:
        try:
            return min(max(float(raw), 0.1), 120.0)
        except ValueError:
            pass
    return float(load_settings(data_dir).autolock_minutes)


class IdleLock(QObject):
    """Emits ``idle`` once after ``minutes`` without input; any input starts the count again."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(minutes * 60_000))
        self._timer.timeout.connect(self.idle)
        QApplication.instance().installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt naming
        if event.type() in _INPUT and self._timer.isActive():
            self._timer.start()  # restart the count
        return False  # never swallow the event

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
