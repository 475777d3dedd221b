"""The versioned export for state information systems (SOPA today, the ministry's system from 2027; DOMAIN.md §8).

The import formats of those systems are not published, so the central service produces a stable, documented
intermediate instead (``docs/state-export.md``, schema ``resources/export/state-export-v1.schema.json``): four
datasets — clients, household statuses, applications, decisions — keyed by the rows' own UUIDs, which never
change, so a receiver can match a later export against an earlier one.

Everything is read from ``records`` (the current state of every synced row) in ONE statement: even under
PostgreSQL's READ COMMITTED a single statement sees one snapshot, so the datasets agree with each other.
Only issued decisions are exported: a draft, submitted, returned or approved decision is not yet an
administrative act (APL Art. 70) and may still change. Every id reference between datasets resolves inside the
document or is null (a draft decision, a tombstoned application, a client of another parish in a filtered
export); person, household and user ids are stable ids without a dataset of their own.

The files hold personal data (names, personal codes, assistance): the folder is 0700, the files 0600, and every
file is written atomically (temp file, fsync, rename) so a receiver never picks up a half-written one.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import uuid
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from sync.server.schema import records

EXPORT_FORMAT = "lieta-state-export"
EXPORT_VERSION = 1
#: the JSON Schema of the document (beside the other shipped data in ``resources/``)
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "resources" / "export" / "state-export-v1.schema.json"
MANIFEST_NAME = "manifest.json"
FORMATS = ("json", "csv")
CSV_DELIMITER = ";"  # what Excel expects where the decimal separator is a comma (Latvian regional settings)
CSV_LIST_SEPARATOR = "|"

#: the field order of every dataset: JSON objects keep it, CSV headers follow it (additive changes append only)
DATASETS: dict[str, tuple[str, ...]] = {
    "clients": ("id", "person_id", "personal_code", "given_name", "surname", "birth_date", "deceased_on",
                "parish_id", "parish_name", "client_type", "target_groups", "status", "registered_on", "restricted"),
    "household_statuses": ("id", "household_id", "parish_id", "status", "valid_from", "valid_to", "cancelled_from",
                           "decision_id", "member_person_ids", "client_ids"),
    "applications": ("id", "client_id", "applicant_person_id", "registration_number", "benefit_code", "received_on",
                     "channel", "status", "decision_due", "extended_until"),
    "decisions": ("id", "client_id", "application_id", "number", "kind", "status", "benefit_code", "amount_eur",
                  "period_from", "period_to", "legal_basis", "approved_by_user_id", "approved_by_name", "signed_at",
                  "issued_on", "notified_on", "amends_decision_id", "content_hash"),
}

#: the laptop tables the export reads
SOURCE_ENTITIES = ("parishes", "persons", "clients", "households", "household_members", "household_statuses",
                   "applications", "decisions", "decision_notifications", "users")
#: decision statuses that are administrative acts (``storage.models.assistance.FINAL_DECISION_STATUSES``)
EXPORTED_DECISION_STATUSES = frozenset({"issued"})


class ExportError(ValueError):
    """A stored row cannot be represented faithfully (a malformed date or amount): better no export than a
    wrong one in a state register. The message names the row so it can be corrected."""


# -- values in their export form ------------------------------------------------------------------------------
def _bad(entity: str, row_id: str, name: str, value: Any) -> ExportError:
    return ExportError(f"{entity} {row_id}: field {name!r} has an unexpected value {value!r}")


class _Row:
    """One stored row's fields, read with the conversions the export promises (ISO dates, decimal euros)."""

    def __init__(self, entity: str, row_id: str, version: int, fields: dict[str, Any]) -> None:
        self.entity, self.id, self.version, self.fields = entity, row_id, version, fields

    def text(self, name: str) -> str | None:
        value = self.fields.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise _bad(self.entity, self.id, name, value)

    def ref(self, name: str) -> str | None:
        value = self.fields.get(name)
        if value is None:
            return None
        try:
            return str(uuid.UUID(str(value)))
        except ValueError:
            raise _bad(self.entity, self.id, name, value) from None

    def flag(self, name: str) -> bool:
        value = self.fields.get(name)
        if value is None or isinstance(value, bool) or value in (0, 1):
            return bool(value)
        raise _bad(self.entity, self.id, name, value)

    def date(self, name: str) -> str | None:
        value = self.fields.get(name)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise _bad(self.entity, self.id, name, value) from None

    def moment(self, name: str) -> str | None:
        """A timestamp in UTC, ISO 8601 with ``Z`` (a naive stored value is UTC, as the store writes it)."""
        value = self.fields.get(name)
        if value is None:
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise _bad(self.entity, self.id, name, value) from None
        moment = moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S") + (f".{moment.microsecond:06d}" if moment.microsecond else "") + "Z"

    def euros(self, name: str) -> str | None:
        """Whole cents (how the store keeps money) as a decimal string in euros, always two decimals."""
        value = self.fields.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or isinstance(value, float):
            raise _bad(self.entity, self.id, name, value)
        try:
            cents = Decimal(str(value))
        except ArithmeticError:
            raise _bad(self.entity, self.id, name, value) from None
        if not cents.is_finite() or cents != cents.to_integral_value():
            raise _bad(self.entity, self.id, name, value)
        return f"{cents.scaleb(-2).quantize(Decimal('0.01')):f}"

    def codes(self, name: str) -> list[str]:
        value = self.fields.get(name) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise _bad(self.entity, self.id, name, value)
        return list(value)


