"""Document verification at the central service: is this token genuine, and does it match what is on record?

The token's signature chain is checked with the service's own key (:mod:`app.attestation`), then the facts are
recomputed from the service's current records: a letter can be genuine yet no longer standing (the decision was
amended or revoked since) — the answer says which. Nothing is returned that the token does not already carry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app import attestation
from sync.server.auth import service_key_pair
from sync.server.schema import devices, records, users

FINAL_DECISION = ("approved", "issued")


def verify_document(conn: Connection, token: str) -> dict[str, Any]:
    """The verdict on a token; :class:`app.attestation.NotGenuine` when its signatures do not check out."""
    verdict = attestation.verify_token(token, service_key_pair(conn).public())
    device = conn.execute(select(devices.c.revoked_at).where(devices.c.id == verdict.device_id)).first()
    signed_on = verdict.facts.get("signed") or verdict.facts.get("date")
    revoked = device is None or (device.revoked_at is not None and (
        signed_on is None or dt.date.fromisoformat(signed_on) >= device.revoked_at.date()))
    if revoked:  # certified once, but this document is dated after the laptop was withdrawn
        return {"genuine": False, "code": verdict.code, "reason": "revoked_device"}
    current = _current_facts(conn, verdict.facts)
    record = "not_synced" if current is None else ("matches" if current == verdict.facts else "differs")
    return {"genuine": True, "code": verdict.code, "facts": verdict.facts, "record": record}


def _fields(conn: Connection, entity: str, row_id: Any) -> dict[str, Any] | None:
    try:
        key = uuid.UUID(str(row_id))
    except ValueError:
        return None
    row = conn.execute(select(records.c.fields, records.c.deleted).where(
        records.c.entity == entity, records.c.row_id == key)).first()
    return None if row is None or row.deleted else {**row.fields, "id": str(key)}


def _current_facts(conn: Connection, facts: dict[str, Any]) -> dict[str, Any] | None:
    """The same facts from the service's records now (None if the document has not reached the service)."""
    entity = {"decision": "decisions", "home_visit": "home_visits"}.get(facts.get("doc"))
    row = _fields(conn, entity, facts.get("id")) if entity else None
    if row is None:
        return None
    client = _fields(conn, "clients", row.get("client_id")) or {}
    person = _fields(conn, "persons", client.get("person_id")) or {}
    if entity == "decisions":
        if row.get("status") not in FINAL_DECISION or not row.get("signed_at"):
            return {}  # no longer an issued decision: differs from anything a letter says
        return attestation.decision_facts(row, person)
    signer = row.get("signed_by_user_id")
    worker = conn.execute(select(users.c.display_name).where(users.c.id == uuid.UUID(signer))).scalar() if signer \
        else None
    return attestation.visit_facts(row, person, worker or "")
