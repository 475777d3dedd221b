"""The client file's other actions: checking a duty of the agreement, making and signing a new agreement,
describing a scan when it is added, and correcting the client's personal details."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app import people
from app.people import PersonInput
from storage.models import Agreement, AgreementDuty, Attachment, Person, PersonalCodeRecord
from ui import ops
from tests.ui.clients.test_file_view import open_file


def test_worker_records_a_duty_not_fulfilled_only_with_evidence(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        tab = view.show_tab("agreement")
    assert not tab.fulfilment_button.isEnabled()
    assert tab.fulfilment_button.toolTip() == "Vispirms sarakstā izvēlieties pienākumu."
    tab.view.selectRow(0)
    assert tab.fulfilment_button.isEnabled()
    assert not tab.duty_button.isEnabled()  # signed: duties are fixed
    assert tab.duty_button.toolTip() == "Līgums jau ir parakstīts; tā vietā izveidojiet jaunu līgumu."
    with ops.inline():
        dialog = tab.record_fulfilment()
        dialog.inputs["fulfilment"].setCurrentIndex(dialog.inputs["fulfilment"].findData("not_fulfilled"))
        dialog.inputs["checked_on"].setText("20.11.2026")
        dialog.save()
        assert dialog.isVisible() and dialog.error.text() != ""  # evidence is required when not fulfilled
        dialog.inputs["evidence"].setPlainText("NVA izziņa: oktobrī un novembrī neieradās")
        dialog.save()
    assert not dialog.isVisible()
    assert tab.model.rows == [("Apmeklēt NVA reizi mēnesī", "31.12.2026.", "nav izpildīts", "20.11.2026.",
                               "NVA izziņa: oktobrī un novembrī neieradās")]
    assert 0 in tab.model.marked  # shown in red
    with ctx.read() as session:
        duty = session.scalar(select(AgreementDuty))
        assert (duty.fulfilment, duty.checked_on) == ("not_fulfilled", dt.date(2026, 11, 20))


def test_worker_makes_a_new_agreement_adds_a_duty_and_records_the_signature(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        tab = view.show_tab("agreement")
        made = tab.new_agreement()
        made.inputs["valid_from"].setText("23.11.2026")
        made.inputs["valid_to"].setText("31.05.2027")
        made.save()
    assert tab.choice.count() == 2
    assert tab.current().id == made.saved and tab.current().status == "draft"  # the new draft is shown at once
    assert tab.state.text() == "Vēl nav parakstīts"
    assert not tab.sign_button.isEnabled()
    assert tab.sign_button.toolTip() == "Līgumā jābūt vismaz vienam līdzdarbības pienākumam."
    with ops.inline():
        duty = tab.add_duty()
        duty.inputs["description"].setPlainText("Reizi nedēļā apmeklēt atkarību speciālistu")
        duty.inputs["deadline"].setText("31.03.2027")
        duty.save()
        assert tab.sign_button.isEnabled()
        signing = tab.sign()
        signing.save()  # today by default
    assert tab.state.text() == "Parakstīts 23.11.2026."
    assert tab.model.rows[0][0] == "Reizi nedēļā apmeklēt atkarību speciālistu"
    assert not tab.duty_button.isEnabled()
    with ctx.read() as session:
        new = session.get(Agreement, made.saved)
        assert (new.status, new.concluded_on, new.valid_to) == ("signed", dt.date(2026, 11, 23),
                                                                dt.date(2027, 5, 31))
        assert new.case_id is not None  # part of Andris's open case


def test_a_scan_is_added_with_the_description_the_worker_types(qtbot, ctx, shell, andris, tmp_path, lv):
    scan = tmp_path / "scan0001.pdf"
    scan.write_bytes(b"%PDF-1.4 izzina par ienakumiem")
    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        documents = view.show_tab("documents")
        dialog = documents.describe_and_add(scan)
        assert dialog.inputs["description"].text() == ""  # optional: saving without one is fine too
        dialog.inputs["description"].setText("Izziņa par ienākumiem, oktobris")
        dialog.save()
    assert not dialog.isVisible()
    assert documents.model.rows[0][:2] == ("scan0001.pdf", "Izziņa par ienākumiem, oktobris")
    assert "scan0001.pdf" in documents.status.text()
    with ctx.read() as session:
        stored = session.scalar(select(Attachment).where(Attachment.filename == "scan0001.pdf"))
        assert stored.description == "Izziņa par ienākumiem, oktobris" and stored.content == scan.read_bytes()


def person(ctx, client_id) -> Person:
    return people.get_client(ctx, client_id)[1]


def test_worker_corrects_the_phone_and_address_and_nothing_else_changes(qtbot, ctx, shell, andris, lv):
    me = person(ctx, andris)
    people.update_person(ctx, me.id, PersonInput("Andris", "Kalniņš", personal_code="050385-12347", gender="male",
                                                 address=me.address, phone=me.phone, email="andris@example.lv"))
    view = open_file(qtbot, ctx, shell, andris)
    overview = view.tab("overview")
    assert overview.edit_button.isEnabled()
    with ops.inline():
        dialog = overview.edit_person()
    assert dialog.person.given.text() == "Andris" and dialog.person.code.text() == "050385-12347"
    assert dialog.person.code_hint.text().startswith("✓")  # the same live check as a new client
    assert not dialog.reason.isVisibleTo(dialog)  # the code is unchanged: no reason asked
    dialog.person.phone.setText("+371 29876543")
    dialog.person.address.setText("Skolas iela 1, Ērgļi")
    with ops.inline():
        dialog.save()
    assert not dialog.isVisible()
    after = person(ctx, andris)
    assert (after.phone, after.address, after.email, after.gender) == ("+371 29876543", "Skolas iela 1, Ērgļi",
                                                                       "andris@example.lv", "male")
    assert overview.values["phone"].text() == "+371 29876543"


def test_a_new_personal_code_needs_a_reason_and_keeps_the_old_one_in_the_history(qtbot, ctx, shell, andris, lv):
    view = open_file(qtbot, ctx, shell, andris)
    overview = view.tab("overview")
    with ops.inline():
        dialog = overview.edit_person()
    dialog.person.code.setText("120790-12344")
    assert dialog.reason.isVisibleTo(dialog)
    assert dialog.person.birth.date().toPython() == dt.date(1990, 7, 12)  # filled in from the new code
    with ops.inline():
        dialog.save()
    assert dialog.isVisible() and dialog.message.text() != ""  # no reason given: refused, nothing changed
    assert person(ctx, andris).personal_code == "050385-12347"
    dialog.reason.setText("Labots dzimšanas datums")
    with ops.inline():
        dialog.save()
    assert not dialog.isVisible()
    after = person(ctx, andris)
    assert (after.personal_code, after.birth_date) == ("120790-12344", dt.date(1990, 7, 12))
    with ctx.read() as session:
        old = session.scalar(select(PersonalCodeRecord))
        assert (old.personal_code, old.reason) == ("050385-12347", "Labots dzimšanas datums")
    assert overview.values["personal_code"].text() == "120790-12344"


def test_locking_while_editing_closes_the_dialogs_with_what_was_typed(qtbot, ctx, shell, andris, lv):
    from PySide6.QtWidgets import QDialog

    from tests.ui.conftest import widget_texts

    view = open_file(qtbot, ctx, shell, andris)
    with ops.inline():
        editing = view.tab("overview").edit_person()
        agreement = view.show_tab("agreement")
        agreement.view.selectRow(0)
        checking = agreement.record_fulfilment()
    checking.inputs["evidence"].setPlainText("Neieradās NVA")
    assert editing.isVisible() and "050385-12347" in widget_texts(editing)
    view.clear()
    assert not view.findChildren(QDialog)
    assert "Neieradās" not in widget_texts(view) and "Kalniņš" not in widget_texts(view)
