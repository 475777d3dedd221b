"""The print preview with a real decision letter (offscreen Qt): rendered in a worker, shown from memory,
printed page by page into a PDF printer, saved only where the user chooses, never a file anywhere else."""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
import threading
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdf", reason="QtPdf ships in the PySide6-Pdf wheel (not in PySide6-Essentials)")

from pypdf import PdfReader  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtPdfWidgets import QPdfView  # noqa: E402
from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # noqa: E402
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton  # noqa: E402

from app.errors import RequiredField  # noqa: E402
from app.i18n import user_message  # noqa: E402
from forms.decision_letter import decision_letter  # noqa: E402
from tests.app import test_assistance as casework  # noqa: E402
from ui import ops
from ui.printing import DocumentPreview, preview_document  # noqa: E402

# The assistance tests' fixtures: a store, a client who applied for housing benefit, the head of service.
ctx, person, client, head, application = (casework.ctx, casework.person, casework.client, casework.head,
                                          casework.application)
GRANT, approved = casework.GRANT, casework.approved

WAIT = 20_000  # ms; rendering takes well under a second, an old CI machine may be slow
LONG_FACTS = "Mājsaimniecībai piešķirts trūcīgas mājsaimniecības statuss, jo ienākumi ir zem sliekšņa. " * 40


pytestmark = pytest.mark.usefixtures("lv")


@pytest.fixture
def letter(ctx, head, client, application):
    """A producer of an approved, signed housing-benefit letter (one page), as the UI will pass it."""
    decision = approved(ctx, head, client, GRANT, application)
    return lambda large_print=False: decision_letter(ctx, decision, large_print=large_print)


@pytest.fixture
def long_letter(ctx, head, client, application):
    decision = approved(ctx, head, client, dataclasses.replace(GRANT, facts=LONG_FACTS), application)
    return lambda large_print=False: decision_letter(ctx, decision, large_print=large_print)


def pages_of(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def opened(qtbot, producer, title="LĒMUMS par piešķiršanu") -> DocumentPreview:
    dialog = DocumentPreview(title, producer)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.page_count > 0 and dialog.print_button.isEnabled(), timeout=WAIT)
    return dialog


def accept_printing_to(monkeypatch, out: Path, page_range: tuple[int, int] | None = None) -> list[QPrinter]:
    """The user picks "print to PDF file" in the print dialog (and maybe a page range) and presses Print."""
    used: list[QPrinter] = []

    def exec_(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        if page_range:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*page_range)
        used.append(printer)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    return used


def listing(*folders: Path) -> dict[str, list[str]]:
    return {str(f): sorted(str(p.relative_to(f)) for p in f.rglob("*")) for f in folders}


# -- preview ------------------------------------------------------------------------------------------------
def test_the_preview_shows_a_real_decision_letter_with_its_page_count_in_latvian(qtbot, letter):
    dialog = opened(qtbot, letter)
    assert dialog.page_count == pages_of(dialog.pdf) == 1
    assert dialog.page_label.text() == "Lapa 1 no 1"
    assert dialog.stack.currentWidget() is dialog.view and dialog.view.document() is dialog.document
    assert "LĒMUMS par piešķiršanu" in PdfReader(io.BytesIO(dialog.pdf)).pages[0].extract_text()
    assert dialog.windowTitle() == "Priekšskatījums — LĒMUMS par piešķiršanu"
    assert [dialog.print_button.text(), dialog.save_button.text()] == ["Drukāt…", "Saglabāt kā PDF…"]
    assert not dialog.busy.isVisible() and dialog.large_print.isVisible()


def test_large_print_renders_the_letter_again_with_more_pages(qtbot, long_letter):
    dialog = opened(qtbot, long_letter)
    normal, normal_pages = dialog.pdf, dialog.page_count
    with qtbot.waitSignal(dialog.sig_ready, timeout=WAIT):
        qtbot.mouseClick(dialog.large_print, Qt.MouseButton.LeftButton)
    assert dialog.large_print.isChecked() and dialog.pdf != normal
    assert dialog.page_count == pages_of(dialog.pdf) > normal_pages
    assert dialog.page_label.text() == f"Lapa 1 no {dialog.page_count}"
    with qtbot.waitSignal(dialog.sig_ready, timeout=WAIT):
        dialog.large_print.setChecked(False)
    assert dialog.pdf == normal  # the same document renders the same bytes


