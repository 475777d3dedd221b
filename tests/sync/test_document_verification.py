"""Document verification with the real central service (SQLite and PostgreSQL): enrolment and sign-in certify the
laptop's signing key, and ``/v1/verify`` tells a genuine letter from a forged one and whether it still stands."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from app import attestation
from app.signing import KeyPair
from forms.seal import seal_for
from storage.models import Client, Decision, Person, SyncState
from sync.server.auth import revoke, service_key_pair
from sync.server.schema import devices, records
from tests.sync.test_sync_engine import add_client


def issue(laptop, client_id, number="LEM/2026/0042", amount=12050):
    """An issued, signed grant written on ``laptop`` (as the head's approval would have left it)."""
    with laptop.store.write() as session:
        decision = Decision(client_id=client_id, number=number, kind="grant", status="issued",
                            benefit_code="housing_benefit", amount_cents=amount, period_from=dt.date(2026, 11, 1),
                            period_to=dt.date(2026, 11, 30), facts="Trūcīga mājsaimniecība.",
                            legal_basis=["Sociālo pakalpojumu un sociālās palīdzības likuma 35. pants"],
                            operative_part="Piešķirt mājokļa pabalstu.", signed_at=dt.datetime(2026, 11, 23, 10, tzinfo=dt.timezone.utc),
                            issued_on=dt.date(2026, 11, 23))
        session.add(decision)
        session.flush()
        return decision.id


def token_of(laptop, decision_id):
    with laptop.store.session() as session:
        decision = session.get(Decision, decision_id)
        person = session.get(Person, session.get(Client, decision.client_id).person_id)
        return seal_for(session, attestation.decision_facts(decision, person)).token


def verify(central, token):
    response = central.http.post("/v1/verify", json={"token": token})
    assert response.status_code == 200
    return response.json()


def test_enrolment_and_sign_in_certify_the_laptops_signing_key(central):
    anna = central.laptop("anna", "anna", central.parish_a)
    with anna.store.session() as session:
        state = session.get(SyncState, 1)
        certificate = attestation.DeviceCertificate.from_text(state.device_certificate)
        keys = KeyPair.from_text(state.device_keys)
    with central.engine.connect() as conn:
        service = service_key_pair(conn).public()
    assert certificate.checks_out(service) and certificate.signing_public == keys.signing_public
    with anna.store.session() as session:
        assert attestation.service_public_key(session) == service


def test_the_service_confirms_a_genuine_letter_and_refuses_a_forged_one(central):
    anna = central.laptop("anna", "anna", central.parish_a)
    client_id, _person = add_client(anna, "Bērziņš", central.parish_a)
    decision = issue(anna, client_id)
    token = token_of(anna, decision)
    before = verify(central, token)  # not yet synced: the signature alone vouches for it
    assert before["genuine"] and before["record"] == "not_synced" and before["facts"]["amount"] == 12050
    assert before["code"] == attestation.short_code(before["facts"])
    anna.sync()
    answer = verify(central, token)
    assert answer["genuine"] and answer["record"] == "matches" and answer["facts"]["name"] == "Jānis Bērziņš"
    forged = token[:60] + ("A" if token[60] != "A" else "B") + token[61:]
    assert verify(central, forged) == {"genuine": False, "reason": "not_genuine"}
    assert central.http.post("/v1/verify", json={}).status_code == 400


def test_a_letter_whose_decision_changed_since_is_genuine_but_no_longer_matches(central):
    anna = central.laptop("anna", "anna", central.parish_a)
    client_id, _person = add_client(anna, "Ozola", central.parish_a)
    decision = issue(anna, client_id)
    token = token_of(anna, decision)
    anna.sync()
    with central.engine.begin() as conn:  # e.g. corrected by an amending decision's process on the service
        row = conn.execute(select(records.c.fields).where(records.c.row_id == decision)).scalar_one()
        conn.execute(update(records).where(records.c.row_id == decision).values(fields={**row, "amount_cents": 1}))
    answer = verify(central, token)
    assert answer["genuine"] and answer["record"] == "differs"


def test_documents_signed_after_the_laptop_was_revoked_are_not_genuine(central):
    anna = central.laptop("anna", "anna", central.parish_a)
    client_id, _person = add_client(anna, "Liepa", central.parish_a)
    token = token_of(anna, issue(anna, client_id))  # signed on 23.11.2026
    with central.engine.begin() as conn:
        device_id = conn.execute(select(devices.c.id).where(devices.c.name == "anna")).scalar_one()
        revoke(conn, device_id, now=dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc))
    answer = verify(central, token)
    assert not answer["genuine"] and answer["reason"] == "revoked_device"
