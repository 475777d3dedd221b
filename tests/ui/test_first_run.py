"""First start on a laptop with no case store: create an encrypted standalone store, or enrol with the service."""

from __future__ import annotations

from PySide6.QtCore import Qt

from storage.store import Store
from tests.conftest import all_bytes
from ui.first_run import FirstRunWindow

WAIT = 15000


def test_a_standalone_store_is_created_encrypted_after_a_mismatch_is_explained(qtbot, data_dir, lv):
    ready = []
    window = FirstRunWindow(data_dir, lambda ctx, _passphrase: ready.append(ctx))
    qtbot.addWidget(window)
    window.tabs.setCurrentIndex(1)
    window.name.setText("Ilze Ābola")
    window.create_login.setText("ilze")
    window.passphrase.setText("Ziemā-sniegs-2026!")  # QTest types Latin-1 only
    window.repeat.setText("Ziemā-sniegs-2027!")
    qtbot.keyClick(window.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.tabs.isEnabled(), timeout=WAIT)
    assert window.message.text() == "Abas paroles atšķiras. Ierakstiet to pašu paroli divreiz."
    assert not Store.exists(data_dir) and window.passphrase.text() == ""  # typed again, never kept

    window.passphrase.setText("Ziemā-sniegs-2026!")  # QTest types Latin-1 only
    window.repeat.setText("Ziemā-sniegs-2026!")
    window.head.setChecked(True)
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(ready), timeout=WAIT)
    ctx = ready[0]
    assert (ctx.store.login, ctx.store.display_name, ctx.roles) == ("ilze", "Ilze Ābola", ["head", "administrator"])
    ctx.store.lock()
    assert b"Ilze" not in all_bytes(data_dir) and b"SQLite format 3" not in all_bytes(data_dir)
    Store.open(data_dir, "ilze", "Ziemā-sniegs-2026!").lock()  # opens with the passphrase typed


def test_a_weak_passphrase_is_refused_with_the_rule(qtbot, data_dir, lv):
    window = FirstRunWindow(data_dir, lambda ctx, _passphrase: None)
    qtbot.addWidget(window)
    window.create_login.setText("ilze")
    window.passphrase.setText("īsa")
    window.repeat.setText("īsa")
    window.create()
    qtbot.waitUntil(lambda: window.tabs.isEnabled(), timeout=WAIT)
    assert "vismaz 8 rakstzīm" in window.message.text() and not Store.exists(data_dir)


def test_enrolling_makes_the_store_with_the_service_password(qtbot, data_dir, central, lv):
    from tests.sync.conftest import PASSWORD

    ready = []
    window = FirstRunWindow(data_dir, lambda ctx, _passphrase: ready.append(ctx), http=central.http)
    qtbot.addWidget(window)
    window.server.setText("http://testserver")
    window.code.setText("nepareizs-kods")
    window.enrol_login.setText("anna")
    window.enrol_password.setText(PASSWORD)
    window.enrol()
    qtbot.waitUntil(lambda: window.tabs.isEnabled(), timeout=WAIT)
    assert window.message.text() and not ready and not Store.exists(data_dir)

    window.code.setText(central.code(central.parish_a))
    window.enrol_password.setText(PASSWORD)
    window.enrol()
    qtbot.waitUntil(lambda: bool(ready), timeout=WAIT)
    assert ready[0].store.login == "anna" and Store.exists(data_dir)
    ready[0].store.lock()
    Store.open(data_dir, "anna", PASSWORD).lock()
