import datetime as dt

from sqlalchemy import func, select

from app.demo import seed_demo
from app.personal_code import parse_personal_code
from storage.models import (
    Application, Client, Decision, HomeVisit, OutboxEntry, Person, SocialCase,
)

TODAY = dt.date(2026, 11, 23)


def test_demo_data_is_realistic_and_complete(ctx):
    summary = seed_demo(ctx, 300, seed=3, today=TODAY)
    assert summary.clients == 300
    with ctx.read() as session:
        persons = session.scalars(select(Person)).all()
        assert len(persons) == summary.persons > 300  # households have more members than clients
        for person in persons:
            code = parse_personal_code(person.personal_code)  # every code is valid
            if code.birth_date:
                assert code.birth_date == person.birth_date
        surnames = "".join(p.surname + p.given_name + (p.address or "") for p in persons)
        assert set("āčēģīķļņšūž") <= set(surnames.lower())
        assert set(session.scalars(select(Decision.status).distinct())) >= {"draft", "submitted", "returned",
                                                                            "approved", "issued"}
        assert set(session.scalars(select(HomeVisit.status).distinct())) >= {"planned", "in_progress", "signed"}
        assert set(session.scalars(select(SocialCase.stage).distinct())) >= {"opened", "implementation", "closed"}
        assert session.scalar(select(func.count()).select_from(Application)) > 50
        assert session.scalar(select(func.count()).where(Client.responsible_user_id == ctx.user_id)) == 25
        # every demo row has its change record, like any other write
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) >= summary.rows


def test_same_seed_gives_the_same_data(tmp_path, ctx):
    from app.context import Context
    from storage.store import Store

    other = Context(Store.create(tmp_path / "other", "anna", "Pareiza-parole-1", display_name="Anna",
                                 roles=["social_worker", "administrator"]), today=ctx.today)
    try:
        for context in (ctx, other):
            seed_demo(context, 40, seed=9, today=TODAY)

        def fingerprint(context):
            with context.read() as session:
                return sorted(session.execute(select(Person.id, Person.surname, Person.personal_code)).all())

        assert fingerprint(ctx) == fingerprint(other)
    finally:
        other.store.lock()
