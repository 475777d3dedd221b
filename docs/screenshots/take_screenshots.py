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
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

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
    window.showMaximized()
    settle(200)


def main() -> int:
    from app.context import Context
    from app.demo import seed_demo
    from app.i18n import set_language
    from storage.store import Store
    from ui.main import Desktop

    set_language("lv")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        empty, data = Path(folder) / "empty", Path(folder) / "data"
        first = Desktop(empty, None)
        first.first_run.show()
        shot("first-run")
        first.first_run.close()

        store = Store.create(data, LOGIN, PASSPHRASE, display_name="Ilze Kalniņa",
                             roles=["social_worker", "head", "administrator"])
        seed_demo(Context(store), 300, seed=1)
        store.lock()

        desktop = Desktop(data, LOGIN)
        desktop.unlock_window.passphrase.setText("")
        shot("unlock")
        desktop.unlock_window.passphrase.setText(PASSPHRASE)
        desktop.unlock_window.unlock()
        shell = desktop.main
        maximise(shell)
        for step in STEPS:
            step(shell)
        desktop.lock("")
    QTimer.singleShot(0, app.quit)
    app.exec()
    return 0


def today(shell) -> None:
    shell.show_section("today")
    shot("today")


def clients(shell) -> None:
    page = shell.show_section("clients")
    page.query.setText("berz")
    shot("search")
    page.new_client()
    shot("new-client")
    for widget in QApplication.topLevelWidgets():
        if widget.metaObject().className() == "NewClientDialog" and widget.isVisible():
            widget.reject()


STEPS = [today, clients]


if __name__ == "__main__":
    sys.exit(main())
