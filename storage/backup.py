"""Encrypted backups: ``sqlcipher_export`` into a new encrypted file (never a file copy), rotated.

A backup is one file: a small header (magic, the key slots at backup time, schema revision, SHA-256 of the
payload) followed by the exported SQLCipher database, still encrypted with the store's data key. Restoring
verifies the checksum, unwraps the key with a passphrase, checks the copy's integrity, sets the current
store aside as a backup of its own, and only then swaps the files — a failed restore changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import struct
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from storage.engine import connect_raw
from storage.errors import DamagedStore, N_, StoreError, WrongPassphrase
from storage.fileio import fsync_dir
from storage.keys import DataKey, KeySlots
from storage.paths import StorePaths

MAGIC = b"LIETABK1"
SUFFIX = ".lietabackup"
DEFAULT_KEEP = 10
CHUNK = 1 << 20
HEADER_FIELDS = ("store_id", "created_at", "reason", "payload_sha256", "payload_size", "key_slots")


class BackupError(StoreError):
    code = "backup"
    msgid = N_("The backup file is not a Lieta backup or it is damaged ({detail}); nothing was restored.")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: str
    reason: str
    revision: str | None
    store_id: str
    size: int


def _timestamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def export_encrypted(database: Path, key: DataKey, target: Path) -> None:
    """Copy the live database into ``target`` with SQLCipher's export (consistent, encrypted, compacted)."""
    connection = connect_raw(database, key)
    try:
        quoted = str(target).replace("'", "''")
        connection.execute(f"ATTACH DATABASE '{quoted}' AS backup KEY {key.sqlcipher_pragma_value()}")
        try:
            connection.execute("SELECT sqlcipher_export('backup')")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            connection.execute(f"PRAGMA backup.user_version = {int(version)}")
        finally:
            connection.execute("DETACH DATABASE backup")
    finally:
        connection.close()


def _revision_of(database: Path, key: DataKey) -> str | None:
    connection = connect_raw(database, key)
    try:
        row = connection.execute(
            "SELECT version_num FROM alembic_version WHERE EXISTS "
            "(SELECT 1 FROM sqlite_master WHERE name='alembic_version')"
        ).fetchone()
        return row[0] if row else None
    except Exception:
        return None
    finally:
        connection.close()


