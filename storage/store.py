"""The encrypted case store of one device: create, unlock, lock, key slots, sessions.

``Store.open(data_dir, login, passphrase)`` unwraps the data key from the user's slot (a wrong passphrase
fails here, before any file is touched), opens SQLCipher with it, upgrades the schema after an automatic
encrypted backup, and hands out sessions whose writes append to the outbox in the same transaction.
"""

from __future__ import annotations

import contextlib
import weakref
import os
import uuid
from pathlib import Path
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage import migrate, outbox
from storage.engine import check_not_plaintext, make_engine
from storage.errors import LastUser, StoreExists, StoreLocked, StoreNotFound
from storage.ids import HybridLogicalClock, new_id
from storage.keys import DataKey, KdfParams, KeySlots, calibrate_kdf
from storage.models import DeviceState, User, utcnow
from storage.paths import StorePaths


class Store:
    """An unlocked store. Create one with :meth:`create` or :meth:`open`; :meth:`lock` ends it."""

    def __init__(self, paths: StorePaths, slots: KeySlots, key: DataKey, engine: Engine, login: str) -> None:
        self.paths = paths
        self.slots = slots
        self._key = key
        self.engine = engine
        self.login = login
        self._factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
        outbox.install(self._factory)
        #: sessions handed out, so that locking can take their connections away too
        self._sessions: weakref.WeakSet[Session] = weakref.WeakSet()
        with self._factory() as session:
            state = session.get(DeviceState, 1)
            self.device_id: uuid.UUID = state.device_id
            self.clock = HybridLogicalClock(state.last_hlc)
            user = session.scalar(select(User).where(User.login == login))
            self.user_id: uuid.UUID | None = user.id if user else None
            self.roles: list[str] = list(user.roles) if user else []
            self.display_name: str = user.display_name if user else login

    # -- lifecycle ------------------------------------------------------------------------------------
    @staticmethod
    def exists(data_dir: Path) -> bool:
        return StorePaths(Path(data_dir)).database.exists()

    @classmethod
    def create(
        cls,
        data_dir: Path,
        login: str,
        passphrase: str,
        *,
        display_name: str,
        roles: list[str],
        device_name: str = "",
        user_id: uuid.UUID | None = None,
        device_id: uuid.UUID | None = None,
        kdf: KdfParams | None = None,
        revision: str = migrate.HEAD_REVISION,
        memory_security: bool = True,
    ) -> Store:
        """A new, empty store with its first user (who can then add the others). ``user_id`` is the user's id
        on the central service when the store is made by enrolling this laptop."""
        paths = StorePaths(Path(data_dir))
        if paths.database.exists() or paths.key_slots.exists():
            raise StoreExists()
        paths.root.mkdir(parents=True, exist_ok=True)
        os.chmod(paths.root, 0o700)
        key = DataKey.generate()
        slots = KeySlots(store_id=str(new_id()))
        slots.add_user(login, passphrase, key, kdf or calibrate_kdf())
        engine = make_engine(paths.database, key, create=True, memory_security=memory_security)
        try:
            migrate.upgrade(engine, revision)
            with Session(engine) as session, session.begin():
                device_id = device_id or new_id()
                session.add(DeviceState(singleton=1, device_id=device_id, next_seq=1, acked_seq=0, created_at=utcnow()))
            os.chmod(paths.database, 0o600)
            slots.save(paths.key_slots)
        except BaseException:
            engine.dispose()
            for leftover in [paths.database, *paths.sidecars()]:
                leftover.unlink(missing_ok=True)
            raise
        store = cls(paths, slots, key, engine, login)
        if revision == migrate.HEAD_REVISION:  # older revisions exist only to test upgrades
            store.user_id, store.roles, store.display_name = user_id or new_id(), list(roles), display_name
            with store.write() as session:
                # a user who comes from the central service is its record, not a new change of this laptop's
                session.info["applying_remote"] = user_id is not None
                session.add(User(id=store.user_id, login=login, display_name=display_name, roles=list(roles)))
        return store

    @classmethod
    def open(cls, data_dir: Path, login: str, passphrase: str, *, upgrade: bool = True,
             memory_security: bool = True) -> Store:
        """Unlock with a user's passphrase. A wrong passphrase raises before any file is touched.

        ``memory_security=False`` only for processes that load synthetic demo data (see ``make_engine``).
        """
        paths = StorePaths(Path(data_dir))
        if not paths.database.exists():
            raise StoreNotFound()
        check_not_plaintext(paths.database)
        slots = KeySlots.load(paths.key_slots)
        key = slots.unwrap_user(login, passphrase)
        return cls._open_with_key(paths, slots, key, login, upgrade=upgrade, memory_security=memory_security)

    @classmethod
    def _open_with_key(cls, paths: StorePaths, slots: KeySlots, key: DataKey, login: str, *, upgrade: bool,
                       memory_security: bool = True) -> Store:
        engine = make_engine(paths.database, key, memory_security=memory_security)
        try:
            if upgrade and migrate.needs_upgrade(engine):
                from storage.backup import create_backup

                create_backup(paths, slots, key, reason="before-upgrade")
                migrate.upgrade(engine)
            return cls(paths, slots, key, engine, login)
        except BaseException:
            engine.dispose()
            raise

    def lock(self) -> None:
        """Drop every connection and overwrite the key in memory (idle auto-lock, 'Lock now').

        Sessions still open lose their connection: their next query fails instead of reading on.
        """
        self._factory = None  # type: ignore[assignment]
        for session in list(self._sessions):
            session.close()
        self.engine.dispose()
        self._key.wipe()

    def erase(self) -> None:
        """Destroy this store for good (a revoked laptop): the key slots first — without them the encrypted
        files cannot be opened by anyone — then the database, its companions and its backups."""
        self.lock()
        erase_files(self.paths)

    @property
    def locked(self) -> bool:
        return self._factory is None

    # -- sessions -------------------------------------------------------------------------------------
    def session(self) -> Session:
        """A session for reads and for writes the caller commits; writes go to the outbox automatically."""
        if self._factory is None:
            raise StoreLocked()
        session = self._factory()
        session.info["write_context"] = outbox.WriteContext(
            device_id=self.device_id, user_id=self.user_id, clock=self.clock, schema_version=migrate.SCHEMA_VERSION
        )
        self._sessions.add(session)
        return session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commits the rows and their change records together, or neither.

        It takes SQLite's write lock at once (BEGIN IMMEDIATE), so a second writer waits for the first
        instead of failing when its read-then-write transaction meets the other's commit.
        """
        with self.session() as session:
            session.connection(execution_options={"immediate": True})  # begins the transaction
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @property
    def data_key(self) -> DataKey:
        """For backups and exports of this same store only."""
        if self._factory is None:
            raise StoreLocked()
        return self._key

    # -- key slots ------------------------------------------------------------------------------------
    def add_key_slot(self, login: str, passphrase: str, kdf: KdfParams | None = None) -> None:
        self.slots.add_user(login, passphrase, self._key, kdf or calibrate_kdf())
        self.slots.save(self.paths.key_slots)

    def remove_key_slot(self, login: str) -> None:
        if login not in self.slots.passphrase_slots:
            return
        if self.slots.users() == [login] and self.slots.recovery_slot is None:
            raise LastUser()
        self.slots.remove_user(login)
        self.slots.save(self.paths.key_slots)

    def set_recovery_key(self, office_public_key) -> None:  # X25519PublicKey
        self.slots.set_recovery(office_public_key, self._key)
        self.slots.save(self.paths.key_slots)


def change_passphrase(data_dir: Path, login: str, old: str, new: str, kdf: KdfParams | None = None) -> None:
    """Rewrap one slot. Only the key slots file changes; the database is untouched."""
    paths = StorePaths(Path(data_dir))
    slots = KeySlots.load(paths.key_slots)
    key = slots.unwrap_user(login, old)
    try:
        slots.add_user(login, new, key, kdf or calibrate_kdf())
        slots.save(paths.key_slots)
    finally:
        key.wipe()


def reset_passphrase_with_office_key(data_dir: Path, office_private_key, login: str, new: str) -> None:
    """The main office restores a user's access after a forgotten passphrase; unsent work is kept."""
    paths = StorePaths(Path(data_dir))
    slots = KeySlots.load(paths.key_slots)
    key = slots.unwrap_recovery(office_private_key)
    try:
        slots.add_user(login, new, key, calibrate_kdf())
        slots.save(paths.key_slots)
    finally:
        key.wipe()



def erase_files(paths: StorePaths) -> None:
    """Overwrite and remove the key slots, then remove the encrypted database, its companions and backups."""
    slots = paths.key_slots
    if slots.exists():
        size = slots.stat().st_size
        with open(slots, "r+b") as handle:
            handle.write(os.urandom(max(size, 1)))
            handle.flush()
            os.fsync(handle.fileno())
        slots.unlink()
    for leftover in [paths.database, *paths.sidecars()]:
        leftover.unlink(missing_ok=True)
    if paths.backups.exists():
        for backup in sorted(paths.backups.rglob("*"), reverse=True):
            backup.unlink() if backup.is_file() else backup.rmdir()
        paths.backups.rmdir()
