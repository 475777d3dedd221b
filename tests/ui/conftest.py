"""Helpers for the desktop tests: what a person could read on screen."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QLabel, QLineEdit, QTextEdit, QWidget


def widget_texts(root: QWidget) -> str:
    """Every text ``root`` and its children hold: labels, fields, buttons, and every cell of every item view."""
    shown = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
            shown.append(widget.text())
        elif isinstance(widget, QTextEdit):
            shown.append(widget.toPlainText())
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
    """Everything the visible windows show (what someone walking into the office could read)."""
    return "\n".join(widget_texts(window) for window in QApplication.topLevelWidgets() if window.isVisible())