class _Snapshot:
    """The live (non-tombstoned) rows of the source entities, and the highest version actually exported."""

    def __init__(self, conn: Connection) -> None:
        self.rows: dict[str, dict[str, _Row]] = {entity: {} for entity in SOURCE_ENTITIES}
        query = (select(records.c.entity, records.c.row_id, records.c.version, records.c.fields)
                 .where(records.c.entity.in_(SOURCE_ENTITIES), records.c.deleted.is_(False)))
        for entity, row_id, version, fields in conn.execute(query):
            fields = fields if isinstance(fields, dict) else json.loads(fields)
            if fields.get("deleted"):  # the column is the tombstone; a row whose fields say deleted is one too
                continue
            self.rows[entity][str(row_id)] = _Row(entity, str(row_id), int(version), fields)
        self.server_version = 0

    def use(self, row: _Row) -> _Row:
        self.server_version = max(self.server_version, row.version)
        return row

    def get(self, entity: str, row_id: str | None) -> _Row | None:
        row = self.rows[entity].get(row_id) if row_id else None
        return self.use(row) if row is not None else None


# -- the document -----------------------------------------------------------------------------------------------
def _utc(moment: dt.datetime | None) -> dt.datetime:
    moment = moment or dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware value")
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_export(conn: Connection, *, as_of: dt.datetime | None = None, parish_ids: set[str] | None = None) -> dict:
    """The whole export document. ``as_of`` is the generation time stamped in it (default: now); the content is
    always the current state. ``parish_ids`` limits it to clients of those parishes and what belongs to them."""
    generated = _utc(as_of)
    parishes = None if parish_ids is None else {str(uuid.UUID(str(p))) for p in parish_ids}
    snap = _Snapshot(conn)
    clients = _clients(snap, parishes)
    exported_clients = {row["id"] for row in clients}
    applications = _applications(snap, exported_clients)
    decisions = _decisions(snap, exported_clients, {row["id"] for row in applications})
    statuses = _household_statuses(snap, parishes, clients, {row["id"] for row in decisions})
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": _iso(generated),
        "server_version": snap.server_version,
        "parish_ids": None if parishes is None else sorted(parishes),
        "datasets": {"clients": clients, "household_statuses": statuses, "applications": applications,
                     "decisions": decisions},
    }


def _sorted(rows: Iterable[_Row]) -> list[_Row]:
    return sorted(rows, key=lambda row: row.id)


