"""Preview, print and save documents straight from memory (ARCHITECTURE.md rules 1 and 9).

``preview_document(parent, title, producer)`` opens a :class:`DocumentPreview`. The producer returns the PDF
as bytes — ``lambda large_print=False: decision_letter(ctx, decision_id, large_print=large_print)``; a
producer that takes ``large_print`` gets the "Large print" switch. Everything slow runs in a worker: the
producer, page rasterisation for the printer, writing a saved file. The bytes live in memory only — QtPdf
reads them from a ``QBuffer``, the printer gets painted page images — and closing the dialog drops them.
They reach the disk only through "Save as PDF…", where the user names the file (owner-only, 0600).
"""

from __future__ import annotations

import inspect
import logging
import re
import threading
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import (
    QBuffer, QByteArray, QIODevice, QMargins, QPointF, QRectF, QSignalBlocker, QSize,
    QStandardPaths, Qt, QTimer, Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QProgressBar,
    QProgressDialog, QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from app.i18n import _, user_message
from ui import ops
from forms.pdf import save_pdf
from storage.errors import LietaError

log = logging.getLogger(__name__)

ZOOM_STEPS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
#: Pages go to the printer as images; 300 dpi prints crisp text, while a 1,200 dpi A4 page would take
#: 560 MB of memory on an old laptop.
PRINT_DPI_LIMIT = 300
#: The laptop's "large print by default" setting (app.settings): the desktop sets it at unlock and when the
#: Settings screen saves it; every preview of a document that can be printed large starts from it.
large_print_by_default = False


def set_large_print_default(on: bool) -> None:
    global large_print_by_default
    large_print_by_default = bool(on)


class PrintFailed(Exception):
    """The printer could not be started (no device, a file it may not write…)."""


def accepts_large_print(producer: Callable[..., bytes]) -> bool:
    try:
        parameters = inspect.signature(producer).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == "large_print" or p.kind is p.VAR_KEYWORD for p in parameters)


