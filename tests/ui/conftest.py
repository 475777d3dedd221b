"""Helpers for the desktop tests: what a person could read on screen, and typing Latvian text."""

from __future__ import annotations

import pytest

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QApplication, QComboBox, QGroupBox, QLabel, QLineEdit, QPlainTextEdit,
    QTabBar, QTextEdit, QWidget,
)


def widget_texts(root: QWidget) -> str:
    """Every text ``root`` and its children hold: titles, labels, fields, buttons, choices, tabs, and every cell
    of every item view — what someone walking into the office could read, or what a test looks for."""
    shown = [getattr(root, "title", "") or "", root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
            shown.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            shown.append(widget.toPlainText())
        elif isinstance(widget, QTextEdit):
            shown.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            shown += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QGroupBox):
            shown.append(widget.title())
        elif isinstance(widget, QTabBar):
            shown += [widget.tabText(i) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model, root_index = widget.model(), QModelIndex()
            for row in range(model.rowCount(root_index)):
                columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root_index)
                for column in range(columns):
                    value = model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
                    if value is not None:
                        shown.append(str(value))
    return "\n".join(shown)


def visible_texts() -> str:
    """Everything the visible windows show."""
    return "\n".join(widget_texts(window) for window in QApplication.topLevelWidgets() if window.isVisible())


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` as a keyboard does, Latvian letters too: one press and release per character
    carrying it as text (``QTest.keyClicks`` handles ASCII only and aborts on 'ī')."""
    widget.setFocus()
    for char in text:
        key = Qt.Key(ord(char.upper())) if char.isascii() and char.isalnum() else (
            Qt.Key.Key_Space if char == " " else Qt.Key.Key_unknown)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


@pytest.fixture
def central(tmp_path):
    """The real central service in-process over SQLite (the desktop's tests need it, not its two backends)."""
    from sync.server.database import open_engine
    from sync.server.schema import metadata
    from tests.sync.conftest import Central

    engine = open_engine(f"sqlite:///{tmp_path}/central.db")
    metadata.create_all(engine)
    service = Central(engine, tmp_path)
    yield service
    service.http.close()
    engine.dispose()
