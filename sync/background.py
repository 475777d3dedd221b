"""Sync in the background: whenever the service is reachable, and at once when asked (ARCHITECTURE.md rule 5).

:class:`BackgroundSync` runs rounds of :class:`~sync.client.SyncEngine` on its own thread, never on the UI
thread: every ``interval`` seconds while things go well, sooner after a local change (:meth:`poke`), and with
exponential backoff (capped) while the service is unreachable. It stops for good on answers that retrying will
not change (revoked, sign-in needed, upgrade required) and reports every outcome to ``on_status`` — the
desktop app shows it (last sync, pending changes, online/offline) without touching the database itself.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Callable

from storage.errors import LietaError
from sync import local
from sync.client import DeviceRevoked, ServiceUnreachable, SignInNeeded, SyncEngine, SyncReport
from sync.protocol import UpgradeRequired


@dataclass(frozen=True)
class SyncEvent:
    online: bool
    report: SyncReport | None
    error: LietaError | None
    status: local.SyncStatus | None
    stopped: bool = False  # no more attempts until restarted (revoked, sign-in needed, upgrade required)


class BackgroundSync:
    def __init__(self, engine: SyncEngine, *, interval: float = 120.0, max_backoff: float = 900.0,
                 on_status: Callable[[SyncEvent], None] = lambda event: None) -> None:
        self.engine, self.interval, self.max_backoff = engine, interval, max_backoff
        self.on_status = on_status
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self.failures = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="lieta-sync", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """Sync soon (a change was saved, or the user pressed "Sync now")."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the round in progress (each page commits on its own, so stopping loses nothing)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def delay(self) -> float:
        """Seconds until the next attempt: the interval, or backoff with jitter after failures."""
        if not self.failures:
            return self.interval
        return min(self.max_backoff, self.interval / 8 * 2 ** (self.failures - 1)) * random.uniform(0.5, 1.0)

    def run_once(self) -> SyncEvent:
        try:
            report = self.engine.sync()
        except ServiceUnreachable as error:
            self.failures += 1
            return SyncEvent(False, None, error, self._status())
        except (DeviceRevoked, SignInNeeded, UpgradeRequired) as error:
            return SyncEvent(True, None, error, None if isinstance(error, DeviceRevoked) else self._status(),
                             stopped=True)
        except LietaError as error:
            self.failures += 1
            return SyncEvent(True, None, error, self._status())
        self.failures = 0
        return SyncEvent(True, report, None, self._status())

    def _status(self) -> local.SyncStatus | None:
        try:
            return local.status(self.engine.store)
        except LietaError:
            return None

    def _run(self) -> None:
        while not self._stop.is_set():
            event = self.run_once()
            self.on_status(event)
            if event.stopped:
                return
            self._wake.wait(self.delay())
            self._wake.clear()
