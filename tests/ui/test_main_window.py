"""The first desktop window with real Qt widgets (offscreen): unlock, wrong passphrase, search as you type."""

import pytest
from PySide6.QtCore import Qt

from app import people
from app.context import Context
from app.people import PersonInput
from tests.conftest import LOGIN, PASSPHRASE
from ui.main import SearchWindow, UnlockWindow, backoff_seconds


@pytest.fixture
def seeded_store(store):
    ctx = Context(store)
    for given, surname in [("Jānis", "Bērziņš"), ("Ilze", "Ozoliņa")]:
        people.register_client(ctx, people.create_person(ctx, PersonInput(given, surname)), client_type="voluntary")
    store.lock()
    return store


def test_wrong_passphrase_is_explained_and_the_field_cleared(qtbot, seeded_store, data_dir):
    opened = []
    window = UnlockWindow(data_dir, LOGIN, opened.append)
    qtbot.addWidget(window)
    qtbot.keyClicks(window.passphrase, "nepareiza-parole")
    qtbot.keyClick(window.passphrase, Qt.Key.Key_Return)
    assert opened == []
    assert "Nepareizs" in window.message.text()
    assert window.passphrase.text() == ""


def test_repeated_failures_slow_down_without_blocking():
    assert [backoff_seconds(n) for n in range(7)] == [0, 0, 0, 1, 2, 4, 8]
    assert backoff_seconds(50) == 30


def test_unlock_then_search_as_you_type_without_diacritics(qtbot, seeded_store, data_dir):
    opened = []
    window = UnlockWindow(data_dir, LOGIN, opened.append)
    qtbot.addWidget(window)
    qtbot.keyClicks(window.passphrase, PASSPHRASE)
    qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    search = SearchWindow(opened[0])
    qtbot.addWidget(search)
    qtbot.keyClicks(search.query, "berzins")
    assert search.results.count() == 1
    assert "Bērziņš" in search.results.item(0).text()
    assert search.status.text() == ""  # everything matching is shown
    search.close()
    assert opened[0].store.locked  # closing the window drops the key
