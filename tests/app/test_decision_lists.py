"""The read models behind the applications-and-decisions screens: the client's lists, the head's queue and one
decision in full — what the worker and the head see, and nothing they may not."""

import dataclasses
import datetime as dt

import pytest

from app import assistance, decisions
from app.decisions import DecisionInput
from app.errors import PermissionDenied
from tests.app.test_assistance import (GRANT, REFUSAL, application, client, ctx, head, household,  # noqa: F401
                                       person)

__all__ = ["application", "client", "ctx", "head", "household", "person"]  # fixtures borrowed from the assistance tests


def test_applications_list_newest_first_with_days_left_and_the_means_test_result(ctx, client, application,
                                                                                  household):
    later = assistance.register_application(ctx, client, "2026-11-20", "email", "crisis_benefit", "Krīzes pabalsts")
    assistance.record_means_test(ctx, application_id=application, performed_on="2026-11-05", household_size=1,
                                 income="100")
    lines = assistance.applications_of_client(ctx, client)
    assert [line.id for line in lines] == [later, application]
    housing = lines[1]
    assert housing.due_on == dt.date(2026, 12, 2) and housing.days_left == 9  # today is 23.11.2026
    assert (housing.means_result, housing.means_tested, housing.status) == ("needy", True, "registered")
    assert lines[0].means_result is None and not lines[0].means_tested


def test_an_overdue_application_has_negative_days_and_a_decided_one_none(ctx, client):
    old = assistance.register_application(ctx, client, "2026-09-01", "post", "crisis_benefit", "Pabalsts")
    [line] = assistance.applications_of_client(ctx, client)
    assert line.id == old and line.days_left < 0


def test_means_test_result_reads_back_the_snapshot(ctx, application, household):
    test = assistance.record_means_test(ctx, application_id=application, performed_on="2026-11-05",
                                        household_size=2, income="300")
    result = assistance.means_test_result(ctx, test)
    assert (result.household_size, result.income_cents, result.result) == (2, 30000, "needy")
    assert result.gmi_benefit_cents == result.gmi_sum_cents - 30000


def test_household_size_counts_the_current_members(ctx, client, household):
    assert assistance.household_size_of(ctx, client) == 1


def test_benefit_catalogue_has_names_in_latvian(ctx):
    housing = next(b for b in assistance.benefits(ctx) if b.code == "housing_benefit")
    assert housing.name["lv"] == "Mājokļa pabalsts" and housing.means_tested


def test_client_decisions_show_state_and_notification(ctx, head, client, application):
    draft = decisions.draft_decision(ctx, client, GRANT, application_id=application)
    refusal = decisions.draft_decision(ctx, client, REFUSAL)
    decisions.submit_decision(ctx, refusal)
    decisions.approve_and_sign(head, refusal)
    decisions.issue_decision(ctx, refusal, "2026-11-23")
    lines = {line.id: line for line in decisions.decisions_of_client(ctx, client)}
    assert (lines[draft].status, lines[draft].application_id, lines[draft].amount_cents) == ("draft", application,
                                                                                              12050)
    assert lines[refusal].number and not lines[refusal].notified
    assert lines[refusal].timeline_state == "awaiting_notification"
    with ctx.read() as session:
        from storage.models import Client
        recipient = session.get(Client, client).person_id
    decisions.record_notification(ctx, refusal, recipient, "in_person", received_on="2026-11-23")
    notified = {line.id: line for line in decisions.decisions_of_client(ctx, client)}[refusal]
    assert notified.notified and notified.timeline_state in ("sent", "in_force")


def test_the_queue_is_the_heads_oldest_first_and_refused_to_a_worker(ctx, head, client, application):
    first = decisions.draft_decision(ctx, client, GRANT, application_id=application)
    second = decisions.draft_decision(ctx, client, REFUSAL)
    decisions.submit_decision(ctx, first)
    decisions.submit_decision(ctx, second)
    queue = decisions.approval_queue(head)
    assert [item.id for item in queue] == [first, second]
    assert queue[0].client_name == "Andris Kalniņš" and queue[0].worker == "Anna Kalniņa"
    assert (queue[0].amount_cents, queue[0].benefit_code, queue[0].days_waiting) == (12050, "housing_benefit", 0)
    with pytest.raises(PermissionDenied):
        decisions.approval_queue(ctx)
    decisions.approve_and_sign(head, first)
    assert [item.id for item in decisions.approval_queue(head)] == [second]


def test_detail_lists_everything_missing_at_once_and_the_heads_return_comment(ctx, head, client):
    bare = decisions.draft_decision(ctx, client, DecisionInput(kind="refusal"))
    detail = decisions.decision_detail(ctx, bare)
    assert [name for name, _reason in detail.missing] == [
        "request_summary", "facts", "legal_basis", "operative_part", "reasons", "participants_views", "appeal_body"]
    decisions.update_draft(ctx, bare, REFUSAL)
    decisions.submit_decision(ctx, bare)
    decisions.return_decision(head, bare, "Precizējiet ienākumu apmēru.")
    detail = decisions.decision_detail(ctx, bare)
    assert (detail.status, detail.editable, detail.missing) == ("returned", True, [])
    assert detail.return_comment == "Precizējiet ienākumu apmēru."
    assert [(step.action, step.by) for step in detail.trail] == [("submitted", "Anna Kalniņa"),
                                                                  ("returned", "Ilze Vadītāja")]
    assert detail.content == dataclasses.replace(REFUSAL, benefit_code=None)
    assert [r.role for r in detail.recipients] == ["client"] and detail.client_name == "Andris Kalniņš"


def test_detail_content_round_trips_through_update_draft(ctx, client, application):
    decision = decisions.draft_decision(ctx, client, GRANT, application_id=application)
    content = decisions.decision_detail(ctx, decision).content
    assert content.amount == "120,50" and content.benefit_code == "housing_benefit"
    decisions.update_draft(ctx, decision, content)
    assert decisions.decision_detail(ctx, decision).content == content
