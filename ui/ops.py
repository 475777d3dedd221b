"""Work off the UI thread: two worker lanes, loads for views and one-line user actions (ARCHITECTURE.md 4, 5).

* :func:`load` — a view asks for data: ``load(self, lambda: due_items(ctx), self.show_items)``. The work runs
  in the **store lane** (one thread: SQLite has one writer and SQLCipher sessions are not shared); the
  result comes back to ``on_done`` on the UI thread. A newer load with the same ``key`` on the same owner
  supersedes an older one still running (search as you type), and nothing arrives for a deleted widget.
* :func:`act` — a user action: ``act(self, lambda: approve_and_sign(ctx, id), done=self.close)``. Like a
  load, plus: a clear message in the user's words when it fails (never the exception's own text, which may
  hold client data), and :func:`bus` ``.sig_changed`` afterwards so every open view refreshes.
* ``lane="io"`` — network and PDF rendering run in a separate pool of two threads and never wait for the
  store lane.

Tests run the same code synchronously with :func:`inline` (ARCHITECTURE.md example 10).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any, Callable, Iterator

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import _, user_message
from storage.errors import LietaError

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class Task(QRunnable):
    """``work(progress)`` in a pool thread; its result or exception comes back to the GUI thread by signal."""

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = TaskSignals()  # created in the GUI thread: connections to its slots are queued

    def run(self) -> None:
        try:
            result = self.work(self.signals.progress.emit)
        except Exception as error:  # noqa: BLE001 - every failure is reported to the caller
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)
        finally:
            self.work = None  # the closure may hold client data or PDF bytes: let them go with the task


class Bus(QObject):
    """Application-wide events: views refresh on ``sig_changed`` instead of knowing who changed what."""

    sig_changed = Signal()
    sig_failed = Signal(str)  # every action's failure message (the status bar shows the last one)


_bus: Bus | None = None
_lanes: dict[str, QThreadPool] = {}
_running: set[Task] = set()  # keeps each task's signals alive until its result is delivered
_generations: dict[tuple[int, str], int] = {}
_inline = False


def bus() -> Bus:
    global _bus
    if _bus is None:
        _bus = Bus()
    return _bus


def lane(name: str) -> QThreadPool:
    """``store``: one thread for everything that opens a session; ``io``: two for network and rendering."""
    if name not in _lanes:
        pool = QThreadPool()
        pool.setMaxThreadCount(1 if name == "store" else 2)
        _lanes[name] = pool
    return _lanes[name]


@contextlib.contextmanager
def inline() -> Iterator[None]:
    """Run every task at once on the calling thread (unit tests); results are still delivered by signal."""
    global _inline
    previous, _inline = _inline, True
    try:
        yield
    finally:
        _inline = previous


def pending() -> int:
    """Tasks started whose result has not been delivered yet (benchmarks: "everything shown")."""
    return len(_running)


def wait_idle(timeout_ms: int = 30000) -> bool:
    """Block until both lanes are idle (tests and shutdown); queued results still need the event loop."""
    return all(pool.waitForDone(timeout_ms) for pool in _lanes.values())


def run(owner: QObject | None, work: Callable[[Progress], Any], on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None, *, lane_name: str = "store",
        on_progress: Progress | None = None, key: str | None = None) -> Task:
    """The plumbing under :func:`load` and :func:`act`: ``work(progress)`` in a lane, results to the owner."""
    task = Task(work)
    generation = None
    if owner is not None and key is not None:
        slot = (id(owner), key)
        generation = _generations[slot] = _generations.get(slot, 0) + 1

    def current() -> bool:
        if owner is not None and not shiboken6.isValid(owner):
            return False
        return generation is None or _generations.get((id(owner), key)) == generation

    def done(result: Any) -> None:
        _running.discard(task)
        if current() and on_done is not None:
            on_done(result)

    def failed(error: BaseException) -> None:
        _running.discard(task)
        if not current():
            return
        if on_failed is not None:
            on_failed(error)
        else:
            log.error("background work failed: %s", type(error).__name__)

    connection = Qt.ConnectionType.QueuedConnection if not _inline else Qt.ConnectionType.DirectConnection
    task.signals.done.connect(done, connection)
    task.signals.failed.connect(failed, connection)
    if on_progress is not None:
        task.signals.progress.connect(on_progress, connection)
    _running.add(task)
    if _inline:
        task.run()
    else:
        lane(lane_name).start(task)
    return task


def load(owner: QWidget, work: Callable[[], Any], on_done: Callable[[Any], None], *, key: str = "load",
         lane_name: str = "store", on_failed: Callable[[str], None] | None = None) -> Task:
    """Fetch data for a view without blocking it; only the newest load per ``key`` is delivered."""
    def failed(error: BaseException) -> None:
        text = message_for(error)
        if on_failed is not None:
            on_failed(text)
        else:
            bus().sig_failed.emit(text)

    return run(owner, lambda _progress: work(), on_done, failed, lane_name=lane_name, key=key)


def act(owner: QWidget, work: Callable[[], Any], *, done: Callable[[Any], None] | None = None,
        failed: Callable[[str], None] | None = None, lane_name: str = "store", changes: bool = True) -> Task:
    """One user action. On success ``done(result)`` and, for changes, ``bus().sig_changed``; on failure the
    user's message goes to ``failed`` (a form shows it beside its fields) or a message box over ``owner``."""
    def succeeded(result: Any) -> None:
        if done is not None:
            done(result)
        if changes:
            bus().sig_changed.emit()

    def went_wrong(error: BaseException) -> None:
        text = message_for(error)
        bus().sig_failed.emit(text)
        if failed is not None:
            failed(text)
        else:
            show_error(owner, text)

    return run(owner, lambda _progress: work(), succeeded, went_wrong, lane_name=lane_name)


def message_for(error: BaseException) -> str:
    """The user's words for a failure; a defect is logged by type only (its text may hold client data)."""
    if not isinstance(error, LietaError):
        log.error("unexpected error in an operation: %s", type(error).__name__)
    return user_message(error)


def show_error(parent: QWidget | None, text: str) -> QMessageBox:
    """A window-modal message that does not block the event loop (``open``, not ``exec``)."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("Lieta"), text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("lieta-error")
    box.open()
    return box


class Coalescer(QObject):
    """Call ``callback`` once after a burst of requests (typing, several changes in a row)."""

    def __init__(self, callback: Callable[[], None], delay_ms: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(callback)

    def request(self) -> None:
        self.timer.start()