def test_a_producer_without_large_print_has_no_switch(qtbot, letter):
    dialog = opened(qtbot, lambda: letter())
    assert dialog.page_count == 1 and not dialog.supports_large_print and not dialog.large_print.isVisible()


def test_zoom_keys_and_fit_width(qtbot, letter):
    dialog = opened(qtbot, letter)
    qtbot.waitActive(dialog)
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    fitted = dialog._effective_zoom()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Plus)
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.Custom and dialog.view.zoomFactor() > fitted
    bigger = dialog.view.zoomFactor()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Minus)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Minus)
    assert dialog.view.zoomFactor() < bigger
    qtbot.mouseClick(dialog.fit_button, Qt.MouseButton.LeftButton)
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth


# -- print --------------------------------------------------------------------------------------------------
def test_printing_paints_every_page_into_the_printer(qtbot, long_letter, monkeypatch, tmp_path):
    out = tmp_path / "printed.pdf"
    printers = accept_printing_to(monkeypatch, out)
    dialog = opened(qtbot, long_letter)
    assert dialog.page_count >= 2
    qtbot.waitActive(dialog)
    with qtbot.waitSignal(dialog.sig_printed, timeout=WAIT) as printed:
        qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Ctrl+P
    assert printed.args == [dialog.page_count]
    assert printers[0].resolution() >= 300 and printers[0].docName() == "LĒMUMS par piešķiršanu"
    reader = PdfReader(out)
    assert len(reader.pages) == dialog.page_count
    assert out.stat().st_mode & 0o777 == 0o600  # "print to file" is as private as "Save as"
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert abs(width - 595) < 3 and abs(height - 842) < 3  # A4 paper, the page fitted to it
    assert reader.pages[0]["/Resources"]["/XObject"]  # each page is the rendered image of the letter's page
    assert dialog.status.text() == f"Uz printeri nosūtīto lapu skaits: {dialog.page_count}."


def test_printing_a_page_range_prints_only_those_pages(qtbot, long_letter, monkeypatch, tmp_path):
    out = tmp_path / "page-two.pdf"
    accept_printing_to(monkeypatch, out, page_range=(2, 2))
    dialog = opened(qtbot, long_letter)
    with qtbot.waitSignal(dialog.sig_printed, timeout=WAIT) as printed:
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert printed.args == [1] and len(PdfReader(out).pages) == 1


def test_cancelling_the_print_dialog_prints_nothing(qtbot, letter, monkeypatch, tmp_path):
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    dialog = opened(qtbot, letter)
    with qtbot.assertNotEmitted(dialog.sig_printed, wait=300):
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "" and dialog.print_button.isEnabled()


# -- save ---------------------------------------------------------------------------------------------------
def test_save_as_writes_exactly_the_bytes_for_the_owner_only(qtbot, letter, monkeypatch, tmp_path):
    target = tmp_path / "chosen" / "lemums"
    target.parent.mkdir()
    (target.parent / "lemums.pdf").write_bytes(b"old")
    os.chmod(target.parent / "lemums.pdf", 0o644)  # an existing file is overwritten and closed to others
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: asked.append(args) or (str(target), "PDF dokumenti (*.pdf)"))
    replace = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: replace.append(args[2]) or QMessageBox.StandardButton.Yes)
    dialog = opened(qtbot, letter)
    qtbot.waitActive(dialog)
    with qtbot.waitSignal(dialog.sig_saved, timeout=WAIT) as saved:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    written = target.parent / "lemums.pdf"  # the .pdf suffix is added, and replacing that file confirmed
    assert replace == ["Fails lemums.pdf jau pastāv. Vai to aizstāt?"]
    assert saved.args == [str(written)] and written.read_bytes() == dialog.pdf
    assert written.stat().st_mode & 0o777 == 0o600
    assert asked[0][2].endswith("LĒMUMS par piešķiršanu.pdf")  # the suggested name
    assert dialog.status.text() == f"Saglabāts {written}."


