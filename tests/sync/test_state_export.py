"""The export for state systems: exactly the live records, stable ids, exact Latvian text, decimal euros,
deterministic files with a manifest, private permissions, and a document that validates against its schema."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import json
import re
import stat
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from storage.ids import HybridLogicalClock, new_id
from sync.protocol import Change, PushBatch, decode, encode
from sync.server.apply import apply_push
from sync.server.export import (DATASETS, EXPORT_FORMAT, SCHEMA_PATH, ExportError, _Row, build_export, file_stem,
                                write_export)
from sync.server.schema import devices, server_state

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)
LATER = NOW + dt.timedelta(hours=3, minutes=7)
LAPTOP = uuid.UUID(int=0xE << 64 | 7)


class World:
    """A municipality as laptops pushed it: two parishes, four clients (one deleted), households, applications,
    issued and draft decisions. Ids are kept by name for the assertions."""

    def __init__(self, engine) -> None:
        self.engine, self.seq, self.clock = engine, 0, HybridLogicalClock()
        self.ids: dict[str, str] = {}

    def id(self, name: str) -> str:
        return self.ids.setdefault(name, str(new_id()))

    def push(self, entity: str, name: str, fields: dict[str, Any], op: str = "insert") -> None:
        self.seq += 1
        change = Change(op_id=new_id(), tx_id=new_id(), device_id=LAPTOP, device_seq=self.seq, user_id=None,
                        entity=entity, row_id=uuid.UUID(self.id(name)), op=op, base_version=None,
                        fields={"deleted": False, **fields} if op == "insert" else fields,
                        hlc=self.clock.now(), schema_version=4)
        batch = decode(encode(PushBatch(device_id=LAPTOP, epoch="e1", schema_version=4, changes=[change])))
        with self.engine.begin() as conn:
            reply = apply_push(conn, batch, HybridLogicalClock(), now=NOW, authorise=False)
        assert [r.result for r in reply.results] == ["applied"], reply

    def person(self, name: str, given: str, surname: str, code: str | None, parish: str,
               birth: str | None = None) -> None:
        self.push("persons", name, {"given_name": given, "surname": surname, "personal_code": code,
                                    "birth_date": birth, "gender": None, "address": "Skolas iela 1",
                                    "parish_id": self.id(parish), "phone": None, "email": None, "language": "lv",
                                    "contact_preference": None, "deceased_on": None})

    def client(self, name: str, person: str, parish: str, *, restricted: bool = False,
               groups: list[str] | None = None) -> None:
        self.push("clients", name, {"person_id": self.id(person), "client_type": "voluntary",
                                    "target_groups": groups or [], "restricted": restricted,
                                    "registered_on": "2026-01-15", "referral_source": None,
                                    "responsible_user_id": self.id("anna"), "parish_id": self.id(parish),
                                    "legal_representative_id": None, "representative_kind": None,
                                    "capacity_limited": False, "retention_until": None, "status": "active"})

    def application(self, name: str, client: str, number: str, received: str) -> None:
        self.push("applications", name, {"client_id": self.id(client), "applicant_person_id": None,
                                         "registration_number": number, "received_on": received,
                                         "channel": "in_person", "benefit_code": "gmi_benefit",
                                         "request_text": "Lūdzu piešķirt pabalstu.", "status": "decided",
                                         "decision_due": "2026-11-30", "extended_until": None,
                                         "extension_reason": None, "extension_notified_on": None,
                                         "handled_by_user_id": self.id("anna")})

    def decision(self, name: str, client: str, application: str | None, *, status: str = "issued",
                 kind: str = "grant", cents: int | None = None, number: str | None = None,
                 amends: str | None = None) -> None:
        issued = status == "issued"
        self.push("decisions", name, {
            "application_id": self.id(application) if application else None, "client_id": self.id(client),
            "number": number, "kind": kind, "status": status, "benefit_code": "gmi_benefit", "amount_cents": cents,
            "period_from": "2026-11-01" if cents else None, "period_to": "2027-01-31" if cents else None,
            "request_summary": "Iesniegums.", "participants_views": None, "facts": "Ienākumi novērtēti.",
            "reasons": "Atbilst noteikumiem.",
            "legal_basis": ["SPSPL 33. panta pirmā daļa", "MK noteikumi Nr. 809, 5. punkts"],
            "operative_part": "Piešķirt pabalstu.", "appeal_body": "Novada domē",
            "appeal_term": "viena mēneša laikā",
            "amends_decision_id": self.id(amends) if amends else None, "drafted_by_user_id": self.id("anna"),
            "approved_by_user_id": self.id("vadita") if issued else None,
            "signed_at": "2026-11-10T14:30:00+02:00" if issued else None,
            "issued_on": "2026-11-11" if issued else None, "content_hash": "ab" * 32 if issued else None})


@pytest.fixture
def world(server_engine) -> World:
    with server_engine.begin() as conn:
        conn.execute(server_state.insert().values(singleton=1, epoch="e1", version=0, min_pull_schema=3))
        conn.execute(devices.insert().values(id=LAPTOP, name="office", last_applied_seq=0, parish_ids=[],
                                             municipal=True, enrolled_at=NOW))
    w = World(server_engine)
    w.push("parishes", "ergli", {"name": "Ērgļu pagasts", "municipality": "Madonas novads", "code": "0701"})
    w.push("parishes", "laudona", {"name": "Ļaudonas pagasts", "municipality": "Madonas novads", "code": "0702"})
    for login, display in (("anna", "Anna Kalniņa"), ("vadita", "Vadītāja Šķēle")):
        w.push("users", login, {"login": login, "display_name": display, "roles": ["head"], "parish_ids": [],
                                "position": "Sociālā dienesta vadītāja", "active": True})
    w.person("p_berzins", "Jānis", "Bērziņš", "050385-12347", "ergli", birth="1985-03-05")
    w.person("p_kenina", "Anna", "Ķēniņa", "290204-25170", "ergli", birth="2004-02-29")
    w.person("p_zurina", "Žanete", "Žūriņa", "324801-97654", "laudona")
    w.person("p_gone", "Pēteris", "Kļava", None, "ergli")
    w.client("c_berzins", "p_berzins", "ergli", groups=["pensioner", "low_income"])
    w.client("c_kenina", "p_kenina", "ergli", restricted=True)
    w.client("c_zurina", "p_zurina", "laudona")
    w.client("c_gone", "p_gone", "ergli")
    w.push("households", "h_ergli", {"label": "Bērziņu ģimene", "address": "Skolas iela 1",
                                     "parish_id": w.id("ergli")})
    w.push("households", "h_laudona", {"label": None, "address": "Ezera iela 2", "parish_id": w.id("laudona")})
    for name, household, person in (("m1", "h_ergli", "p_berzins"), ("m2", "h_ergli", "p_kenina"),
                                    ("m3", "h_laudona", "p_zurina")):
        w.push("household_members", name, {"household_id": w.id(household), "person_id": w.id(person),
                                           "is_head": name == "m1", "joined_on": "2020-01-01", "left_on": None})
    w.application("a_berzins", "c_berzins", "IES/2026/0001", "2026-11-02")
    w.application("a_zurina", "c_zurina", "IES/2026/0002", "2026-11-03")
    w.application("a_gone", "c_gone", "IES/2026/0003", "2026-11-04")
    w.decision("d_grant", "c_berzins", "a_berzins", cents=12345, number="LEM/2026/0001")
    w.decision("d_amend", "c_berzins", None, kind="amendment", cents=5000, number="LEM/2026/0002", amends="d_grant")
    w.decision("d_refusal", "c_zurina", "a_zurina", kind="refusal", number="LEM/2026/0003")
    w.decision("d_draft", "c_zurina", "a_zurina", status="draft")
    w.decision("d_gone", "c_gone", "a_gone", cents=100, number="LEM/2026/0004")
    w.push("decision_notifications", "n1", {"decision_id": w.id("d_grant"), "recipient_person_id": w.id("p_berzins"),
                                            "channel": "registered_post", "registered_on": "2026-11-11",
                                            "sent_on": "2026-11-11", "received_on": None,
                                            "deemed_notified_on": "2026-11-18", "note": None})
    w.push("household_statuses", "s_needy", {"household_id": w.id("h_ergli"), "status": "needy",
                                             "valid_from": "2026-11-01", "valid_to": "2027-01-31",
                                             "decision_id": w.id("d_grant"), "cancelled_from": None})
    w.push("household_statuses", "s_low", {"household_id": w.id("h_laudona"), "status": "low_income",
                                           "valid_from": "2026-11-01", "valid_to": "2027-04-30",
                                           "decision_id": w.id("d_draft"), "cancelled_from": None})
    w.push("clients", "c_gone", {}, op="delete")  # the last change: to a row the export leaves out
    return w


def export(world: World, **kwargs) -> dict:
    with world.engine.connect() as conn:
        return build_export(conn, as_of=kwargs.pop("as_of", NOW), **kwargs)


def ids(document: dict, dataset: str) -> list[str]:
    return [row["id"] for row in document["datasets"][dataset]]


def by_id(document: dict, dataset: str, row_id: str) -> dict:
    [row] = [row for row in document["datasets"][dataset] if row["id"] == row_id]
    return row


def test_the_datasets_hold_exactly_the_live_records_sorted_by_id(world):
    doc = export(world)
    w = world.id
    assert doc["format"] == EXPORT_FORMAT and doc["version"] == 1 and doc["generated_at"] == "2026-11-23T12:00:00Z"
    assert ids(doc, "clients") == sorted([w("c_berzins"), w("c_kenina"), w("c_zurina")])  # the deleted one is gone
    assert ids(doc, "applications") == sorted([w("a_berzins"), w("a_zurina")])  # and so is its application
    assert ids(doc, "decisions") == sorted([w("d_grant"), w("d_amend"), w("d_refusal")])  # no draft
    assert ids(doc, "household_statuses") == sorted([w("s_needy"), w("s_low")])
    with world.engine.connect() as conn:
        total = conn.execute(select(server_state.c.version)).scalar_one()
    assert 0 < doc["server_version"] < total  # the last change (the tombstone) is not part of the export


def test_rows_carry_identity_latvian_text_and_decimal_euros(world):
    doc, w = export(world), world.id
    assert by_id(doc, "clients", w("c_berzins")) == {
        "id": w("c_berzins"), "person_id": w("p_berzins"), "personal_code": "050385-12347", "given_name": "Jānis",
        "surname": "Bērziņš", "birth_date": "1985-03-05", "deceased_on": None, "parish_id": w("ergli"),
        "parish_name": "Ērgļu pagasts", "client_type": "voluntary", "target_groups": ["pensioner", "low_income"],
        "status": "active", "registered_on": "2026-01-15", "restricted": False}
    restricted = by_id(doc, "clients", w("c_kenina"))
    assert restricted["restricted"] is True and restricted["surname"] == "Ķēniņa"  # the state system is entitled
    assert by_id(doc, "clients", w("c_zurina"))["birth_date"] is None
    grant = by_id(doc, "decisions", w("d_grant"))
    assert grant["amount_eur"] == "123.45" and isinstance(grant["amount_eur"], str)
    assert grant["signed_at"] == "2026-11-10T12:30:00Z" and grant["issued_on"] == "2026-11-11"
    assert grant["approved_by_user_id"] == w("vadita") and grant["approved_by_name"] == "Vadītāja Šķēle"
    assert grant["notified_on"] == "2026-11-18" and grant["application_id"] == w("a_berzins")
    assert grant["legal_basis"] == ["SPSPL 33. panta pirmā daļa", "MK noteikumi Nr. 809, 5. punkts"]
    amendment = by_id(doc, "decisions", w("d_amend"))
    assert amendment["amount_eur"] == "50.00" and amendment["amends_decision_id"] == w("d_grant")
    assert by_id(doc, "decisions", w("d_refusal"))["amount_eur"] is None
    needy = by_id(doc, "household_statuses", w("s_needy"))
    assert needy["decision_id"] == w("d_grant") and needy["status"] == "needy"
    assert needy["member_person_ids"] == sorted([w("p_berzins"), w("p_kenina")])
    assert needy["client_ids"] == sorted([w("c_berzins"), w("c_kenina")])
    assert by_id(doc, "household_statuses", w("s_low"))["decision_id"] is None  # its decision is only a draft


def test_amounts_are_cents_turned_into_euro_strings_never_floats():
    def euros(value):
        return _Row("decisions", "x", 1, {"amount_cents": value}).euros("amount_cents")

    assert [euros(v) for v in (12345, 5, 0, 100, "2500", None)] == ["123.45", "0.05", "0.00", "1.00", "25.00", None]
    for bad in (1.5, True, "12.5", "abc"):
        with pytest.raises(ExportError):
            euros(bad)


def test_files_are_private_complete_and_described_by_the_manifest(world, tmp_path):
    out = tmp_path / "to-sopa" / "2026-11"
    paths = write_export(world.engine, out, now=NOW)
    stem = file_stem("2026-11-23T12:00:00Z")
    assert stem == "lieta-state-export-v1-20261123T120000Z"
    assert [p.name for p in paths] == [f"{stem}.json", *(f"{stem}-{name}.csv" for name in DATASETS), "manifest.json"]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temp files left behind
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths)
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["row_counts"] == {"clients": 3, "household_statuses": 2, "applications": 2, "decisions": 3}
    for entry in manifest["files"]:
        data = (out / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
    assert {e["name"]: e["rows"] for e in manifest["files"]}[f"{stem}-decisions.csv"] == 3

    raw = (out / f"{stem}.json").read_bytes()
    assert "Bērziņš".encode() in raw and "Žūriņa".encode() in raw and not raw.startswith(b"\xef\xbb\xbf")
    assert json.loads(raw) == export(world)

    clients_csv = (out / f"{stem}-clients.csv").read_bytes()
    assert clients_csv.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    with open(out / f"{stem}-clients.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert list(rows[0]) == list(DATASETS["clients"])
    assert {r["surname"] for r in rows} == {"Bērziņš", "Ķēniņa", "Žūriņa"}
    assert {r["given_name"] for r in rows} == {"Jānis", "Anna", "Žanete"}
    berzins = next(r for r in rows if r["surname"] == "Bērziņš")
    assert berzins["target_groups"] == "pensioner|low_income" and berzins["restricted"] == "false"
    assert berzins["parish_name"] == "Ērgļu pagasts" and berzins["deceased_on"] == ""
    with open(out / f"{stem}-decisions.csv", encoding="utf-8-sig", newline="") as handle:
        decisions = {r["id"]: r for r in csv.DictReader(handle, delimiter=";")}
    assert decisions[world.id("d_grant")]["amount_eur"] == "123.45"
    grant = decisions[world.id("d_grant")]
    assert grant["legal_basis"] == "SPSPL 33. panta pirmā daļa|MK noteikumi Nr. 809, 5. punkts"


def test_exports_are_deterministic_apart_from_the_timestamp(world, tmp_path):
    first, second = export(world), export(world, as_of=LATER)
    assert second["generated_at"] == "2026-11-23T15:07:00Z"
    assert {**first, "generated_at": None} == {**second, "generated_at": None}
    a = write_export(world.engine, tmp_path / "a", now=NOW)
    b = write_export(world.engine, tmp_path / "b", now=LATER)
    for one, other in zip(a[1:-1], b[1:-1]):  # the CSV files carry no timestamp: byte for byte the same
        assert one.read_bytes() == other.read_bytes()
    assert a[0].read_text("utf-8").replace("2026-11-23T12:00:00Z", "2026-11-23T15:07:00Z") == b[0].read_text("utf-8")


def test_a_parish_filter_keeps_that_parishs_clients_and_what_belongs_to_them(world, tmp_path):
    w = world.id
    doc = export(world, parish_ids={w("laudona")})
    assert doc["parish_ids"] == [w("laudona")]
    assert ids(doc, "clients") == [w("c_zurina")]
    assert ids(doc, "applications") == [w("a_zurina")]
    assert ids(doc, "decisions") == [w("d_refusal")]
    assert ids(doc, "household_statuses") == [w("s_low")]
    ergli = export(world, parish_ids={w("ergli")})
    assert ids(ergli, "clients") == sorted([w("c_berzins"), w("c_kenina")])
    assert ids(ergli, "decisions") == sorted([w("d_grant"), w("d_amend")])
    paths = write_export(world.engine, tmp_path / "out", formats=("csv",), parish_ids={w("laudona")}, now=NOW)
    assert [p.suffix for p in paths] == [".csv"] * 4 + [".json"]  # four datasets and the manifest
    assert json.loads(paths[-1].read_text("utf-8"))["row_counts"]["clients"] == 1


def test_write_export_refuses_an_unknown_format(world, tmp_path):
    with pytest.raises(ValueError):
        write_export(world.engine, tmp_path / "x", formats=("xml",), now=NOW)
    assert not (tmp_path / "x").exists()


# -- the schema -------------------------------------------------------------------------------------------------
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


KNOWN_KEYWORDS = {"$schema", "$id", "$ref", "$defs", "title", "description", "type", "const", "pattern", "format",
                  "minimum", "required", "properties", "items"}
TYPES = {"object": dict, "array": list, "string": str, "null": type(None), "boolean": bool}


def _errors(instance: Any, node: dict, root: dict, path: str = "$") -> list[str]:
    """A validator for the subset of JSON Schema 2020-12 the export schema uses (``jsonschema`` is not installed
    in this venv). Unknown keywords fail the test rather than pass silently."""
    unknown = set(node) - KNOWN_KEYWORDS
    assert not unknown, f"schema keyword(s) the test validator does not know: {unknown}"
    errors: list[str] = []
    if "$ref" in node:
        target = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        errors += _errors(instance, target, root, path)
    if "type" in node:
        kinds = [node["type"]] if isinstance(node["type"], str) else node["type"]
        ok = any(isinstance(instance, int) and not isinstance(instance, bool) if kind == "integer"
                 else isinstance(instance, TYPES[kind]) for kind in kinds)
        if not ok:
            return errors + [f"{path}: {instance!r} is not {kinds}"]
    if "const" in node and (instance != node["const"] or type(instance) is not type(node["const"])):
        errors.append(f"{path}: {instance!r} is not {node['const']!r}")
    if "pattern" in node and isinstance(instance, str) and not re.search(node["pattern"], instance):
        errors.append(f"{path}: {instance!r} does not match {node['pattern']}")
    if "minimum" in node and isinstance(instance, int) and instance < node["minimum"]:
        errors.append(f"{path}: {instance} < {node['minimum']}")
    if isinstance(instance, dict):
        errors += [f"{path}: {name!r} is required" for name in node.get("required", []) if name not in instance]
        for name, sub in node.get("properties", {}).items():
            if name in instance:
                errors += _errors(instance[name], sub, root, f"{path}.{name}")
    if isinstance(instance, list) and "items" in node:
        for index, item in enumerate(instance):
            errors += _errors(item, node["items"], root, f"{path}[{index}]")
    return errors


def validation_errors(document: dict) -> list[str]:
    errors = _errors(document, schema(), schema())
    try:
        import jsonschema
    except ImportError:
        return errors
    library = [e.message for e in jsonschema.Draft202012Validator(schema()).iter_errors(document)]
    assert bool(library) == bool(errors), (library, errors)
    return errors


def test_the_export_validates_against_its_schema(world):
    assert validation_errors(export(world)) == []
    assert validation_errors(export(world, parish_ids={world.id("laudona")})) == []


@pytest.mark.parametrize("damage", ["no_server_version", "no_surname", "float_amount", "bad_date", "bad_format"])
def test_a_damaged_document_fails_validation(world, damage):
    doc = copy.deepcopy(export(world))
    datasets = doc["datasets"]
    if damage == "no_server_version":
        del doc["server_version"]
    elif damage == "no_surname":
        del datasets["clients"][0]["surname"]
    elif damage == "float_amount":
        next(d for d in datasets["decisions"] if d["amount_eur"])["amount_eur"] = 123.45
    elif damage == "bad_date":
        datasets["applications"][0]["received_on"] = "02.11.2026"
    else:
        doc["format"] = "something-else"
    assert validation_errors(doc)


def test_the_schema_describes_every_field_the_code_writes():
    doc_schema = schema()
    assert doc_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for name, fields in DATASETS.items():
        item = doc_schema["properties"]["datasets"]["properties"][name]["items"]
        assert list(item["properties"]) == list(fields) == item["required"]
        assert all(prop.get("description") for prop in item["properties"].values())
