"""``lieta doctor``: integrity checks an IT administrator can run (also weekly, and before bundles)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import text

from app.context import Context
from storage import migrate
from storage.backup import list_backups
from app.i18n import _
from storage.errors import N_

BACKUP_MAX_AGE_DAYS = 7


@dataclass(frozen=True)
class CheckResult:
    title: str  # msgid
    ok: bool
    detail: str = ""
    #: a finding to act on that does not make the store unsafe (no recovery key, old backup)
    warning: bool = False


def run_checks(ctx: Context) -> list[CheckResult]:
    results = []
    with ctx.store.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
        results.append(CheckResult(N_("encrypted pages authentic"), not pages,
                                   f"{len(pages)} bad pages" if pages else "cipher_integrity_check"))
        structure = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        results.append(CheckResult(N_("database structure"), structure == "ok", str(structure)))
        foreign = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        results.append(CheckResult(N_("references between records"), not foreign,
                                   f"{len(foreign)} broken references" if foreign else "foreign_key_check"))
        try:
            connection.execute(text("INSERT INTO person_search(person_search, rank) VALUES ('integrity-check', 1)"))
            results.append(CheckResult(N_("search index"), True, "fts5 integrity-check"))
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            results.append(CheckResult(N_("search index"), False, type(exc).__name__))
        connection.rollback()
        revision = migrate.current_revision(connection)
        results.append(CheckResult(N_("schema version"), revision == migrate.HEAD_REVISION, f"{revision}"))
        seqs = connection.execute(text("SELECT count(*), min(seq), max(seq) FROM outbox")).one()
        contiguous = seqs[0] == 0 or seqs[2] - seqs[1] + 1 == seqs[0]
        results.append(CheckResult(N_("outbox of unsent changes"), contiguous, f"{seqs[0]}"))
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        results.append(CheckResult(N_("write-ahead log"), mode == "wal", str(mode)))
    slots = ctx.store.slots
    results.append(CheckResult(N_("office recovery key"), slots.recovery_slot is not None,
                               _("installed") if slots.recovery_slot else
                               _("missing: install it with 'lieta recovery-key install'"),
                               warning=True))
    backups = list_backups(ctx.store.paths.backups)
    newest = dt.datetime.fromtimestamp(backups[0].stat().st_mtime, dt.timezone.utc) if backups else None
    fresh = newest is not None and dt.datetime.now(dt.timezone.utc) - newest < dt.timedelta(days=BACKUP_MAX_AGE_DAYS)
    results.append(CheckResult(N_("recent backup"), fresh, newest.date().isoformat() if newest else _("none"),
                               warning=True))
    return results