def test_refusing_to_replace_an_existing_file_writes_nothing(qtbot, letter, monkeypatch, tmp_path):
    (tmp_path / "lemums.pdf").write_bytes(b"old")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(tmp_path / "lemums"), ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    dialog = opened(qtbot, letter)
    with qtbot.assertNotEmitted(dialog.sig_saved, wait=300):
        dialog.save_as()
    assert (tmp_path / "lemums.pdf").read_bytes() == b"old" and not (tmp_path / "lemums").exists()


def test_cancelling_save_as_writes_nothing(qtbot, letter, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    monkeypatch.chdir(tmp_path)
    dialog = opened(qtbot, letter)
    before = listing(tmp_path)
    with qtbot.assertNotEmitted(dialog.sig_saved, wait=300):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert listing(tmp_path) == before and dialog.status.text() == ""


def test_a_failed_save_is_explained(qtbot, letter, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "missing" / "x.pdf"), ""))
    dialog = opened(qtbot, letter)
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT) as failed:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert failed.args == ["Failu nevarēja ierakstīt: mape neeksistē"] and not (tmp_path / "missing").exists()


# -- errors and responsiveness ------------------------------------------------------------------------------
def test_an_app_error_from_the_producer_is_shown_in_latvian_and_no_document(qtbot, monkeypatch):
    def refused(large_print=False):
        raise RequiredField(field="address")

    monkeypatch.setattr(QPrintDialog, "exec", lambda self: pytest.fail("nothing to print"))
    dialog = DocumentPreview("LĒMUMS", refused)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT) as failed:
        dialog.show()
    expected = user_message(RequiredField(field="address"))
    assert failed.args == [expected] and dialog.message.text() == expected
    assert expected != user_message(RequiredField(field="address"), "en") and "adrese" in expected.lower()
    assert dialog.document is None and dialog.pdf is None and dialog.page_count == 0
    assert dialog.stack.currentWidget() is not dialog.view and not dialog.busy.isVisible()
    assert dialog.problem.isVisible() and dialog.problem.text() == "Dokumentu neizdevās sagatavot."
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    dialog.print_document()  # Ctrl+P with nothing to print does nothing


def test_rendering_runs_in_a_worker_while_the_window_keeps_working(qtbot, letter):
    release, threads, ticks = threading.Event(), [], []

    def slow(large_print=False):
        threads.append(threading.current_thread())
        release.wait(10)
        return letter(large_print=large_print)

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    dialog = DocumentPreview("LĒMUMS", slow)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=WAIT)  # the event loop runs while the producer works
    assert dialog.busy.isVisible() and dialog.message.text() == "Sagatavo dokumentu…"
    assert not dialog.print_button.isEnabled() and dialog.document is None
    release.set()
    qtbot.waitUntil(lambda: dialog.page_count == 1, timeout=WAIT)
    timer.stop()
    assert threads and threads[0] is not threading.main_thread()


def test_closing_during_rendering_drops_the_late_result(qtbot, letter):
    release, returned = threading.Event(), []

    def slow(large_print=False):
        release.wait(10)
        returned.append(letter(large_print=large_print))
        return returned[-1]

    dialog = DocumentPreview("LĒMUMS", slow)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.close()
    release.set()
    qtbot.waitUntil(lambda: bool(returned) and ops.lane("io").activeThreadCount() == 0, timeout=WAIT)
    assert dialog.pdf is None and dialog.document is None


# -- nothing on disk ----------------------------------------------------------------------------------------
def test_preview_and_print_create_no_file_anywhere_and_closing_drops_the_bytes(qtbot, letter, monkeypatch,
                                                                               tmp_path):
    system_tmp = Path(tempfile.gettempdir())
    home, tmp, cwd, out = (tmp_path / name for name in ("home", "tmp", "cwd", "out"))
    for folder in (home, tmp, cwd, out):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    monkeypatch.chdir(cwd)
    assert tempfile.gettempdir() == str(tmp)
    qt_temp_before = {p.name for p in system_tmp.iterdir() if p.name.startswith("qt_temp")}
    before = listing(home, tmp, cwd)
    accept_printing_to(monkeypatch, out / "letter.pdf")

    dialog = opened(qtbot, letter)
    with qtbot.waitSignal(dialog.sig_ready, timeout=WAIT):
        dialog.large_print.setChecked(True)
    with qtbot.waitSignal(dialog.sig_printed, timeout=WAIT):
        dialog.print_document()
    buffer = dialog.buffer
    dialog.close()

    assert listing(home, tmp, cwd) == before
    assert {p.name for p in system_tmp.iterdir() if p.name.startswith("qt_temp")} <= qt_temp_before
    assert listing(out) == {str(out): ["letter.pdf"]}  # the printer's output, where the user sent it
    assert dialog.pdf is None and dialog.document is None and buffer.size() == 0 and not buffer.isOpen()


