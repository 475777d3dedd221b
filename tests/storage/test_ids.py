"""Identity and order: UUIDv7 row ids and a hybrid logical clock that survives wrong wall clocks."""

from __future__ import annotations

import random
import time
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.ids import HybridLogicalClock, format_hlc, new_id, parse_hlc
from storage.models import DeviceState, Person
from storage.store import Store
from tests.conftest import LOGIN, PASSPHRASE
from tests.storage.helpers import add_person, last_seq, outbox_after


class WallClock:
    """A laptop's clock the test sets by hand (it may jump backwards)."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_clock_never_goes_back_when_the_wall_clock_does():
    wall = WallClock(1_000_000)
    clock = HybridLogicalClock(wall_ms=wall)
    stamps = [clock.now()]
    for ms in [1_000_000, 999_000, 5, 1_000_000, 1_000_001, 1_000_001, 2_000_000, 1_500_000]:
        wall.ms = ms
        stamps.append(clock.now())
    assert len(set(stamps)) == len(stamps)
    assert stamps == sorted(stamps)
    assert [parse_hlc(s) for s in stamps] == sorted(parse_hlc(s) for s in stamps)
    assert parse_hlc(stamps[-1]) == (2_000_000, 1)  # the backwards jump only advanced the counter


def test_clock_follows_the_wall_clock_when_it_moves_forward():
    wall = WallClock(5_000)
    clock = HybridLogicalClock(wall_ms=wall)
    assert clock.now() == format_hlc(5_000, 0)
    wall.ms = 7_000
    assert clock.now() == format_hlc(7_000, 0) == clock.last


def test_receive_moves_the_clock_past_a_remote_stamp_from_the_future():
    wall = WallClock(1_000)
    clock = HybridLogicalClock(wall_ms=wall)
    clock.now()
    remote = format_hlc(9_000, 4)  # the server's (or another laptop's) clock is ahead
    clock.receive(remote)
    assert clock.last > remote
    assert clock.now() > remote


def test_receive_of_an_older_stamp_still_advances():
    wall = WallClock(10_000)
    clock = HybridLogicalClock(wall_ms=wall)
    first = clock.now()
    clock.receive(format_hlc(3_000, 99))
    assert clock.last > first and clock.now() > first


def test_receive_of_the_same_millisecond_takes_the_larger_counter():
    wall = WallClock(1_000)
    clock = HybridLogicalClock(format_hlc(5_000, 2), wall_ms=wall)
    clock.receive(format_hlc(5_000, 40))
    assert parse_hlc(clock.last) == (5_000, 41)


def test_stamps_sort_as_text_in_the_order_they_were_made():
    rng = random.Random(7)
    wall = WallClock(1_700_000_000_000)
    clock = HybridLogicalClock(wall_ms=wall)
    stamps = []
    for _ in range(3_000):
        wall.ms += rng.choice([0, 0, 1, 5, -3, -60_000, 86_400_000])
        if rng.random() < 0.1:
            clock.receive(format_hlc(wall.ms + rng.randint(-10_000, 10_000), rng.randint(0, 50)))
        stamps.append(clock.now())
    assert sorted(stamps) == stamps and len(set(stamps)) == len(stamps)
    assert all(len(s) == len(stamps[0]) for s in stamps)


def test_counter_overflow_still_sorts_as_text():
    """A frozen wall clock (or a stamp from far ahead) must not push the counter past six digits."""
    clock = HybridLogicalClock(format_hlc(1_000, 999_998), wall_ms=WallClock(10))
    stamps = [clock.last] + [clock.now() for _ in range(5)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 6
    assert all(len(s) == len(stamps[0]) for s in stamps)
    clock.receive(format_hlc(50_000, 999_999))
    assert clock.now() > format_hlc(50_000, 999_999)


def test_clock_survives_a_restart_with_a_wall_clock_behind(store, data_dir):
    """A laptop whose battery died boots in 2001: its next change is still ordered after the last one."""
    future = format_hlc(4_102_444_800_000, 17)  # 2100-01-01
    with Session(store.engine) as session, session.begin():
        session.get(DeviceState, 1).last_hlc = future
    store.lock()
    opened = Store.open(data_dir, LOGIN, PASSPHRASE)
    start = last_seq(opened)
    with opened.write() as session:
        add_person(session)
    [record] = outbox_after(opened, start)
    assert record.hlc > future
    opened.lock()


def test_new_ids_are_version_7_and_sort_by_creation():
    ids = [new_id() for _ in range(5_000)]  # many within one millisecond
    assert all(isinstance(i, uuid.UUID) and i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids) and [str(i) for i in ids] == sorted(str(i) for i in ids)
    time.sleep(0.002)
    assert new_id() > ids[-1]


def test_new_id_carries_the_creation_time():
    """The first 48 bits are Unix milliseconds. (uuid6 keeps ids monotonic by stepping a millisecond per id
    made within the same one, so after a bulk load the stamp may run a few seconds ahead — never behind.)"""
    before = time.time_ns() // 1_000_000
    made = new_id()
    assert before <= made.int >> 80 <= before + 60_000


def test_rows_come_back_in_creation_order_when_sorted_by_id(store):
    with store.write() as session:
        made = [add_person(session, surname=f"P{i}").id for i in range(30)]
    with store.session() as session:
        assert list(session.scalars(select(Person.id).order_by(Person.id))) == made
