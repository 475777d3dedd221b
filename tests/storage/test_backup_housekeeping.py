"""Backups that look after themselves: rotation never eats the backup being restored; crash leftovers go."""

import os
import time

import pytest

from storage.backup import DEFAULT_KEEP, create_backup, list_backups, remove_stale_scratch, restore_backup
from storage.errors import LastUser
from storage.models import Person
from tests.conftest import LOGIN, PASSPHRASE


def test_restoring_the_oldest_of_a_full_backup_folder_keeps_it(store, data_dir):
    with store.write() as session:
        session.add(Person(given_name="Jānis", surname="Bērziņš"))
    backups = [create_backup(store.paths, store.slots, store.data_key) for _ in range(DEFAULT_KEEP)]
    oldest = backups[0]
    assert list_backups(store.paths.backups)[-1] == oldest
    store.lock()
    safety = restore_backup(data_dir, oldest, LOGIN, PASSPHRASE)
    assert oldest.exists() and safety.exists()  # the safety backup did not rotate the restored one away
    assert len(list_backups(store.paths.backups)) == DEFAULT_KEEP + 1


def test_scratch_folders_of_a_killed_backup_are_removed_later(store):
    stale = store.paths.backups / ".export-abandoned"
    fresh = store.paths.backups / ".export-running"
    for folder in (stale, fresh):
        folder.mkdir(parents=True)
        (folder / "export.db").write_bytes(b"encrypted bytes")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    remove_stale_scratch(store.paths)
    assert not stale.exists()
    assert fresh.exists()  # another process may be writing it right now


def test_removing_the_last_user_is_its_own_error(store):
    with pytest.raises(LastUser) as caught:
        store.remove_key_slot(LOGIN)
    from app.cli import EXIT_INVALID, exit_code_for

    assert exit_code_for(caught.value) == EXIT_INVALID
