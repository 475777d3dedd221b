"""The settings screen: change and save, reopen and see the saved values, a wrong service address refused with a
message (and nothing saved), the language choice kept, the administrator's facts shown."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import insert

from app import laptop
from app import settings as s
from app.context import Context
from storage.models import SyncState, utcnow
from ui import ops
from ui.settings import view as settings_view
from ui.settings.view import SettingsView

pytestmark = pytest.mark.usefixtures("lv")


class Shell:
    """Stands in for the main window: the status bar's last message."""

    def __init__(self) -> None:
        self.status = ""

    def show_status(self, text: str) -> None:
        self.status = text


@pytest.fixture(autouse=True)
def printers(monkeypatch):
    """Two printers in the office (an offscreen test machine has none)."""
    monkeypatch.setattr(settings_view, "available_printers", lambda: ["Birojs HP", "Gaitenis Canon"])


@pytest.fixture
def ctx(store):
    return Context(store)


def opened(qtbot, ctx, shell=None) -> SettingsView:
    page = SettingsView(ctx, shell or Shell())
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)  # shortcuts reach the active window only
    with ops.inline():
        page.refresh()
    return page


def enrol(store, url="https://lieta.novads.lv"):
    with store.engine.begin() as conn:
        conn.execute(insert(SyncState.__table__).values(
            singleton=1, server_url=url, server_certificate="PEM", server_keys="keys", device_keys="device",
            parish_ids=[], municipal=False, epoch="e1", pulled_version=0, enrolled_at=utcnow()))


def test_a_new_laptop_shows_the_defaults(qtbot, ctx):
    page = opened(qtbot, ctx)
    assert page.language.currentData() == "lv" and page.autolock.value() == 5
    assert page.printer.currentData() == "" and page.printer.currentText() == "Sistēmas noklusētais printeris"
    assert not page.large_print.isChecked()
    assert not page.server.isEnabled() and "nav reģistrēts" in page.server_note.text()


def test_the_worker_changes_the_settings_saves_with_ctrl_s_and_sees_them_after_reopening(qtbot, ctx, data_dir):
    shell = Shell()
    page = opened(qtbot, ctx, shell)
    page.autolock.setValue(15)
    page.printer.setCurrentIndex(page.printer.findData("Gaitenis Canon"))
    page.large_print.setChecked(True)
    assert page.is_dirty()
    with ops.inline():
        qtbot.keyClick(page.autolock, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert shell.status == "Iestatījumi saglabāti."
    assert json.loads(s.settings_file(data_dir).read_text()) == {
        "language": "lv", "autolock_minutes": 15, "printer": "Gaitenis Canon", "large_print": True}

    again = opened(qtbot, ctx)
    assert again.autolock.value() == 15 and again.printer.currentData() == "Gaitenis Canon"
    assert again.large_print.isChecked() and not again.is_dirty()


def test_escape_reverts_what_was_not_saved(qtbot, ctx):
    page = opened(qtbot, ctx)
    page.autolock.setValue(30)
    qtbot.keyClick(page.autolock, Qt.Key.Key_Escape)
    assert page.autolock.value() == 5 and not page.is_dirty()
    assert not s.settings_file(ctx.store.paths.root).exists()


def test_the_language_switch_is_kept_and_takes_effect_at_the_next_unlock(qtbot, ctx, data_dir):
    page = opened(qtbot, ctx)
    page.language.setCurrentIndex(page.language.findData("en"))
    with ops.inline():
        page.save()
    assert s.load_settings(data_dir).language == "en"
    assert opened(qtbot, ctx).language.currentText() == "English"
    assert "nākamajā datora atbloķēšanā" in page.note.text()


def test_an_administrator_moves_the_service_and_a_wrong_address_is_refused_without_saving(qtbot, ctx, data_dir):
    enrol(ctx.store)
    shell = Shell()
    page = opened(qtbot, ctx, shell)  # Anna is also the administrator of this laptop
    assert page.server.isEnabled() and page.server.text() == "https://lieta.novads.lv"
    page.autolock.setValue(20)
    page.server.setText("http://lieta.novads.lv")  # plain http to another computer
    with ops.inline():
        page.save()
    assert page.error.isVisible() and "https://" in page.error.text()
    assert page.server.hasFocus() or not page.isActiveWindow()
    assert laptop.server_address(ctx) == "https://lieta.novads.lv"
    assert not s.settings_file(data_dir).exists()  # nothing was saved
    assert shell.status != "Iestatījumi saglabāti."

    page.server.setText("https://serviss.novads.lv/")
    with ops.inline():
        page.save()
    assert not page.error.isVisible() and shell.status == "Iestatījumi saglabāti."
    assert laptop.server_address(ctx) == "https://serviss.novads.lv"
    assert s.load_settings(data_dir).autolock_minutes == 20
    assert page.server.text() == "https://serviss.novads.lv"


def test_a_saved_printer_not_connected_now_is_kept(qtbot, ctx, data_dir):
    s.save_settings(s.defaults().replace(printer="Pagasta māja Brother"), data_dir)
    page = opened(qtbot, ctx)
    assert page.printer.currentData() == "Pagasta māja Brother" and "nav pievienots" in page.printer.currentText()
    assert not page.is_dirty()


def test_the_it_administrator_reads_this_laptops_facts(qtbot, ctx, data_dir):
    page = opened(qtbot, ctx)
    texts = [label.text() for label in page.facts.findChildren(type(page.server_note))]
    assert str(data_dir) in texts and str(ctx.store.device_id) in texts and laptop.app_version() in texts
    assert any(text.startswith("00") for text in texts)  # the store's schema revision


def test_a_damaged_settings_file_does_not_stop_the_screen(qtbot, ctx, data_dir):
    s.settings_file(data_dir).write_text("{oops")
    page = opened(qtbot, ctx)
    assert page.autolock.value() == 5 and page.save_button.isEnabled()