def test_preview_document_opens_the_dialog_and_it_goes_away_when_closed(qtbot, letter):
    import shiboken6

    dialog = preview_document(None, "LĒMUMS", letter)
    qtbot.waitUntil(lambda: dialog.page_count == 1, timeout=WAIT)
    assert dialog.isVisible() and dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    qtbot.waitActive(dialog)
    with qtbot.waitSignal(dialog.destroyed, timeout=WAIT):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not shiboken6.isValid(dialog)


# -- what goes wrong ----------------------------------------------------------------------------------------
def test_a_failing_large_print_keeps_the_letter_on_screen_and_the_switch_as_it_was(qtbot, letter):
    def producer(large_print=False):
        if large_print:
            raise RequiredField(field="address")
        return letter()

    dialog = opened(qtbot, producer)
    shown = dialog.pdf
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT):
        dialog.large_print.setChecked(True)
    assert dialog.pdf == shown and dialog.stack.currentWidget() is dialog.view and dialog.page_count == 1
    assert not dialog.large_print.isChecked() and dialog.status.text() == user_message(RequiredField(field="address"))
    assert dialog.print_button.isEnabled()


def test_a_defect_in_the_producer_shows_a_general_message_and_logs_no_client_data(qtbot, caplog):
    def broken(large_print=False):
        raise RuntimeError("Andris Kalniņš 050385-12347")

    dialog = DocumentPreview("LĒMUMS", broken)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT) as failed:
        dialog.show()
    assert failed.args == [user_message(RuntimeError())] and "Andris" not in failed.args[0]
    assert "RuntimeError" in caplog.text and "Kalniņš" not in caplog.text and "050385" not in caplog.text


def test_bytes_that_are_not_a_pdf_are_refused(qtbot):
    dialog = DocumentPreview("LĒMUMS", lambda: b"%PDF-1.4 nav pdf")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT):
        dialog.show()
    assert dialog.document is None and dialog.page_count == 0 and not dialog.save_button.isEnabled()


def test_a_printer_that_cannot_start_is_explained(qtbot, letter, monkeypatch):
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)  # no printer, no file
    dialog = opened(qtbot, letter)
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT) as failed:
        dialog.print_document()
    assert failed.args == ["Dokumentu nevarēja izdrukāt: printeri neizdevās palaist."]
    assert dialog.print_button.isEnabled() and dialog.status.text() == failed.args[0]


def test_printing_to_a_missing_folder_is_explained(qtbot, letter, monkeypatch, tmp_path):
    accept_printing_to(monkeypatch, tmp_path / "no-such-folder" / "x.pdf")
    dialog = opened(qtbot, letter)
    with qtbot.waitSignal(dialog.sig_failed, timeout=WAIT) as failed:
        dialog.print_document()
    assert failed.args == ["Failu nevarēja ierakstīt: mape neeksistē"] and not (tmp_path / "no-such-folder").exists()


def test_cancelling_the_progress_dialog_stops_printing(qtbot, long_letter, monkeypatch, tmp_path):
    from ui import printing

    started, release, real = threading.Event(), threading.Event(), printing.print_pages

    def held(*args):
        started.set()
        release.wait(10)
        return real(*args)

    monkeypatch.setattr(printing, "print_pages", held)
    accept_printing_to(monkeypatch, tmp_path / "cancelled.pdf")
    dialog = opened(qtbot, long_letter)
    dialog.print_document()
    qtbot.waitUntil(started.is_set, timeout=WAIT)
    dialog.progress.findChild(QPushButton).click()  # the user presses Cancel in the progress dialog
    release.set()
    with qtbot.assertNotEmitted(dialog.sig_printed, wait=500):
        qtbot.waitUntil(lambda: dialog.progress is None, timeout=WAIT)
    assert dialog.status.text() == "Drukāšana atcelta."
    assert dialog.progress is None and dialog.print_button.isEnabled()
