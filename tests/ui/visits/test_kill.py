"""Issue 6: killing the app in the middle of a checklist and restarting shows every answer typed so far."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import visits
from app.context import Context
from storage.store import Store
from tests.conftest import LOGIN, PASSPHRASE
from tests.ui.visits import kill_driver
from ui import ops
from ui.visits.checklist import ChecklistView

ROOT = Path(__file__).resolve().parents[3]
READY_WITHIN = 120.0  # seconds: unlocking and starting Qt on a slow CI machine


def read_line(process: subprocess.Popen, deadline: float) -> str:
    """The driver's next stdout line, or '' when it exits or the deadline passes (never hangs the test)."""
    while time.monotonic() < deadline:
        ready, _w, _x = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            return process.stdout.readline().strip()
    return ""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killing_the_app_mid_checklist_loses_no_typed_answer(qtbot, store, data_dir, ctx, visit):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LIETA_KDF_PROFILE="minimum", LIETA_DATA_DIR=str(data_dir),
               PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "tests.ui.visits.kill_driver", str(data_dir), str(visit)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = read_line(process, time.monotonic() + READY_WITHIN)
        assert line == "READY", f"the driver said {line!r}"
        assert process.poll() is None  # still running: nothing was closed or locked
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        process.stdout.close()

    store.lock()  # restart: a fresh unlock of the same files
    reopened = Store.open(data_dir, LOGIN, PASSPHRASE)
    try:
        again = Context(reopened)
        stored = visits.answers(again, visit)
        expected = {"housing_adequate": "yes", "food": "4", "clothing": "2", "heating": "stove", "water": "no",
                    kill_driver.TEXT_ANSWER[0]: kill_driver.TEXT_ANSWER[1]}
        assert {qid: row.value for qid, row in stored.items()} == expected
        assert stored["food"].note == kill_driver.PARTIAL_NOTE[1]
        with ops.inline():
            view = ChecklistView(again, None, visit)
            qtbot.addWidget(view)
            view.refresh()
        shown = {qid: row.value() for qid, row in view.rows.items() if row.value()}
        assert shown == expected
        assert view.rows["food"].note.text() == kill_driver.PARTIAL_NOTE[1]
    finally:
        reopened.lock()
