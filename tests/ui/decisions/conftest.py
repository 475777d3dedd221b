"""The assistance tests' people: anna (social worker) and ilze (head of service) on the same laptop's store, a
client with an address and a one-person household. Every UI task runs synchronously (``ops.inline``)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from tests.app.test_assistance import client, ctx, head, household, person  # noqa: F401  (pytest fixtures)
from ui import ops

__all__ = ["client", "ctx", "head", "household", "person"]  # the fixtures borrowed from the assistance tests


@pytest.fixture
def synchronous():
    with ops.inline():
        yield


class StandInShell:
    """What the pages call on the main window, recorded."""

    def __init__(self) -> None:
        self.opened: list = []
        self.statuses: list[str] = []

    def open_decision(self, decision_id) -> None:
        self.opened.append(decision_id)

    def retitle(self, page) -> None:
        pass

    def show_status(self, text: str) -> None:
        self.statuses.append(text)


@pytest.fixture
def shell():
    return StandInShell()


def shown_text(widget: QWidget) -> str:
    """Everything a widget and its children show: labels, fields, choices, table cells, the title."""
    texts = [getattr(widget, "title", "") or "", widget.windowTitle()]
    for child in [widget, *widget.findChildren(QWidget)]:
        if isinstance(child, QLabel):
            texts.append(child.text())
        elif isinstance(child, QLineEdit):
            texts.append(child.text())
        elif isinstance(child, QPlainTextEdit):
            texts.append(child.toPlainText())
        elif isinstance(child, QComboBox):
            texts += [child.itemText(i) for i in range(child.count())]
        elif isinstance(child, QAbstractItemView) and child.model() is not None:
            model = child.model()
            texts += [str(model.index(r, c).data() or "") for r in range(model.rowCount())
                      for c in range(model.columnCount())]
    return "\n".join(texts)


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key, Latvian letters too (QTest.keyClicks handles ASCII only)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))
