"""The central service over HTTP (in-process, on SQLite and PostgreSQL): push, pull, refusals, health."""

import base64
import datetime as dt

import pytest
from sqlalchemy import func, select

from storage.ids import HybridLogicalClock, new_id
from sync import protocol
from app.signing import KeyPair
from sync.protocol import Change, PullPage, PullRequest, PushBatch, PushReply
from tests.sync.conftest import PASSWORD
from sync.server.app import MEDIA_TYPE
from sync.server.schema import change_log, devices, server_state

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)


@pytest.fixture
def service(central):
    """A laptop enrolled and signed in through the real endpoints (its own key pair, a one-time code)."""
    client, keys, laptop = central.http, KeyPair.generate(), new_id()
    enrolled = client.post("/v1/enrol", json={"code": central.code(central.parish_a), "device_id": str(laptop),
                                              "name": "Ērgļu pagasts", "public_keys": keys.public().to_text()})
    assert enrolled.status_code == 200 and enrolled.json()["parish_ids"] == [central.parish_a]
    signature = base64.b64encode(keys.sign(protocol.login_message(laptop, "anna"))).decode()
    signed = client.post("/v1/sign-in", json={"device_id": str(laptop), "login": "anna", "password": PASSWORD,
                                              "signature": signature})
    assert signed.status_code == 200
    client.headers.update({"authorization": f"Bearer {signed.json()['token']}", "x-lieta-device": str(laptop)})
    global PARISH, USER  # what changes() writes: anna's parish, as anna
    PARISH, USER = central.parish_a, central.users["anna"]
    yield client, central.engine, laptop


def changes(laptop, n, start=1):
    clock = HybridLogicalClock()
    return [Change(op_id=new_id(), tx_id=new_id(), device_id=laptop, device_seq=start + i, user_id=USER,
                   entity="persons", row_id=new_id(), op="insert", base_version=None,
                   fields={"surname": "Bērziņš", "given_name": "Jānis", "parish_id": PARISH}, hlc=clock.now(),
                   schema_version=5)
            for i in range(n)]


def post(client, path, message):
    return client.post(path, content=protocol.encode(message), headers={"content-type": MEDIA_TYPE})


def logged(engine, laptop=None):
    """Changes in the feed (those ``laptop`` sent, when given)."""
    with engine.connect() as conn:
        query = select(func.count()).select_from(change_log)
        if laptop is not None:
            query = query.where(change_log.c.device_id == laptop)
        return conn.execute(query).scalar_one()


def test_push_then_pull_over_http_and_a_retry_applies_once(service):
    client, engine, laptop = service
    batch = PushBatch(laptop, None, 5, changes(laptop, 3))
    for _ in range(2):  # the first reply was lost on a bad link
        response = post(client, "/v1/push", batch)
        assert response.status_code == 200 and response.headers["content-type"] == MEDIA_TYPE
    reply = protocol.decode(response.content, PushReply)
    assert reply.last_applied_seq == 3 and {r.result for r in reply.results} == {"duplicate"}
    assert logged(engine, laptop) == 3
    page = protocol.decode(post(client, "/v1/pull", PullRequest(laptop, reply.epoch, 0, 5)).content, PullPage)
    mine = [c for c in page.changes if c.device_id == laptop]
    assert len(mine) == 3 and [c.server_version for c in page.changes] == list(range(1, 12)) and not page.has_more


@pytest.mark.parametrize("damage", [lambda p: p[:-5], lambda p: p[:30] + b"\x00" + p[31:], lambda p: b"hello"])
def test_a_damaged_push_is_refused_with_400_and_nothing_applied(service, damage):
    client, engine, laptop = service
    payload = damage(protocol.encode(PushBatch(laptop, None, 5, changes(laptop, 2))))
    response = client.post("/v1/push", content=payload, headers={"content-type": MEDIA_TYPE})
    assert response.status_code == 400 and response.json()["error"] == "corrupt_payload"
    assert logged(engine, laptop) == 0


