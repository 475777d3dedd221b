"""Take a PNG of every screen of the desktop application from demo data, in Latvian, as a person sees it.

Run under a real X server (Qt's xcb platform), at an old laptop's 1366×768:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/take_screenshots.py
    QT_SCALE_FACTOR=1.25 xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/take_screenshots.py

(Debian/Ubuntu: ``apt install xvfb libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
libxcb-xkb1 libxkbcommon-x11-0 libxcb-cursor0`` — Qt's xcb plugin needs them.) The second command writes the
same screens with a ``-125`` suffix, to check nothing is cut off at 125 % scaling. The demo store is made in a
temporary folder (300 demo clients, a user who is both social worker and head of service) and deleted after.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LIETA_KDF_PROFILE", "minimum")  # screenshots, not security: fast key derivation

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

OUT = Path(__file__).resolve().parent
LOGIN, PASSPHRASE = "ilze", "Demo-parole-2026"
SUFFIX = "-125" if float(os.environ.get("QT_SCALE_FACTOR", "1")) > 1 else ""


def settle(ms: int = 400) -> None:
    """Let loads finish and paint: process events while the worker lanes drain."""
    from ui import ops

    end = dt.datetime.now() + dt.timedelta(milliseconds=ms)
    while dt.datetime.now() < end:
        QApplication.processEvents()
        ops.wait_idle(50)
    QApplication.processEvents()


def shot(name: str, widget: QWidget | None = None) -> None:
    """The whole X screen (dialogs included) — what a person sees."""
    settle()
    screen = QApplication.primaryScreen()
    image = screen.grabWindow(0)
    path = OUT / f"{name}{SUFFIX}.png"
    image.save(str(path))
    print("wrote", path.relative_to(ROOT), flush=True)


def maximise(window: QWidget) -> None:
    """The whole screen (Xvfb has no window manager to maximise it)."""
    window.setGeometry(QApplication.primaryScreen().availableGeometry())
    window.show()
    settle(200)


def main() -> int:
    from app.context import Context
    from app.demo import seed_demo
    from app.i18n import set_language
    from storage.store import Store
    from ui import ops
    from ui.main import Desktop

    set_language("lv")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        empty, data = Path(folder) / "empty", Path(folder) / "data"
        first = Desktop(empty, None)
        first.first_run.show()
        shot("first-run")
        first.first_run.close()

        store = Store.create(data, LOGIN, PASSPHRASE, display_name="Līga Avotiņa",
                             roles=["social_worker", "head", "administrator"])
        seed_demo(Context(store), 300, seed=1)
        store.lock()

        desktop = Desktop(data, LOGIN)
        desktop.unlock_window.passphrase.setText("")
        shot("unlock")
        desktop.unlock_window.passphrase.setText(PASSPHRASE)
        desktop.unlock_window.unlock()
        while desktop.main is None:  # the key is derived in a worker
            settle(100)
        shell = desktop.main
        maximise(shell)
        for step in STEPS:
            step(shell)
        desktop.lock("")
        ops.wait_idle()  # the unlock window's warm-up, before the folder goes
    QTimer.singleShot(0, app.quit)
    app.exec()
    return 0


def close_dialogs() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
    settle(100)


def today(shell) -> None:
    shell.show_section("today")
    shot("today")


def clients(shell) -> None:
    page = shell.show_section("clients")
    page.query.setText("berz")
    shot("search")
    page.new_client()
    shot("new-client")
    close_dialogs()


def client_file(shell) -> None:
    """A client with an open case and a plan task due (as a worker would open from Today)."""
    from app.due import due_items

    client_id = next(item.client_id for item in due_items(shell.ctx, within_days=365, everyone=True)
                     if item.kind == "task" and item.client_id)
    page = shell.open_client(client_id)
    for key in ("overview", "household", "case", "journal", "visits", "assessments", "decisions", "agreement",
                "documents", "audit"):
        page.show_tab(key)
        shot(f"client-{key}")
    shell.back()


def home_visit(shell) -> None:
    """A planned visit started and half answered (as on the kitchen table), then a signed one read-only."""
    from app import due, visits

    planned = due.planned_visits(shell.ctx, within_days=60)[0]
    if not planned.started:
        visits.start_visit(shell.ctx, planned.visit_id)
    detail = visits.visit_detail(shell.ctx, planned.visit_id)
    for index, (question_id, question) in enumerate(list(detail.template.questions.items())[:4]):
        value = {"yes_no": True, "scale": 4}.get(question.get("type"), "Māja sakopta, malka sagādāta ziemai.")
        try:
            visits.save_answer(shell.ctx, planned.visit_id, question_id, value)
        except Exception:  # noqa: BLE001 - a question type this picture does not need
            continue
    shell.open_visit(planned.visit_id)
    shot("home-visit-checklist")
    shell.back()


def decisions(shell) -> None:
    from app.decisions import approval_queue

    queue = approval_queue(shell.ctx)
    shell.show_section("approvals")
    shot("approvals")
    if queue:
        shell.open_decision(queue[0].id)
        shot("decision")
        shell.back()


def preview(shell) -> None:
    from app import listing
    from forms.decision_letter import decision_letter
    from ui.printing import preview_document

    line = listing.printable(shell.ctx, "decisions", limit=1)[0]
    preview_document(shell, "LĒMUMS", lambda large_print=False: decision_letter(shell.ctx, line.id,
                                                                                 large_print=large_print))
    settle(1500)
    shot("print-preview")
    close_dialogs()


def sections(shell) -> None:
    for key in ("conflicts", "reports", "settings"):
        page = shell.show_section(key)
        if key == "reports":  # the workload report, as a head looks at it
            page.kind.setCurrentIndex(max(0, page.kind.findData("workload")))
            page.run()
            settle(1500)
        shot(key)


STEPS = [today, clients, client_file, home_visit, decisions, preview, sections]


if __name__ == "__main__":
    sys.exit(main())
