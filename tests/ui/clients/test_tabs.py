"""The client file's tabs at work: scans, the spider chart, the case's steps, the genogram, the agreement."""

from __future__ import annotations

import os
import stat

from sqlalchemy import select

from app import records
from storage.models import Attachment, CaseGoal, PlanTask
from ui import ops
from tests.ui.clients.test_file_view import open_file


def test_worker_adds_a_scan_and_it_is_listed_and_saved_only_where_asked(qtbot, ctx, shell, andris, tmp_path, lv):
    scan = tmp_path / "iesniegums.pdf"
    scan.write_bytes(b"%PDF-1.4 skenets iesniegums")
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        documents = view.show_tab("documents")
        documents.add_path(scan)
    assert documents.model.rows[0][0] == "iesniegums.pdf"
    assert documents.model.rowCount() == 2
    with ctx.read() as session:
        stored = session.scalar(select(Attachment).where(Attachment.filename == "iesniegums.pdf"))
        assert stored.content == scan.read_bytes() and stored.media_type == "application/pdf"
    copy = tmp_path / "out" / "kopija.pdf"
    copy.parent.mkdir()
    with ops.inline():
        documents.save_copy_to(documents.model.id_at(0), copy)
    assert copy.read_bytes() == scan.read_bytes()
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    assert sorted(p.name for p in copy.parent.iterdir()) == ["kopija.pdf"]  # nothing else touched the disk


def test_assessments_show_the_spider_of_the_latest_over_the_previous_final(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        tab = view.show_tab("assessments")
    assert tab.model.rowCount() == 2
    assert tab.model.rows[0][0] == "20.11.2026."
    labels = [series.label for series in tab.chart.series]
    assert labels == ["iepriekšējais 05.09.2026.", "20.11.2026."]
    assert tab.chart.series[1].values == (4,) * 8 and tab.chart.series[0].values == (2,) * 8
    assert "Pašaprūpe" in tab.chart.axes


def test_new_assessment_dialog_records_a_draft_from_the_template(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        tab = view.show_tab("assessments")
        dialog = tab.new_assessment()
        assert dialog.template.currentData() is not None
        dialog.template.setCurrentIndex(dialog.template.findData("functional_assessment"))
        for spin in dialog.spins.values():
            spin.setValue(5)
        dialog.save()
    assert tab.model.rowCount() == 3
    assert tab.model.rows[0][2] == "melnraksts"
    assert tab.final_button.isEnabled()
    with ops.inline():
        tab.finalise()
    assert tab.model.rows[0][2] == "galīgs"


def test_worker_adds_a_goal_and_completes_a_task_from_the_case_tab(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        tab = view.show_tab("case")
        assert tab.facts["problem"].text() == "Nav darba"
        assert tab.tasks.rows[0][3] == "nokavēts"  # the deadline 01.10.2026 has passed
        dialog = tab.add_goal()
        dialog.inputs["text"].setPlainText("Nokārtot invaliditātes pārskatīšanu")
        dialog.save()
        tab.task_view.selectRow(0)
        done = tab.complete_task()
        done.inputs["result"].setPlainText("Reģistrējies NVA")
        done.save()
    assert [g[0] for g in tab.goals.rows] == ["Atrast darbu", "Nokārtot invaliditātes pārskatīšanu"]
    assert tab.tasks.rows[0][3] == "izpildīts"
    with ctx.read() as session:
        assert session.scalar(select(PlanTask.status)) == "done"
        assert session.scalar(select(CaseGoal).where(CaseGoal.text.like("Nokārtot%"))) is not None


def test_a_case_step_out_of_order_is_explained_in_the_dialog(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        tab = view.show_tab("case")
        dialog = tab.record_review()
        dialog.inputs["day"].setText("01.01.2030")
        dialog.inputs["text"].setPlainText("Pārskatīts")
        dialog.save()
    assert dialog.isVisible() and dialog.error.text() != ""


def test_household_lists_the_family_and_draws_the_genogram(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        tab = view.show_tab("household")
    names = [row[0] for row in tab.members.rows]
    assert names[0] == "Andris Kalniņš *" and "Līga Kalniņa" in names and "Mārtiņš Kalniņš" in names
    assert {row[1] for row in tab.relatives.rows} == {"laulātais", "bērns"}
    qtbot.waitUntil(lambda: tab.picture.pixmap() is not None and not tab.picture.pixmap().isNull(), timeout=10000)
    assert tab.picture.pixmap().width() > 100
    assert tab.print_button.isEnabled()


def test_agreement_tab_lists_the_duties_and_their_fulfilment(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        tab = view.show_tab("agreement")
    assert tab.model.rows == [("Apmeklēt NVA reizi mēnesī", "31.12.2026.", "vēl nav pārbaudīts", "—", "—")]
    assert tab.print_button.isEnabled()
    assert "10.09.2026" in tab.state.text()


def test_reading_a_scan_is_audited_in_who_opened_this_file(qtbot, ctx, shell, andris, lv):
    with ctx.read() as session:
        scan = session.scalar(select(Attachment.id))
    records.read_attachment(ctx, scan)
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        trail = view.show_tab("audit")
    assert [row[2] for row in trail.model.rows] == ["atvēra lietu", "atvēra dokumentu"]
