"""A process killed mid-write (battery out, task manager) loses nothing it reported as saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from storage.backup import extract_payload, list_backups, verify_database
from storage.errors import WrongPassphrase
from storage.ids import new_id
from storage.keys import KeySlots
from storage.models import OutboxEntry, Person
from storage.store import Store
from tests.conftest import LOGIN, PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
PER_TRANSACTION = 5

WRITER = f"""
import sys
from pathlib import Path
from storage.ids import new_id
from storage.models import Person
from storage.store import Store

store = Store.open(Path(sys.argv[1]), {LOGIN!r}, {PASSPHRASE!r})
i = 0
while True:
    with store.write() as session:
        for k in range({PER_TRANSACTION}):
            session.add(Person(id=new_id(), given_name=f"{{i}}-{{k}}", surname=f"Crash{{i}}", address="Ērgļi " * 40))
    print(i, flush=True)
    i += 1
"""

BACKUPS = f"""
import sys
from pathlib import Path
from storage.backup import create_backup
from storage.store import Store

store = Store.open(Path(sys.argv[1]), {LOGIN!r}, {PASSPHRASE!r})
i = 0
while True:
    create_backup(store.paths, store.slots, store.data_key, keep=1000)
    print(i, flush=True)
    i += 1
"""

PASSPHRASES = f"""
import sys
from pathlib import Path
from storage.store import change_passphrase

words = [{PASSPHRASE!r}, "Otra-parole-2026"]
i = 0
while True:
    change_passphrase(Path(sys.argv[1]), {LOGIN!r}, words[i % 2], words[(i + 1) % 2])
    print(i, flush=True)
    i += 1
"""


def run_and_kill(script: str, data_dir: Path, tmp_path: Path, after_lines: int) -> list[int]:
    """Run ``script`` in a child process, SIGKILL it once it reported ``after_lines`` results, and return
    every index it reported before it died."""
    env = {**os.environ, "LIETA_KDF_PROFILE": "minimum", "PYTHONPATH": str(ROOT)}
    with (tmp_path / "child-stderr.txt").open("w") as stderr:
        child = subprocess.Popen([sys.executable, "-c", script, str(data_dir)], stdout=subprocess.PIPE,
                                 stderr=stderr, text=True, env=env, cwd=ROOT)
        watchdog = threading.Timer(120, child.kill)
        watchdog.start()
        reported = []
        try:
            while len(reported) < after_lines:
                line = child.stdout.readline()
                if not line:
                    break
                reported.append(int(line))
            os.kill(child.pid, signal.SIGKILL)
            rest, _ = child.communicate(timeout=60)
        finally:
            watchdog.cancel()
    reported += [int(line) for line in rest.split()]
    assert len(reported) >= after_lines, (tmp_path / "child-stderr.txt").read_text()[-2000:]
    assert child.returncode == -signal.SIGKILL  # it was killed, it did not stop by itself
    return reported


@pytest.mark.slow
def test_killed_writer_loses_no_reported_commit_and_leaves_a_sound_store(store, data_dir, tmp_path):
    store.lock()
    reported = run_and_kill(WRITER, data_dir, tmp_path, after_lines=20)
    opened = Store.open(data_dir, LOGIN, PASSPHRASE)
    try:
        with opened.session() as session:
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert session.execute(text("PRAGMA cipher_integrity_check")).all() == []
            per_index = dict(session.execute(select(Person.surname, func.count()).group_by(Person.surname)).all())
            outbox_persons = session.scalar(select(func.count()).where(OutboxEntry.entity == "persons"))
            seqs = list(session.scalars(select(OutboxEntry.seq).order_by(OutboxEntry.seq)))
        committed = sorted(int(surname.removeprefix("Crash")) for surname in per_index)
        assert set(reported) <= set(committed)  # everything reported saved is there
        assert committed == list(range(len(committed)))  # transactions are whole and in order
        assert set(per_index.values()) == {PER_TRANSACTION}  # no half transaction survived
        assert outbox_persons == sum(per_index.values())  # and each row kept its change record
        assert seqs == list(range(1, len(seqs) + 1))  # the sequence has no gap
        with opened.write() as session:  # and the store keeps working
            session.add(Person(id=new_id(), given_name="Pēc", surname="Avārijas"))
    finally:
        opened.lock()


@pytest.mark.slow
def test_killed_backup_leaves_only_complete_backups(store, data_dir, tmp_path):
    with store.write() as session:
        for i in range(50):
            session.add(Person(id=new_id(), given_name="A", surname=f"B{i}"))
    store.lock()
    reported = run_and_kill(BACKUPS, data_dir, tmp_path, after_lines=2)
    backups = list_backups(data_dir / "backups")
    assert len(backups) >= len(reported)
    key = KeySlots.load(data_dir / "keyslots.json").unwrap_user(LOGIN, PASSPHRASE)
    for number, backup in enumerate(backups):
        payload = tmp_path / f"payload-{number}.db"
        extract_payload(backup, payload)  # the checksum holds: no half-written backup is listed
        verify_database(payload, key)
    Store.open(data_dir, LOGIN, PASSPHRASE).lock()


@pytest.mark.slow
def test_killed_passphrase_change_leaves_one_working_passphrase(store, data_dir, tmp_path):
    store.lock()
    reported = run_and_kill(PASSPHRASES, data_dir, tmp_path, after_lines=3)
    assert reported == list(range(len(reported)))
    slots = KeySlots.load(data_dir / "keyslots.json")  # never half written: it parses
    working = [word for word in (PASSPHRASE, "Otra-parole-2026") if opens(slots, word)]
    assert len(working) == 1  # the old or the new passphrase, never neither
    Store.open(data_dir, LOGIN, working[0]).lock()


def opens(slots: KeySlots, passphrase: str) -> bool:
    try:
        slots.unwrap_user(LOGIN, passphrase).wipe()
    except WrongPassphrase:
        return False
    return True
