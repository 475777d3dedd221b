"""Sync in the desktop app: the one Qt adapter over :class:`sync.background.BackgroundSync` (ARCHITECTURE.md
example 5 — the core publishes plain callbacks, this turns them into signals).

The rounds run on BackgroundSync's own thread; every outcome crosses to the GUI thread as a queued signal and
becomes a short state for the status bar (:attr:`SyncController.sig_state`) and, for "Sync now" (F5), a result
in the user's words (:attr:`SyncController.sig_result`). Building the engine reads the store, so it happens in the
"io" lane, never on the UI thread. A store that was never enrolled has nothing to sync with and says so.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from app.i18n import _, user_message
from storage.store import Store
from sync import local
from sync.background import BackgroundSync, SyncEvent
from sync.client import DeviceRevoked, ServiceUnreachable, SignInNeeded, SyncEngine
from sync.protocol import UpgradeRequired
from ui import ops

log = logging.getLogger(__name__)


def when(moment: dt.datetime | None, today: dt.date | None = None) -> str:
    """A sync time in local time: "10:42" today, "23.11. 10:42" this year, else the full date."""
    if moment is None:
        return _("never")
    local_time = moment.astimezone()
    today = today or dt.date.today()
    if local_time.date() == today:
        return local_time.strftime("%H:%M")
    if local_time.year == today.year:
        return local_time.strftime("%d.%m. %H:%M")
    return local_time.strftime("%d.%m.%Y. %H:%M")


def describe(status: local.SyncStatus | None, online: bool | None = None) -> tuple[str, bool]:
    """The status-bar text and whether the service was reachable, from the store's own record of the last
    attempt (``online`` overrides it when the caller knows better)."""
    if status is None or not status.enrolled:
        return _("Not connected to a central service"), False
    if online is None:
        online = status.last_error != "offline"
    waiting = (" · " + _("{count} changes to send").format(count=status.pending)) if status.pending else ""
    if not online:
        return _("Offline · last sync {when}").format(when=when(status.last_sync_at)) + waiting, False
    if status.last_error == "sign_in_needed":
        return _("Sign in again to sync") + waiting, True
    if status.last_error == "upgrade_required":
        return _("Update Lieta to sync") + waiting, True
    if status.last_error:
        return _("Last sync failed · last success {when}").format(when=when(status.last_sync_at)) + waiting, True
    if status.last_sync_at is None:
        return _("Not synchronised yet") + waiting, True
    return _("Synchronised {when}").format(when=when(status.last_sync_at)) + waiting, True


class _Rounds:
    """The engine as BackgroundSync sees it, counting rounds so "Sync now" knows which outcome is its own."""

    def __init__(self, engine: SyncEngine, on_start: Callable[[], None]) -> None:
        self.engine, self.store, self.on_start = engine, engine.store, on_start

    def sync(self) -> Any:
        self.on_start()
        return self.engine.sync()


class SyncController(QObject):
    """Background sync for one unlocked store, as Qt signals. ``password`` returns the signed-in user's
    password (their store passphrase) so an expired service token can be renewed; without it the state asks
    to sign in again. Call :meth:`stop` before the store locks."""

    sig_state = Signal(str, bool)  # status-bar text, online
    sig_busy = Signal(bool)  # a "Sync now" is running (show a busy indicator)
    sig_progress = Signal(str)  # "Syncing… sending 3 of 10"
    sig_result = Signal(str)  # the outcome of "Sync now", or a reason sync stopped, in the user's words
    sig_revoked = Signal()  # the service withdrew this laptop: its store is erased; the app must lock
    _sig_event = Signal(object, int)  # from the sync thread: the event and the round it belongs to

    def __init__(self, store: Store, *, password: Callable[[], str | None] | None = None, http: Any = None,
                 interval: float = 120.0, max_backoff: float = 900.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store, self._password, self._http = store, password, http
        self.interval, self.max_backoff = interval, max_backoff
        self.text, self.online, self.enrolled = _("Not connected to a central service"), False, False
        self.background: BackgroundSync | None = None
        self._engine: SyncEngine | None = None
        self._round = 0  # rounds started (written by the sync thread only)
        self._wanted: int | None = None  # "Sync now" waits for the outcome of this round
        self._problem: str | None = None  # why the engine could not be built (a bad server address…)
        self._ready = False  # the engine is built (or the store turned out not to be enrolled)
        self._running = False  # the background thread is alive (not stopped by an answer like "revoked")
        self._stopped = False
        self._quiet = False  # our own change notice must not poke another round
        self._sig_event.connect(self._on_event)
        ops.bus().sig_changed.connect(self._local_change)

    # -- life cycle ---------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Build the engine (reads the store: in the io lane), then sync in the background."""
        self._stopped = False
        ops.run(self, lambda _progress: self._build(), self._built, self._build_failed, lane_name="io",
                key="build")

    def _build(self) -> tuple[SyncEngine | None, local.SyncStatus]:
        status = local.status(self.store)
        if not status.enrolled:
            return None, status
        engine = SyncEngine(self.store, http=self._http, password=self._password, progress=self._progress)
        return engine, status

    def _built(self, result: tuple[SyncEngine | None, local.SyncStatus]) -> None:
        engine, status = result
        self.enrolled, self._ready = engine is not None, True
        self._set_state(*describe(status))
        if engine is None or self._stopped:
            if self._wanted is not None:
                self._finish_now(user_message(local.NotEnrolled()) if engine is None else None)
            return
        self._engine = engine
        self._launch()

    def _build_failed(self, error: BaseException) -> None:
        self._ready, self._problem = True, ops.message_for(error)
        self._set_state(_("Sync is not possible"), False)
        self._finish_now(self._problem)

    def _launch(self) -> None:
        assert self._engine is not None
        self.background = BackgroundSync(_Rounds(self._engine, self._round_started), interval=self.interval,
                                         max_backoff=self.max_backoff, on_status=self._from_thread)
        self._running = True
        self.background.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the round in progress and join the thread (lock, quit). Nothing unsent is lost."""
        self._stopped = True
        if self.background is not None:
            self.background.stop(timeout)
        self._running = False
        self._finish_now(None)

    # -- sync now ------------------------------------------------------------------------------------------------
    def sync_now(self) -> None:
        """F5: sync at once and report the outcome (a never-enrolled store explains itself)."""
        if self._stopped:
            return
        if not self._ready:  # still reading the store: the first round will be this one
            self._wanted = 1
            self.sig_busy.emit(True)
            return
        if self._engine is None:
            self.sig_result.emit(self._problem or user_message(local.NotEnrolled()))
            return
        self._wanted = self._round + 1
        self.sig_busy.emit(True)
        self.sig_state.emit(_("Syncing…"), self.online)
        if self._running and self.background is not None:
            self.background.poke()
        else:  # stopped by an answer such as "sign in again": try once more with a fresh thread
            self._launch()

    # -- events from the sync thread -----------------------------------------------------------------------------
    def _round_started(self) -> None:
        self._round += 1

    def _from_thread(self, event: SyncEvent) -> None:
        self._sig_event.emit(event, self._round)  # queued to the GUI thread

    def _progress(self, stage: str, done: int, total: int) -> None:
        text = (_("Syncing… sending {done} of {total}") if stage == "push" else
                _("Syncing… received {done}")).format(done=done, total=total)
        self.sig_progress.emit(text)

    def _on_event(self, event: SyncEvent, round_number: int) -> None:
        if self._stopped:
            return
        was_online = self.online
        self._set_state(*self._state_of(event))
        mine = self._wanted is not None and round_number >= self._wanted
        if event.stopped:
            self._running = False
        if isinstance(event.error, DeviceRevoked):
            self.sig_result.emit(user_message(event.error))
            self.sig_revoked.emit()
            return
        if mine:
            if event.error is None and event.report is not None:
                self._finish_now(_("Synchronised: {sent} sent, {received} received").format(
                    sent=event.report.pushed, received=event.report.pulled))
            else:
                self._finish_now(user_message(event.error) if event.error else None)
        elif event.stopped and event.error is not None:
            self.sig_result.emit(user_message(event.error))
        changed = event.report is not None and (event.report.pushed or event.report.pulled)
        if changed or was_online != self.online:
            self._quiet = True  # views (Today, conflicts) refresh; this must not start another round
            try:
                ops.bus().sig_changed.emit()
            finally:
                self._quiet = False

    def _state_of(self, event: SyncEvent) -> tuple[str, bool]:
        if isinstance(event.error, ServiceUnreachable):
            return describe(event.status, online=False)
        if isinstance(event.error, SignInNeeded):
            return _("Sign in again to sync"), True
        if isinstance(event.error, UpgradeRequired):
            return _("Update Lieta to sync"), True
        if isinstance(event.error, DeviceRevoked):
            return _("Withdrawn from the central service"), False
        return describe(event.status, online=True)

    def _set_state(self, text: str, online: bool) -> None:
        self.text, self.online = text, online
        self.sig_state.emit(text, online)

    def _finish_now(self, message: str | None) -> None:
        if self._wanted is None:
            return
        self._wanted = None
        self.sig_busy.emit(False)
        if message:
            self.sig_result.emit(message)

    def _local_change(self) -> None:
        """A change was saved here: send it soon (unless the service is known to be away — backoff rules)."""
        if not self._quiet and self._running and self.online and self.background is not None:
            self.background.poke()