def print_pages(pdf: bytes, printer: QPrinter, pages: list[int], progress: Callable[[int, int], None],
                cancelled: threading.Event) -> int:
    """Paint ``pages`` (0-based) of ``pdf`` into ``printer``, each rasterised at the printer's resolution (at
    most :data:`PRINT_DPI_LIMIT`) and fitted to the paper. Runs in a worker; returns the pages printed."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        save_pdf(Path(printer.outputFileName()), b"")  # "print to file" is private too: 0600 before Qt writes
    buffer, document = _open_pdf(pdf)
    painter = QPainter()
    try:
        if not painter.begin(printer):
            raise PrintFailed()
        dpi = min(printer.resolution(), PRINT_DPI_LIMIT)
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        painted = 0
        for index, page in enumerate(pages):
            if cancelled.is_set():
                printer.abort()
                break
            if index:
                printer.newPage()
            points = document.pagePointSize(page)
            image = document.render(page, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72)))
            if image.isNull():
                raise PrintFailed()
            scale = min(paper.width() / image.width(), paper.height() / image.height())
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            target.moveCenter(QPointF(paper.width() / 2, paper.height() / 2))
            painter.drawImage(target, image)
            painted += 1
            progress(painted, len(pages))
        return painted
    finally:
        if painter.isActive():
            painter.end()
        _close_pdf(buffer, document)


def _open_pdf(pdf: bytes) -> tuple[QBuffer, QPdfDocument]:
    """The PDF from memory: a QBuffer over the bytes, never a file."""
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    return buffer, document


def _close_pdf(buffer: QBuffer | None, document: QPdfDocument | None) -> None:
    if document is not None:
        document.close()
    if buffer is not None:
        buffer.close()
        buffer.setData(QByteArray())


def _busy_bar(width: int) -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, 0)  # indeterminate: rendering has no steps to count
    bar.setTextVisible(False)
    bar.setMaximumWidth(width)
    bar.setVisible(False)
    return bar


def _file_name(title: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title).strip(" .")
    return (name or _("document")) + ".pdf"


# -- the dialog ---------------------------------------------------------------------------------------------
class DocumentPreview(QDialog):
    """A document rendered by ``producer`` in a worker, shown page by page, printed or saved on request."""

    sig_ready = Signal()  # a (re)rendered document is shown
    sig_failed = Signal(str)  # the producer or the printer failed; the user's message
    sig_printed = Signal(int)  # pages painted into the printer
    sig_saved = Signal(str)  # the path written

    def __init__(self, title: str, producer: Callable[..., bytes], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.producer = title, producer
        self.pdf: bytes | None = None
        self.buffer: QBuffer | None = None
        self.document: QPdfDocument | None = None
        self._generation = 0
        self._print_cancel: threading.Event | None = None
        self.progress: QProgressDialog | None = None
        self.supports_large_print = accepts_large_print(producer)
        self._shown_large = False  # the large-print state of the pages on screen
        self.setWindowTitle(_("Preview — {title}").format(title=title))
        self._build()
        if self.supports_large_print and large_print_by_default:
            with QSignalBlocker(self.large_print):
                self.large_print.setChecked(True)
        screen = (parent.screen() if parent else None) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen else QSize(1366, 768)  # an old laptop's screen
        self.resize(min(860, room.width() * 9 // 10), min(1000, room.height() * 9 // 10))
        self.render_document()

    # layout
    def _build(self) -> None:
        self.zoom_out_button = self._tool(_("Zoom out"), self.zoom_out, "-", QKeySequence.StandardKey.ZoomOut)
        self.zoom_in_button = self._tool(_("Zoom in"), self.zoom_in, "+", "=", QKeySequence.StandardKey.ZoomIn)
        self.fit_button = self._tool(_("Fit width"), self.fit_width, "Ctrl+0")
        for button, sign in ((self.zoom_out_button, "−"), (self.zoom_in_button, "+")):
            button.setText(sign)
            button.setFixedWidth(button.sizeHint().height() + 8)
        self.zoom_label = QLabel("")
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("400 %") + 8)
        self.large_print = QCheckBox(_("Large print"))
        self.large_print.setToolTip(_("Render the document again with 14-point text"))
        self.large_print.setVisible(self.supports_large_print)
        self.large_print.toggled.connect(lambda _checked: self.render_document())
        self.page_label = QLabel("")
        tools = QHBoxLayout()
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            tools.addWidget(widget)
        tools.addSpacing(16)
        tools.addWidget(self.large_print)
        tools.addStretch(1)
        tools.addWidget(self.page_label)

        self.view = QPdfView()
        self._no_document = QPdfDocument(self)  # what the view shows once the letter is dropped
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(16)
        self.view.setDocumentMargins(QMargins(16, 16, 16, 16))  # the grey around the paper shows its edges
        self.view.pageNavigator().currentPageChanged.connect(self._show_page_number)
        self.problem = QLabel(_("The document could not be prepared."))
        self.problem.setStyleSheet("font-weight: bold")
        self.problem.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy, self.status_busy = _busy_bar(320), _busy_bar(120)
        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        panel_layout.addStretch(1)
        panel_layout.addWidget(self.problem)
        panel_layout.addWidget(self.message)
        panel_layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        panel_layout.addStretch(2)
        self.stack = QStackedWidget()
        self.stack.addWidget(panel)
        self.stack.addWidget(self.view)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(_("Save as PDF…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button = buttons.addButton(_("Print…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.setDefault(True)
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_document)
        self.close_button.clicked.connect(self.reject)
        self.save_button.setToolTip(_("Write the PDF to a file you choose (Ctrl+S)"))
        self.print_button.setToolTip(_("Choose a printer and print (Ctrl+P)"))
        self._shortcut(self.print_document, QKeySequence.StandardKey.Print)
        self._shortcut(self.save_as, QKeySequence.StandardKey.Save)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_busy)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

    def _tool(self, label: str, slot: Callable[[], None], *keys: Any) -> QPushButton:
        button = QPushButton(label)
        button.setToolTip(label)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        self._shortcut(slot, *keys)
        return button

    def _shortcut(self, slot: Callable[[], None], *keys: Any) -> QAction:
        action = QAction(self)
        sequences: list[QKeySequence] = []
        for key in keys:
            sequences += QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey) else [
                QKeySequence(key)]
        action.setShortcuts(sequences)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # rendering
    def render_document(self) -> None:
        """Ask the producer for the PDF in a worker; the current pages stay visible until the new ones arrive."""
        self._generation += 1
        generation, large = self._generation, self.large_print.isChecked()
        producer = self.producer
        kwargs = {"large_print": large} if self.supports_large_print else {}
        self._set_state(busy=True, message=_("Preparing the document…"))

        def work(_progress: Callable[[int, int], None]) -> bytes:
            pdf = producer(**kwargs)
            if not isinstance(pdf, (bytes, bytearray)):
                raise TypeError("a document producer must return PDF bytes")
            return bytes(pdf)

        self._start(work, lambda pdf: self._on_rendered(generation, large, pdf),
                    lambda error: self._on_render_failed(generation, error))

    def _on_rendered(self, generation: int, large: bool, pdf: bytes) -> None:
        if generation != self._generation:  # a newer request (or closing the dialog) replaced this one
            return
        buffer, document = _open_pdf(pdf)
        if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
            _close_pdf(buffer, document)
            self._on_render_failed(generation, ValueError("not a PDF"))
            return
        old_buffer, old_document = self.buffer, self.document
        self.pdf, self.buffer, self.document, self._shown_large = pdf, buffer, document, large
        self.view.setDocument(document)
        _close_pdf(old_buffer, old_document)
        self._set_state(busy=False)
        self._show_page_number(self.view.pageNavigator().currentPage())
        self._show_zoom()
        self.sig_ready.emit()

    def _on_render_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if self.large_print.isChecked() != self._shown_large and self.document is not None:
            with QSignalBlocker(self.large_print):  # the switch shows what is on screen
                self.large_print.setChecked(self._shown_large)
        text = self._message_for(error)
        self._set_state(busy=False, message=text)
        self.sig_failed.emit(text)

    def _set_state(self, *, busy: bool, message: str = "") -> None:
        """The pages (with ``message`` under them) once there is a document, else ``message`` in their place."""
        shown = self.document is not None
        self.stack.setCurrentIndex(1 if shown else 0)
        self.message.setText("" if shown else message)
        self.problem.setVisible(not shown and not busy and bool(message))
        self.status.setText(message if shown else "")
        self.busy.setVisible(busy and not shown)
        self.status_busy.setVisible(busy and shown)
        for widget in (self.save_button, self.print_button, self.zoom_in_button, self.zoom_out_button,
                       self.fit_button):
            widget.setEnabled(shown and not busy)
        self.large_print.setEnabled(not busy)

    def _show_page_number(self, page: int) -> None:
        total = self.page_count
        self.page_label.setText(_("Page {page} of {total}").format(page=max(page, 0) + 1, total=total)
                                if total else "")

    @property
    def page_count(self) -> int:
        return self.document.pageCount() if self.document else 0

    # zoom
    def _effective_zoom(self) -> float:
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or not self.document:
            return self.view.zoomFactor()
        page = self.document.pagePointSize(max(self.view.pageNavigator().currentPage(), 0))
        width = page.width() * self.view.logicalDpiX() / 72
        margins = self.view.documentMargins()
        return max(self.view.viewport().width() - margins.left() - margins.right(), 1) / max(width, 1)

    def _zoom_to(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        self._show_zoom()

    def _show_zoom(self) -> None:
        self.zoom_label.setText(f"{round(self._effective_zoom() * 100)} %" if self.document else "")

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt naming; fitting to width changes the zoom
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._show_zoom)

    def zoom_in(self) -> None:
        if self.zoom_in_button.isEnabled():
            current = self._effective_zoom()
            self._zoom_to(next((s for s in ZOOM_STEPS if s > current * 1.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        if self.zoom_out_button.isEnabled():
            current = self._effective_zoom()
            self._zoom_to(next((s for s in reversed(ZOOM_STEPS) if s < current / 1.01), ZOOM_STEPS[0]))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._show_zoom()

    # print
    def print_document(self) -> None:
        if self.pdf is None or not self.print_button.isEnabled():
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        printer.setFullPage(True)  # the document brings its own margins
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print — {title}").format(title=self.title))
        dialog.setMinMax(1, self.page_count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        first, last = printer.fromPage(), printer.toPage()
        if first <= 0:
            first, last = 1, self.page_count
        pages = list(range(first - 1, min(last, self.page_count)))
        if not printer.supportsMultipleCopies():
            pages *= max(printer.copyCount(), 1)
        self._print(printer, pages)

    def _print(self, printer: QPrinter, pages: list[int]) -> None:
        pdf, cancel = self.pdf, threading.Event()
        self._print_cancel = cancel
        progress = QProgressDialog(_("Printing…"), _("Cancel"), 0, len(pages), self)
        progress.setWindowTitle(_("Printing"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)  # a one-page letter prints without a flash of a dialog
        progress.canceled.connect(cancel.set)
        self.progress = progress
        self.print_button.setEnabled(False)
        self.status.setText(_("Printing…"))

        def finished(painted: int | None, error: BaseException | None = None) -> None:
            progress.reset()
            progress.deleteLater()
            self.progress = None
            self.print_button.setEnabled(self.document is not None)
            self._print_cancel = None
            if error is not None:
                self._report(error)
            elif cancel.is_set():
                self.status.setText(_("Printing was cancelled."))
            else:
                self.status.setText(_("Pages sent to the printer: {pages}.").format(pages=painted))
                self.sig_printed.emit(painted)

        task = self._start(lambda report: print_pages(pdf, printer, pages, report, cancel), finished,
                           lambda error: finished(None, error), lambda done, _total: progress.setValue(done))
        task.printer = printer  # the printer must outlive the worker that paints into it

    # save
    def save_as(self) -> None:
        if self.pdf is None or not self.save_button.isEnabled():
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / _file_name(self.title)) if folder else _file_name(self.title)
        path, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), suggested, _("PDF documents (*.pdf)"))
        if not path:
            return  # cancelled: nothing is written
        target = Path(path)
        if target.suffix.lower() != ".pdf":  # the file dialog confirmed the name typed, not this one
            target = target.with_name(target.name + ".pdf")
            if target.exists() and QMessageBox.question(
                    self, _("Save as PDF"), _("{name} already exists. Replace it?").format(name=target.name)
            ) != QMessageBox.StandardButton.Yes:
                return
        pdf = self.pdf
        self.status.setText(_("Saving…"))

        def saved(_result: None) -> None:
            self.status.setText(_("Saved {path}.").format(path=target))
            self.sig_saved.emit(str(target))

        self._start(lambda _progress: save_pdf(target, pdf), saved, self._report)

    # plumbing
    def _start(self, work: Callable, on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None],
               on_progress: Callable[[int, int], None] | None = None) -> ops.Task:
        """Rendering, rasterising and saving run in the io lane; nothing arrives once the dialog is deleted."""
        return ops.run(self, work, on_done, on_failed, lane_name="io", on_progress=on_progress)

    @staticmethod
    def _message_for(error: BaseException) -> str:
        if isinstance(error, PrintFailed):
            return _("The document could not be printed: the printer did not start.")
        if not isinstance(error, LietaError):  # a defect, not the user's mistake; its text may hold client data
            log.error("document preview failed: %s", type(error).__name__)
        return user_message(error)

    def _report(self, error: BaseException) -> None:
        text = self._message_for(error)
        self.status.setText(text)
        self.sig_failed.emit(text)

    def _drop_document(self) -> None:
        self.view.setDocument(self._no_document)
        _close_pdf(self.buffer, self.document)
        self.buffer = self.document = self.pdf = None

    def done(self, result: int) -> None:  # noqa: D102 - every way of closing ends here (Esc, Close, ✕)
        self._generation += 1  # a render still running is ignored when it arrives
        if self._print_cancel is not None:
            self._print_cancel.set()
        self._drop_document()
        super().done(result)


def preview_document(parent: QWidget | None, title: str, producer: Callable[..., bytes]) -> DocumentPreview:
    """Open the preview of the document ``producer`` makes (window-modal, not blocking); it deletes itself
    when closed."""
    dialog = DocumentPreview(title, producer, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