def test_unknown_and_revoked_laptops_are_refused(service):
    client, engine, laptop = service
    stranger = new_id()
    assert post(client, "/v1/push", PushBatch(stranger, None, 5, changes(stranger, 1))).status_code == 403
    with engine.begin() as conn:
        conn.execute(devices.update().values(revoked_at=NOW))
    response = post(client, "/v1/push", PushBatch(laptop, None, 5, changes(laptop, 1)))
    assert response.status_code == 410 and response.json()["error"] == "revoked_device"
    assert logged(engine, laptop) == 0


def test_an_old_client_may_push_but_gets_426_on_pull(service):
    client, engine, laptop = service
    assert post(client, "/v1/push", PushBatch(laptop, None, 2, changes(laptop, 1))).status_code == 200
    response = post(client, "/v1/pull", PullRequest(laptop, None, 0, 2))
    assert response.status_code == 426 and "unsent work was kept" in response.json()["message"]


def test_a_request_over_the_size_limit_is_refused_before_reading(service, monkeypatch):
    client, _engine, laptop = service
    from sync.server import app as server_app

    monkeypatch.setattr(server_app, "MAX_BODY", 100)
    response = post(client, "/v1/push", PushBatch(laptop, None, 5, changes(laptop, 50)))
    assert response.status_code == 413


def test_health_and_metrics(service):
    client, engine, laptop = service
    post(client, "/v1/push", PushBatch(laptop, None, 5, changes(laptop, 2)))
    health = client.get("/health").json()
    with engine.connect() as conn:
        assert health["epoch"] == conn.execute(select(server_state.c.epoch)).scalar_one()
    assert health["version"] == 10 and health["protocol"] == protocol.PROTOCOL_VERSION  # 8 of set-up, 2 pushed
    metrics = client.get("/metrics").text
    assert "lieta_server_version 10" in metrics and 'lieta_sync_events_total{event="ops_applied"} 2' in metrics
    assert "Bērziņš" not in metrics


def test_a_laptop_cannot_send_another_laptops_changes(service):
    client, engine, laptop = service
    other = new_id()
    response = post(client, "/v1/push", PushBatch(other, None, 5, changes(other, 1)))
    assert response.status_code == 403 and response.json()["error"] == "foreign_device"
    assert logged(engine, other) == 0


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Basic YW5uYTpwYXJvbGU=", ""])
def test_a_wrong_token_is_refused_with_401(service, header):
    client, engine, laptop = service
    client.headers["authorization"] = header
    response = post(client, "/v1/push", PushBatch(laptop, None, 5, changes(laptop, 1)))
    assert response.status_code == 401 and response.json()["error"] == "token_invalid"
    assert logged(engine, laptop) == 0


def test_an_enrolment_code_works_once_and_a_wrong_password_is_refused(central):
    code = central.code(central.parish_a)
    keys = KeyPair.generate()
    first = central.http.post("/v1/enrol", json={"code": code, "device_id": str(new_id()), "name": "a",
                                                 "public_keys": keys.public().to_text()})
    again = central.http.post("/v1/enrol", json={"code": code, "device_id": str(new_id()), "name": "b",
                                                 "public_keys": keys.public().to_text()})
    assert first.status_code == 200 and again.status_code == 403 and "already used" in again.json()["message"]
    laptop = first.json()["device_id"]
    signature = base64.b64encode(keys.sign(protocol.login_message(laptop, "anna"))).decode()
    wrong = central.http.post("/v1/sign-in", json={"device_id": laptop, "login": "anna", "password": "nepareiza",
                                                   "signature": signature})
    assert wrong.status_code == 401 and wrong.json()["error"] == "sign_in_refused"
    forged = central.http.post("/v1/sign-in", json={"device_id": laptop, "login": "anna", "password": PASSWORD,
                                                    "signature": base64.b64encode(b"x" * 64).decode()})
    assert forged.status_code == 403


def test_openapi_describes_every_endpoint(central):
    spec = central.http.get("/openapi.json").json()
    assert {"/v1/enrol", "/v1/sign-in", "/v1/push", "/v1/pull", "/health", "/metrics"} <= set(spec["paths"])
    assert "426" in spec["paths"]["/v1/pull"]["post"]["responses"]
