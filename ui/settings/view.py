"""Settings of this laptop (language, auto-lock, printer, large print), the central service's address, and the
facts an IT administrator asks for over the phone (data folder, schema version, device, version).

The settings themselves are declared once in :mod:`app.settings`; this screen only edits them. Reading and
saving go through the store lane like any other I/O. The server address is the store's own (sync state): an
administrator changes it here, nobody else can. Language and auto-lock take effect at the next unlock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea,
    QSpinBox, QVBoxLayout, QWidget,
)

from app.context import Context
from app.i18n import _, current_language
from app.reports.render import format_date
from app.laptop import LaptopFacts, change_server_address, laptop_facts
from app.settings import AUTOLOCK_RANGE, DECLARED, Settings, load_settings, save_settings, valid_server_url
from ui import ops
from ui.printing import set_large_print_default
from ui.page import Page

#: each language by its own name, so someone who cannot read the current one still finds theirs
LANGUAGE_NAMES = {"lv": "Latviešu", "en": "English"}


@dataclass(frozen=True)
class Loaded:
    settings: Settings
    facts: LaptopFacts
    may_change_server: bool


def _load(ctx: Context) -> Loaded:
    return Loaded(load_settings(ctx.store.paths.root), laptop_facts(ctx), ctx.has_role("administrator"))


def _save(ctx: Context, settings: Settings, server_url: str | None) -> Settings:
    """The address is checked first, so a refused address saves nothing; then the file, then the store."""
    if server_url is not None:
        valid_server_url(server_url)
    save_settings(settings, ctx.store.paths.root)
    if server_url is not None:
        change_server_address(ctx, server_url)
    return settings


def label_of(key: str) -> str:
    """A setting's translated label, from its one declaration in app.settings."""
    return _(DECLARED[key].label)


def available_printers() -> list[str]:
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())