def _clients(snap: _Snapshot, parishes: set[str] | None) -> list[dict[str, Any]]:
    out = []
    for client in _sorted(snap.rows["clients"].values()):
        person = snap.rows["persons"].get(client.ref("person_id") or "")
        # the service's parish of the file; a client row without one falls back to where the person lives
        parish_id = client.ref("parish_id") or (person.ref("parish_id") if person else None)
        if parishes is not None and parish_id not in parishes:
            continue
        snap.use(client)
        if person is not None:
            snap.use(person)
        parish = snap.get("parishes", parish_id)
        out.append({
            "id": client.id,
            "person_id": client.ref("person_id"),
            "personal_code": person.text("personal_code") if person else None,
            "given_name": person.text("given_name") if person else None,
            "surname": person.text("surname") if person else None,
            "birth_date": person.date("birth_date") if person else None,
            "deceased_on": person.date("deceased_on") if person else None,
            "parish_id": parish_id,
            "parish_name": parish.text("name") if parish else None,
            "client_type": client.text("client_type"),
            "target_groups": client.codes("target_groups"),
            "status": client.text("status") or "active",
            "registered_on": client.date("registered_on"),
            "restricted": client.flag("restricted"),
        })
    return out


def _applications(snap: _Snapshot, clients: set[str]) -> list[dict[str, Any]]:
    out = []
    for row in _sorted(snap.rows["applications"].values()):
        if row.ref("client_id") not in clients:
            continue
        snap.use(row)
        out.append({
            "id": row.id,
            "client_id": row.ref("client_id"),
            "applicant_person_id": row.ref("applicant_person_id"),
            "registration_number": row.text("registration_number"),
            "benefit_code": row.text("benefit_code"),
            "received_on": row.date("received_on"),
            "channel": row.text("channel"),
            "status": row.text("status") or "registered",
            "decision_due": row.date("decision_due"),
            "extended_until": row.date("extended_until"),
        })
    return out


def _notified_on(snap: _Snapshot, notes: list[_Row]) -> str | None:
    """The earliest day a recipient was notified (signed for, or deemed notified): the decision is in force
    from then (APL Art. 70)."""
    days = []
    for note in notes:
        day = note.date("received_on") or note.date("deemed_notified_on")
        if day:
            snap.use(note)
            days.append(day)
    return min(days, default=None)


def _decisions(snap: _Snapshot, clients: set[str], applications: set[str]) -> list[dict[str, Any]]:
    issued = {row.id for row in snap.rows["decisions"].values()
              if row.text("status") in EXPORTED_DECISION_STATUSES and row.ref("client_id") in clients}
    notes: dict[str, list[_Row]] = {}
    for note in snap.rows["decision_notifications"].values():
        notes.setdefault(note.ref("decision_id") or "", []).append(note)
    out = []
    for row in _sorted(snap.rows["decisions"].values()):
        if row.id not in issued:
            continue
        snap.use(row)
        signer = snap.get("users", row.ref("approved_by_user_id"))
        application_id, amends = row.ref("application_id"), row.ref("amends_decision_id")
        out.append({
            "id": row.id,
            "client_id": row.ref("client_id"),
            "application_id": application_id if application_id in applications else None,
            "number": row.text("number"),
            "kind": row.text("kind"),
            "status": row.text("status"),
            "benefit_code": row.text("benefit_code"),
            "amount_eur": row.euros("amount_cents"),
            "period_from": row.date("period_from"),
            "period_to": row.date("period_to"),
            "legal_basis": row.codes("legal_basis"),
            "approved_by_user_id": row.ref("approved_by_user_id"),
            "approved_by_name": signer.text("display_name") if signer else None,
            "signed_at": row.moment("signed_at"),
            "issued_on": row.date("issued_on"),
            "notified_on": _notified_on(snap, notes.get(row.id, [])),
            "amends_decision_id": amends if amends in issued else None,
            "content_hash": row.text("content_hash"),
        })
    return out


def _overlaps(member: _Row, start: str | None, end: str | None) -> bool:
    """Whether a household membership covers any day of the status period (ISO dates compare as strings)."""
    joined, left = member.date("joined_on"), member.date("left_on")
    return (joined is None or end is None or joined <= end) and (left is None or start is None or left >= start)