def create_backup(
    paths: StorePaths,
    slots: KeySlots,
    key: DataKey,
    *,
    reason: str = "manual",
    destination: Path | None = None,
    keep: int = DEFAULT_KEEP,
    rotate_folder: bool = True,
) -> Path:
    """Write a backup into the store's backup folder (rotated) or to ``destination`` (e.g. a USB stick)."""
    remove_stale_scratch(paths)
    folder = destination if destination and destination.is_dir() else (destination.parent if destination else paths.backups)
    folder.mkdir(parents=True, exist_ok=True)
    name = destination.name if destination and not destination.is_dir() else f"lieta-{_timestamp()}-{reason}{SUFFIX}"
    target = folder / name
    with tempfile.TemporaryDirectory(dir=folder, prefix=".export-") as scratch:
        exported = Path(scratch) / "export.db"
        export_encrypted(paths.database, key, exported)
        revision = _revision_of(exported, key)  # opening the copy sets WAL mode: read it before hashing
        for sidecar in ("-wal", "-shm"):
            Path(str(exported) + sidecar).unlink(missing_ok=True)
        digest = hashlib.sha256()
        with exported.open("rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
        header = json.dumps(
            {
                "store_id": slots.store_id,
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
                "reason": reason,
                "revision": revision,
                "payload_sha256": digest.hexdigest(),
                "payload_size": exported.stat().st_size,
                "key_slots": json.loads(slots.to_bytes()),
            },
            sort_keys=True,
        ).encode("utf-8")
        partial = Path(scratch) / "backup.partial"
        with partial.open("wb") as out, exported.open("rb") as payload:
            out.write(MAGIC + struct.pack(">I", len(header)) + header)
            shutil.copyfileobj(payload, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, target)
        fsync_dir(folder)
    if destination is None and rotate_folder:
        rotate(paths.backups, keep)
    return target


SCRATCH_MAX_AGE_S = 3600


def remove_stale_scratch(paths: StorePaths) -> None:
    """Folders left by a backup or restore that was killed midway (their contents are encrypted)."""
    now = time.time()
    for folder in (paths.root, paths.backups):
        if not folder.is_dir():
            continue
        for scratch in [*folder.glob(".export-*"), *folder.glob(".restore-*")]:
            try:
                if now - scratch.stat().st_mtime > SCRATCH_MAX_AGE_S:
                    shutil.rmtree(scratch, ignore_errors=True)
            except OSError:
                continue


def read_header(path: Path) -> tuple[dict, int]:
    """The backup's header and the offset where its encrypted payload starts."""
    try:
        with path.open("rb") as handle:
            if handle.read(len(MAGIC)) != MAGIC:
                raise BackupError(detail="not a Lieta backup")
            (length,) = struct.unpack(">I", handle.read(4))
            if length > 10_000_000:
                raise BackupError(detail="header too large")
            header = json.loads(handle.read(length).decode("utf-8"))
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise BackupError(detail="header unreadable") from exc
    except FileNotFoundError as exc:
        raise BackupError(detail="file not found") from exc
    if not isinstance(header, dict) or not all(k in header for k in HEADER_FIELDS):
        raise BackupError(detail="header unreadable")
    return header, len(MAGIC) + 4 + length


def describe(path: Path) -> BackupInfo:
    header, _offset = read_header(path)
    return BackupInfo(
        path, header["created_at"], header["reason"], header.get("revision"), header["store_id"], path.stat().st_size
    )


def list_backups(folder: Path) -> list[Path]:
    """Backups in the folder, newest first (names sort by their UTC timestamp)."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"lieta-*{SUFFIX}"), reverse=True)


def rotate(folder: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Keep the newest ``keep`` backups; return what was removed."""
    removed = list_backups(folder)[max(keep, 1):]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def extract_payload(path: Path, target: Path) -> dict:
    """Copy the encrypted database out of a backup, verifying its checksum; returns the header."""
    header, offset = read_header(path)
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source, target.open("wb") as out:
        source.seek(offset)
        for chunk in iter(lambda: source.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if size != header.get("payload_size") or digest.hexdigest() != header.get("payload_sha256"):
        raise BackupError(detail="checksum mismatch, the file is truncated or altered")
    return header


def verify_database(database: Path, key: DataKey) -> None:
    """SQLCipher's page HMAC check and SQLite's own structural check; raises DamagedStore."""
    connection = connect_raw(database, key)
    try:
        problems = connection.execute("PRAGMA cipher_integrity_check").fetchall()
        if problems:
            raise DamagedStore(detail=f"{len(problems)} pages fail their checksum")
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise DamagedStore(detail="structure check failed")
    finally:
        connection.close()


def restore_backup(data_dir: Path, backup: Path, login: str, passphrase: str) -> Path | None:
    """Replace the store with ``backup``. Returns the safety backup made of the store it replaced (if any).

    The caller must have locked (closed) the store. The passphrase opens the backup through its own key
    slots or, for the same store, the current ones (a passphrase changed since the backup still works).
    """
    paths = StorePaths(Path(data_dir))
    remove_stale_scratch(paths)
    header, _offset = read_header(backup)
    try:
        backup_slots = KeySlots.from_bytes(json.dumps(header["key_slots"]).encode("utf-8"))
    except DamagedStore as exc:  # the backup is damaged, not the store
        raise BackupError(detail="its key slots are unreadable") from exc
    current_slots = KeySlots.load(paths.key_slots) if paths.key_slots.exists() else None
    same_store = current_slots is not None and current_slots.store_id == header["store_id"]
    key = _unwrap_any(login, passphrase, [current_slots] if same_store else [], backup_slots)
    paths.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=paths.root, prefix=".restore-") as scratch:
        candidate = Path(scratch) / "restored.db"
        extract_payload(backup, candidate)
        verify_database(candidate, key)
        safety = None
        if paths.database.exists():
            safety = _keep_current(paths, current_slots, login, passphrase, same_store)
        for sidecar in paths.sidecars():
            sidecar.unlink(missing_ok=True)
        os.chmod(candidate, 0o600)
        os.replace(candidate, paths.database)
        fsync_dir(paths.root)
    if not same_store:
        backup_slots.save(paths.key_slots)
    key.wipe()
    return safety


def _keep_current(paths: StorePaths, slots: KeySlots | None, login: str, passphrase: str, same_store: bool) -> Path:
    """Keep the store a restore is about to replace: a backup if it still opens, else its files as they are.

    A damaged store (the very reason to restore) cannot be exported, and another store's files may not open
    with this passphrase; neither may be lost, so their encrypted files are copied aside unchanged.
    """
    key = None
    if slots is not None:
        try:
            key = slots.unwrap_user(login, passphrase)
        except WrongPassphrase:
            if same_store:
                raise
    if key is not None:
        try:
            # no rotation now: it could delete the very backup being restored
            return create_backup(paths, slots, key, reason="before-restore", rotate_folder=False)
        except (DamagedStore, sqlcipher.DatabaseError):
            pass
        finally:
            key.wipe()
    aside = paths.backups / f"set-aside-{_timestamp()}"
    aside.mkdir(parents=True)
    for path in [paths.database, *paths.sidecars(), paths.key_slots]:
        if path.exists():
            shutil.copyfile(path, aside / path.name)
            os.chmod(aside / path.name, 0o600)
            with (aside / path.name).open("rb+") as handle:
                os.fsync(handle.fileno())
    fsync_dir(aside)
    fsync_dir(paths.backups)
    return aside


def _unwrap_any(login: str, passphrase: str, first: list[KeySlots], fallback: KeySlots) -> DataKey:
    from storage.errors import WrongPassphrase

    for slots in [*first, fallback]:
        try:
            return slots.unwrap_user(login, passphrase)
        except WrongPassphrase:
            continue
    raise WrongPassphrase()