class SettingsView(Page):
    def __init__(self, ctx: Context, shell: Any) -> None:
        super().__init__(ctx, shell)
        self.title = _("Settings")
        self.loaded: Loaded | None = None
        self._build()
        self._set_enabled(False)

    # layout
    def _build(self) -> None:
        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.autolock = QSpinBox()
        self.autolock.setRange(*AUTOLOCK_RANGE)
        self.autolock.setSuffix(" " + _("min"))
        self.printer = QComboBox()
        self.large_print = QCheckBox(self._mnemonic(label_of("large_print")))
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://lieta.novads.lv")
        self.server_note = QLabel("")
        self.server_note.setWordWrap(True)
        self.error = QLabel("")
        self.error.setObjectName("settings-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.hide()
        self.note = note = QLabel(_("Language and auto-lock take effect the next time the laptop is unlocked."))
        note.setWordWrap(True)
        self.env_note = QLabel("")
        self.env_note.setWordWrap(True)

        laptop = QGroupBox(_("This laptop"))
        self.laptop_form = form = QFormLayout(laptop)
        form.addRow(self._label(label_of("language"), self.language), self.language)
        form.addRow(self._label(label_of("autolock_minutes"), self.autolock), self.autolock)
        form.addRow("", self.env_note)
        form.addRow(self._label(label_of("printer"), self.printer), self.printer)
        form.addRow("", self.large_print)
        form.addRow("", note)
        service = QGroupBox(_("Central service"))
        service_form = QFormLayout(service)
        service_form.addRow(self._label(_("Central service address"), self.server), self.server)
        service_form.addRow("", self.server_note)

        self.facts = QGroupBox(_("For the IT administrator"))
        self.facts_form = QFormLayout(self.facts)

        self.save_button = QPushButton(_("&Save"))
        self.save_button.setToolTip(_("Save the settings (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(_("&Revert"))
        self.revert_button.setToolTip(_("Undo the changes not yet saved (Esc)"))
        self.revert_button.clicked.connect(self.revert)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(laptop)
        column.addWidget(service)
        column.addWidget(self.error)
        column.addLayout(buttons)
        column.addWidget(self.facts)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        for key, slot in ((QKeySequence.StandardKey.Save, self.save), (QKeySequence(Qt.Key.Key_Escape), self.revert)):
            QShortcut(QKeySequence(key), self, activated=slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _mnemonic(self, text: str) -> str:
        """``text`` with an Alt+letter no other field of this screen uses (labels come translated from the
        declarations, so the letter is picked here rather than written into every translation)."""
        buttons = (_("&Save"), _("&Revert"))
        taken = self.__dict__.setdefault("_mnemonics", {t[t.index("&") + 1].lower() for t in buttons if "&" in t})
        for index, char in enumerate(text):
            if char.isalpha() and char.lower() not in taken:
                taken.add(char.lower())
                return text[:index] + "&" + text[index:]
        return text

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(self._mnemonic(text))
        label.setBuddy(buddy)
        return label

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.language, self.autolock, self.printer, self.large_print, self.save_button,
                       self.revert_button):
            widget.setEnabled(enabled)

    # loading and showing
    def refresh(self) -> None:
        """Load the saved values (not over changes the user has not saved yet)."""
        if self.loaded is not None and self.is_dirty():
            return
        ctx = self.ctx
        ops.load(self, lambda: _load(ctx), self._show)

    def _show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        values, facts = loaded.settings, loaded.facts
        self.language.setCurrentIndex(max(self.language.findData(values.language), 0))
        self.autolock.setValue(values.autolock_minutes)
        self._fill_printers(values.printer)
        self.large_print.setChecked(values.large_print)
        self.server.setText(facts.server_url or "")
        enrolled = facts.server_url is not None
        self.server.setEnabled(enrolled and loaded.may_change_server)
        self.server_note.setText(
            _("This laptop is not enrolled with a central service: it works on its own. An administrator enrols "
              "it with 'lieta enrol'.") if not enrolled else
            _("Only an administrator may change the address.") if not loaded.may_change_server else
            _("Change it only when the service has moved: the laptop still trusts only the same service."))
        override = os.environ.get("LIETA_AUTOLOCK_MINUTES")
        self.env_note.setText(_("For now the laptop locks after {minutes} minutes, as set by "
                                "LIETA_AUTOLOCK_MINUTES.").format(minutes=override) if override else "")
        self.laptop_form.setRowVisible(self.env_note, bool(override))
        self._show_facts(facts)
        self._set_enabled(True)
        self.error.hide()

    def _fill_printers(self, chosen: str) -> None:
        self.printer.clear()
        self.printer.addItem(_("System default printer"), "")
        names = available_printers()
        for name in names:
            self.printer.addItem(name, name)
        if chosen and chosen not in names:  # a printer of another office, not connected now: keep the choice
            self.printer.addItem(_("{printer} (not connected)").format(printer=chosen), chosen)
        self.printer.setCurrentIndex(max(self.printer.findData(chosen), 0))

    def _show_facts(self, facts: LaptopFacts) -> None:
        while self.facts_form.rowCount():
            self.facts_form.removeRow(0)
        language = current_language()
        schema = facts.schema_version or "—"
        rows = [
            (_("Data folder"), str(facts.data_folder)),
            (_("Settings file"), str(facts.settings_file)),
            (_("Store schema version"), schema if facts.schema_current else
             _("{version} (needs upgrading)").format(version=schema)),
            (_("Device"), str(facts.device_id)),
            (_("Computer name"), facts.computer_name),
            (_("Enrolled"), format_date(facts.enrolled_at.date(), language) if facts.enrolled_at else _("no")),
            (_("Lieta version"), facts.app_version),
        ]
        for label, value in rows:
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
            shown.setWordWrap(True)
            self.facts_form.addRow(label, shown)

    # editing
    def edited(self) -> Settings:
        """The values on screen (validated when saved)."""
        base = self.loaded.settings if self.loaded else Settings()
        return base.replace(language=self.language.currentData(), autolock_minutes=self.autolock.value(),
                            printer=self.printer.currentData() or "", large_print=self.large_print.isChecked())

    def _server_change(self) -> str | None:
        if self.loaded is None or not self.server.isEnabled():
            return None
        typed = self.server.text().strip()
        return None if typed == (self.loaded.facts.server_url or "") else typed

    def is_dirty(self) -> bool:
        return self.loaded is not None and (dict(self.edited()) != dict(self.loaded.settings)
                                            or self._server_change() is not None)

    def save(self) -> None:
        if self.loaded is None or not self.save_button.isEnabled():
            return
        ctx, settings, server_url = self.ctx, self.edited(), self._server_change()
        self.error.hide()
        self.save_button.setEnabled(False)
        ops.act(self, lambda: _save(ctx, settings, server_url), done=self._saved, failed=self._refused)

    def _saved(self, settings: Settings) -> None:
        set_large_print_default(settings.large_print)  # applies to the next preview at once
        self.loaded = None  # the next refresh shows what is saved now
        self.save_button.setEnabled(True)
        self._status(_("Settings saved."))
        self.refresh()

    def _refused(self, text: str) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(text)
        self.error.show()
        if self.server.isEnabled() and self._server_change() is not None:
            self.server.setFocus()
            self.server.selectAll()

    def revert(self) -> None:
        if self.loaded is not None:
            self._show(self.loaded)
            self._status(_("Changes undone."))

    def _status(self, text: str) -> None:
        if self.shell is not None:
            self.shell.show_status(text)

    def clear(self) -> None:
        """Settings hold no client data; unsaved edits are dropped so the next user starts from the saved ones."""
        if self.loaded is not None:
            self._show(self.loaded)