def _household_statuses(snap: _Snapshot, parishes: set[str] | None, clients: list[dict[str, Any]],
                        decisions: set[str]) -> list[dict[str, Any]]:
    client_of_person = {row["person_id"]: row["id"] for row in clients}
    members_of: dict[str, list[_Row]] = {}
    for member in snap.rows["household_members"].values():
        members_of.setdefault(member.ref("household_id") or "", []).append(member)
    out = []
    for row in _sorted(snap.rows["household_statuses"].values()):
        household = snap.rows["households"].get(row.ref("household_id") or "")
        if household is None:
            continue  # the household was removed: its status is no longer a record
        start, end = row.date("valid_from"), row.date("valid_to")
        members = [m for m in members_of.get(household.id, []) if _overlaps(m, start, end)]
        persons = sorted({m.ref("person_id") for m in members if m.ref("person_id")})
        client_ids = sorted(client_of_person[p] for p in persons if p in client_of_person)
        parish_id = household.ref("parish_id")
        if parishes is not None and parish_id not in parishes and not client_ids:
            continue
        for used in (row, household, *members):
            snap.use(used)
        decision_id = row.ref("decision_id")
        out.append({
            "id": row.id,
            "household_id": household.id,
            "parish_id": parish_id,
            "status": row.text("status"),
            "valid_from": start,
            "valid_to": end,
            "cancelled_from": row.date("cancelled_from"),
            "decision_id": decision_id if decision_id in decisions else None,
            "member_person_ids": persons,
            "client_ids": client_ids,
        })
    return out


# -- files ------------------------------------------------------------------------------------------------------
def export_json(document: dict) -> bytes:
    """The JSON file: UTF-8 (no BOM), the documented key order, two-space indent, a final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return CSV_LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)


def export_csv(dataset: str, rows: list[dict[str, Any]]) -> bytes:
    """One dataset as CSV for Excel: UTF-8 with BOM (so ā, č, ē show right), ``;`` between fields, CRLF lines,
    a header row of field names; lists joined with ``|``; empty = null."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    fields = DATASETS[dataset]
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_cell(row[name]) for name in fields])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _fsync_dir(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a directory; its rename is durable enough there
        return
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_atomic(path: Path, data: bytes) -> None:
    """``data`` at ``path`` whole or not at all, readable by the owner only (it is personal data)."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # created 0600
    try:
        with os.fdopen(handle, "wb") as out:
            if hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), 0o600)
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _prepare_folder(out_dir: Path) -> None:
    """A new folder is made private (0700); an existing one is the operator's choice and left as it is."""
    if not out_dir.exists():
        out_dir.mkdir(mode=0o700, parents=True)
        out_dir.chmod(0o700)  # the umask may have taken bits away; make it exact
    elif not out_dir.is_dir():
        raise NotADirectoryError(str(out_dir))


def file_stem(generated_at: str) -> str:
    """``lieta-state-export-v1-20261123T120000Z`` for a document generated at 2026-11-23T12:00:00Z."""
    stamp = generated_at.replace("-", "").replace(":", "")
    return f"{EXPORT_FORMAT}-v{EXPORT_VERSION}-{stamp}"


def write_export(engine: Engine, out_dir: Path, *, formats: Iterable[str] = FORMATS,
                 parish_ids: set[str] | None = None, now: dt.datetime | None = None) -> list[Path]:
    """Build the export and write it to ``out_dir``: the JSON document, one CSV per dataset, and
    ``manifest.json`` (written last, so its presence means the set is complete). Returns the paths written,
    manifest last."""
    formats = tuple(dict.fromkeys(formats))
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ValueError(f"formats must be among {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    with engine.connect() as conn:
        document = build_export(conn, as_of=now, parish_ids=parish_ids)
    _prepare_folder(out_dir)
    stem = file_stem(document["generated_at"])
    files: list[tuple[Path, str, str | None, int, bytes]] = []
    counts = {name: len(rows) for name, rows in document["datasets"].items()}
    if "json" in formats:
        files.append((out_dir / f"{stem}.json", "json", None, sum(counts.values()), export_json(document)))
    if "csv" in formats:
        for name, rows in document["datasets"].items():
            files.append((out_dir / f"{stem}-{name}.csv", "csv", name, len(rows), export_csv(name, rows)))
    for path, *_rest, data in files:
        write_atomic(path, data)
    manifest = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": document["generated_at"],
        "server_version": document["server_version"],
        "parish_ids": document["parish_ids"],
        "row_counts": counts,
        "files": [{"name": path.name, "format": kind, "dataset": dataset, "rows": rows, "bytes": len(data),
                   "sha256": hashlib.sha256(data).hexdigest()} for path, kind, dataset, rows, data in files],
    }
    write_atomic(out_dir / MANIFEST_NAME, export_json(manifest))
    return [path for path, *_rest in files] + [out_dir / MANIFEST_NAME]
