"""Registration numbers from blocks leased to devices never collide, even offline (issue 3 §4)."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import insert, select

from app import assistance, numbers, people
from app.context import Context
from app.people import PersonInput
from storage.models import Application, NumberBlock, OutboxEntry
from storage.store import Store
from tests.conftest import PASSPHRASE

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def stores(tmp_path):
    """The central service's store and three laptops."""
    made = {name: Store.create(tmp_path / name, "anna", PASSPHRASE, display_name="Anna Kalniņa",
                               roles=["social_worker"]) for name in ("centre", "a", "b", "c")}
    yield made
    for store in made.values():
        store.lock()


def deliver(block: NumberBlock, device: Store, centre: Store) -> None:
    """What a pull does with a block the centre leased: the row arrives authored by the centre."""
    columns = {c.key: getattr(block, c.key) for c in NumberBlock.__table__.columns}
    columns.update(author_device_id=centre.device_id, next_number=None)
    with device.write() as session:
        session.execute(insert(NumberBlock.__table__).values(**columns))


def lease(centre: Store, device: Store, size: int, series: str = "IES", year: int = 2026) -> None:
    with centre.write() as session:
        block = numbers.lease_block(session, device.device_id, series, year, size)
        session.flush()
        session.expunge(block)
    deliver(block, device, centre)


def take(store: Store, count: int, series: str = "IES", year: int = 2026) -> list[str]:
    with store.write() as session:
        return numbers.take_numbers(session, store.device_id, series, year, count)


def test_laptops_offline_at_the_same_time_never_give_the_same_number(stores):
    centre, laptops = stores["centre"], [stores[n] for n in "abc"]
    for laptop in laptops:
        lease(centre, laptop, 5)
    given = [number for laptop in laptops for number in take(laptop, 8)]  # 3 more than each block holds
    assert len(given) == len(set(given)) == 24
    from_blocks = sorted(n for n in given if "/T-" not in n)
    assert from_blocks == [f"IES/2026/{i:04d}" for i in range(1, 16)]
    overflow = [n for n in given if "/T-" in n]
    assert len(overflow) == 9 and len({n.rsplit("-", 1)[0] for n in overflow}) == 3  # one tag per laptop
    assert take(laptops[0], 1) == [f"IES/2026/T-{numbers.device_tag(laptops[0].device_id)}-004"]


def test_each_laptop_numbers_in_order_inside_its_own_block(stores):
    centre, a, b = stores["centre"], stores["a"], stores["b"]
    lease(centre, a, 3)
    lease(centre, b, 3)
    lease(centre, a, 3)
    assert take(a, 2) + take(b, 1) + take(a, 3) == [
        "IES/2026/0001", "IES/2026/0002", "IES/2026/0004", "IES/2026/0003", "IES/2026/0007", "IES/2026/0008"]


def test_the_centre_never_leases_a_number_twice_even_after_a_block_is_deleted(stores):
    centre = stores["centre"]
    with centre.write() as session:
        first = numbers.lease_block(session, uuid.uuid4(), "LEM", 2026, 10)
        first.deleted = True
        second = numbers.lease_block(session, uuid.uuid4(), "LEM", 2026, 10)
        other_year = numbers.lease_block(session, uuid.uuid4(), "LEM", 2027, 10)
        assert (second.first_number, second.last_number, other_year.first_number) == (11, 20, 1)


def test_a_standalone_store_leases_blocks_to_itself(stores):
    a = stores["a"]
    assert numbers.is_standalone(a.session(), a.device_id)
    assert take(a, 101, series="LEM")[-2:] == ["LEM/2026/0100", "LEM/2026/0101"]
    with a.session() as session:
        blocks = session.scalars(select(NumberBlock).where(NumberBlock.series == "LEM")).all()
        assert [(b.first_number, b.last_number) for b in blocks] == [(1, 101)]
        # the lease itself syncs (the centre learns which numbers are taken); the counter stays local
        fields = session.scalars(select(OutboxEntry.fields).where(OutboxEntry.entity == "number_blocks")).all()
        assert fields and all("next_number" not in f for f in fields)


def test_a_rolled_back_write_gives_its_number_back(stores):
    a = stores["a"]
    ctx = Context(a, today=lambda: TODAY)
    person = people.create_person(ctx, PersonInput("Andris", "Kalniņš"))
    client = people.register_client(ctx, person, client_type="voluntary")
    with pytest.raises(Exception):
        assistance.register_application(ctx, client, "2026-11-02", "post", "no_such_benefit", "Lūgums")
    first = assistance.register_application(ctx, client, "2026-11-02", "post", "funeral", "Lūgums")
    with ctx.read() as session:
        assert session.get(Application, first).registration_number == "IES/2026/0001"


def test_blocks_running_low_are_reported_for_the_sync_to_refill(stores):
    centre, a = stores["centre"], stores["a"]
    lease(centre, a, 100, series="IES")
    lease(centre, a, 100, series="LEM")
    take(a, 80, series="IES")
    with a.session() as session:
        assert numbers.blocks_running_low(session, a.device_id, 2026) == ["IES"]
        assert not numbers.is_standalone(session, a.device_id)
