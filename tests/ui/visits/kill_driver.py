"""Run by the kill test in its own process: unlock the store, open the checklist, type some answers and part of a
note, say READY once the store confirmed the last keystroke's save, then wait to be killed (no save, no close).

Usage: python -m tests.ui.visits.kill_driver DATA_DIR VISIT_ID
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LIETA_KDF_PROFILE"] = "minimum"

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.context import Context  # noqa: E402
from storage.store import Store  # noqa: E402
from tests.conftest import LOGIN, PASSPHRASE  # noqa: E402
from tests.ui.conftest import type_text  # noqa: E402
from ui.visits.checklist import ChecklistView  # noqa: E402

TIMEOUT_MS = 60_000
#: what is typed, in the order a worker would: keys on answers, then text, then part of a note
TYPED = (("housing_adequate", [Qt.Key.Key_Y]), ("food", [Qt.Key.Key_4]), ("clothing", [Qt.Key.Key_2]),
         ("heating", [Qt.Key.Key_2]), ("water", [Qt.Key.Key_N]))
TEXT_ANSWER = ("rooms", "Divas istabas, bērni guļ kopā")
PARTIAL_NOTE = ("food", "Ledusskapī gandrīz tuk")


def wait_for(condition, timeout_ms: int = TIMEOUT_MS) -> bool:
    """Run the event loop until ``condition()`` holds (PySide6 has no ``QTest.qWaitFor``)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            return False
        QTest.qWait(5)
    return True


def main(data_dir: Path, visit_id: uuid.UUID) -> int:
    app = QApplication(sys.argv[:1])
    store = Store.open(data_dir, LOGIN, PASSPHRASE)
    view = ChecklistView(Context(store), None, visit_id)
    view.resize(1000, 700)
    view.show()
    view.refresh()
    if not wait_for(lambda: bool(view.rows)):
        print("NOT LOADED", flush=True)
        return 2
    for question, keys in TYPED:
        for key in keys:
            QTest.keyClick(view.rows[question].answer, key)
    type_text(view.rows[TEXT_ANSWER[0]].answer, TEXT_ANSWER[1])
    type_text(view.rows[PARTIAL_NOTE[0]].note, PARTIAL_NOTE[1])
    # the last keystroke's save must reach the store: wait for the pause in typing and the store's answer
    if not wait_for(view.idle):
        print("NOT SAVED", flush=True)
        return 3
    print("READY", flush=True)
    return app.exec()  # until SIGKILL: nothing is closed, locked or saved "on exit"


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), uuid.UUID(sys.argv[2])))
