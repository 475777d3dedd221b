"""What every screen of the main window is: a widget that loads its data off the UI thread and forgets it on lock.

A page is built as ``SomePage(ctx, shell, ...)``. The shell calls :meth:`Page.refresh` when the page is shown and
after any user action changed data (coalesced), and :meth:`Page.clear` when the laptop locks — after which no
client name may remain in any of its widgets. Pages reach other screens only through the shell
(``shell.open_client(id)``, ``shell.open_visit(id)``, ``shell.open_decision(id)``), never by importing them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.context import Context

if TYPE_CHECKING:
    from ui.shell import Shell


class Page(QWidget):
    #: shown in the window title and the "back" button; set by each page (translated)
    title: str = ""

    def __init__(self, ctx: Context, shell: Shell) -> None:
        super().__init__()
        self.ctx, self.shell = ctx, shell

    def refresh(self) -> None:
        """Load (again) what the page shows — through ``ui.ops.load``, never on the UI thread."""

    def clear(self) -> None:
        """Drop every client detail from the widgets (the laptop is locking)."""
