"""The first desktop window with real Qt widgets (offscreen): unlock, wrong passphrase, search as you type."""

import pytest
from PySide6.QtCore import Qt

from app import people
from app.context import Context
from app.people import PersonInput
from tests.conftest import LOGIN, PASSPHRASE
from ui.autolock import configured_minutes
from tests.ui.conftest import visible_texts
from ui.main import Desktop, UnlockWindow, backoff_seconds

WAIT = 10000


@pytest.fixture
def seeded_store(store):
    ctx = Context(store)
    for given, surname in [("Jānis", "Bērziņš"), ("Ilze", "Ozoliņa")]:
        people.register_client(ctx, people.create_person(ctx, PersonInput(given, surname)), client_type="voluntary")
    store.lock()
    return store


def test_wrong_passphrase_is_explained_and_the_field_cleared(qtbot, seeded_store, data_dir):
    opened = []
    window = UnlockWindow(data_dir, LOGIN, lambda ctx, _passphrase: opened.append(ctx))
    qtbot.addWidget(window)
    qtbot.keyClicks(window.passphrase, "nepareiza-parole")
    qtbot.keyClick(window.passphrase, Qt.Key.Key_Return)
    assert window.passphrase.text() == "" and window.message.text() == "Atver lietu krātuvi…"
    qtbot.waitUntil(lambda: "Nepareizs" in window.message.text(), timeout=WAIT)
    assert opened == [] and window.button.isEnabled()
    assert window.passphrase.text() == ""


def test_repeated_failures_slow_down_without_blocking():
    assert [backoff_seconds(n) for n in range(7)] == [0, 0, 0, 1, 2, 4, 8]
    assert backoff_seconds(50) == 30


def test_unlock_opens_the_main_window_and_closing_it_by_locking_drops_the_key(qtbot, seeded_store, data_dir):
    desktop = Desktop(data_dir, LOGIN)
    qtbot.keyClicks(desktop.unlock_window.passphrase, PASSPHRASE)
    qtbot.mouseClick(desktop.unlock_window.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desktop.main is not None, timeout=WAIT)
    assert desktop.main.isVisible()
    assert desktop.main.current_section() == "today"
    store = desktop.main.ctx.store
    desktop.lock("")
    assert store.locked and desktop.unlock_window.isVisible()


def unlock_and_search(qtbot, desktop):
    qtbot.keyClicks(desktop.unlock_window.passphrase, PASSPHRASE)
    qtbot.keyClick(desktop.unlock_window.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.main is not None, timeout=WAIT)
    desktop.main.find_client()
    qtbot.keyClicks(desktop.main.pages["clients"].query, "berzins")
    qtbot.waitUntil(lambda: "Bērziņš" in visible_texts(), timeout=5000)
    return desktop.main.ctx.store


def test_idle_auto_lock_hides_every_client_name_and_drops_the_key(qtbot, seeded_store, data_dir):
    desktop = Desktop(data_dir, LOGIN, minutes=0.01)  # 0.6 s instead of 5 minutes
    store = unlock_and_search(qtbot, desktop)
    qtbot.waitUntil(lambda: store.locked, timeout=5000)
    assert desktop.main is None and desktop.unlock_window.isVisible()
    assert "Bērziņš" not in visible_texts() and "berzins" not in visible_texts()
    assert "Bloķēts pēc 0.01 minūtēm bez lietošanas." in desktop.unlock_window.message.text()
    qtbot.keyClicks(desktop.unlock_window.passphrase, PASSPHRASE)  # and unlocking again works
    qtbot.keyClick(desktop.unlock_window.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.main is not None, timeout=WAIT)
    assert not desktop.main.ctx.store.locked
    desktop.lock("")


def test_typing_keeps_the_laptop_unlocked_and_ctrl_l_locks_at_once(qtbot, seeded_store, data_dir):
    desktop = Desktop(data_dir, LOGIN, minutes=0.02)  # 1.2 s
    store = unlock_and_search(qtbot, desktop)
    for _ in range(4):  # 2 s of someone working: never idle for 1.2 s
        qtbot.wait(500)
        qtbot.keyClick(desktop.main.pages["clients"].query, Qt.Key.Key_Space)
    assert not store.locked and desktop.main is not None
    qtbot.keyClick(desktop.main.pages["clients"].query, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert store.locked and desktop.main is None
    assert "Bērziņš" not in visible_texts()


def test_autolock_minutes_come_from_the_environment_within_limits(monkeypatch):
    monkeypatch.setenv("LIETA_AUTOLOCK_MINUTES", "15")
    assert configured_minutes() == 15
    monkeypatch.setenv("LIETA_AUTOLOCK_MINUTES", "0")
    assert configured_minutes() == 0.1
    monkeypatch.setenv("LIETA_AUTOLOCK_MINUTES", "pieci")
    assert configured_minutes() == 5


def test_the_laptops_settings_apply_at_unlock(qtbot, seeded_store, data_dir, monkeypatch):
    from app.settings import load_settings, save_settings
    from app.i18n import current_language
    from ui import printing

    monkeypatch.delenv("LIETA_AUTOLOCK_MINUTES", raising=False)
    monkeypatch.setattr(printing, "large_print_by_default", False)
    save_settings(load_settings(data_dir).replace(language="en", autolock_minutes=15, large_print=True), data_dir)
    assert configured_minutes(data_dir) == 15
    monkeypatch.setenv("LIETA_AUTOLOCK_MINUTES", "2")  # an administrator's override wins
    assert configured_minutes(data_dir) == 2
    monkeypatch.delenv("LIETA_AUTOLOCK_MINUTES")
    try:
        desktop = Desktop(data_dir, LOGIN)
        desktop.unlock_window.passphrase.setText(PASSPHRASE)
        desktop.unlock_window.unlock()
        qtbot.waitUntil(lambda: desktop.main is not None, timeout=WAIT)
        assert current_language() == "en" and desktop.main.nav.item(0).text() == "Today"
        assert desktop.minutes == 15 and printing.large_print_by_default
        desktop.lock("")
    finally:
        from app.i18n import set_language

        set_language("lv")
