"""The inspection-readiness report as a whole: a well-kept service is clean; who sees which findings."""

import pytest

from app import cases, users
from app.context import Context
from app.errors import PermissionDenied
from app.reports import CHECKS, inspection_report
from storage.store import Store
from tests.app.reports.world import TODAY, WORKER_PASSPHRASE


def test_a_well_kept_service_has_no_finding_in_any_check(world):
    for ctx in (world.head, world.ctx):
        report = inspection_report(ctx)
        assert [check.id for check in report.checks] == [check.id for check in CHECKS]
        assert {check.id: check.count for check in report.checks} == {check.id: 0 for check in CHECKS}
        assert report.total == 0 and report.on == TODAY


def test_every_check_has_a_title_in_latvian_and_english(world):
    report = inspection_report(world.head)
    assert len(CHECKS) == 13 and len({check.id for check in CHECKS}) == 13
    for check in report.checks:
        assert set(check.titles) == {"lv", "en"} and check.titles["en"] == check.title


def test_a_worker_does_not_see_another_workers_restricted_file_but_the_head_does(world):
    maris = world.worker("maris", "Māris Egle", ["social_worker"])
    world.staff_on_schedule(maris.user_id)
    hidden = world.client("Zane", "Krūmiņa", birth="1990-02-02", restricted=True, as_ctx=maris)
    case = cases.open_case(maris, hidden, reason="Vardarbība ģimenē", opened_on="2026-08-01")  # nothing done since
    lapses = ("unregistered_consultations", "missing_functional_assessment", "missing_situation_analysis",
              "missing_plan")

    annas = inspection_report(world.ctx)
    assert annas.total == 0 and hidden not in annas.names.clients
    assert not annas.scope.whole_municipality

    heads = inspection_report(world.head)
    assert heads.scope.whole_municipality and heads.scope.municipality == "Ērgļu novads"
    for check_id in lapses:
        assert [(f.record_id, f.worker_id) for f in heads.check(check_id).findings] == [(case, maris.user_id)]
    assert heads.total == 4
    assert heads.by_worker() == {maris.user_id: 4} and heads.by_parish() == {world.parish: 4}
    assert heads.names.clients == {hidden: "Krūmiņa Zane"}
    assert heads.names.workers == {maris.user_id: "Māris Egle"}

    maris_own = inspection_report(maris)
    assert maris_own.total == 4 and maris_own.names.clients == {hidden: "Krūmiņa Zane"}

    inspector = world.worker("inese", "Inese Vītola", ["inspector"])
    inspectors = inspection_report(inspector)
    assert inspectors.scope.whole_municipality and inspectors.by_worker() == {maris.user_id: 4}


def test_the_head_can_narrow_the_report_to_one_worker(world):
    maris = world.worker("maris", "Māris Egle", ["social_worker"])
    world.staff_on_schedule(maris.user_id, sessions=2)
    annas_client = world.client("Rita", "Lāce", birth="1979-05-05")
    cases.open_case(world.ctx, annas_client, reason="Iesniegums", opened_on="2026-09-01")  # no assessment,
    whole = inspection_report(world.head)  # no analysis, no plan after 30 days
    assert whole.by_worker() == {maris.user_id: 1, world.ids["anna"]: 3}
    only_maris = inspection_report(world.head, worker_id=maris.user_id)
    assert only_maris.total == 1 and only_maris.scope.worker_id == maris.user_id
    assert [f.record_id for f in only_maris.check("supervision_overdue").findings] == [maris.user_id]
    assert only_maris.names.workers == {maris.user_id: "Māris Egle"}


def test_a_worker_sees_only_their_own_supervision_and_training(world):
    maris = world.worker("maris", "Māris Egle", ["social_worker"])  # nothing recorded for him
    assert inspection_report(world.ctx).check("supervision_overdue").count == 0
    assert [f.worker_id for f in inspection_report(maris).check("supervision_overdue").findings] == [maris.user_id]


def test_an_administrator_without_a_casework_role_gets_no_report(ctx, data_dir):
    users.add_user(ctx, "admins", WORKER_PASSPHRASE, display_name="IT", roles=["administrator"])
    store = Store.open(data_dir, "admins", WORKER_PASSPHRASE)
    try:
        with pytest.raises(PermissionDenied):
            inspection_report(Context(store, today=lambda: TODAY))
    finally:
        store.lock()
