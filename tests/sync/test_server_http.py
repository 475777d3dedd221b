"""The central service over HTTP (in-process, on SQLite and PostgreSQL): push, pull, refusals, health."""

import datetime as dt

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from storage.ids import HybridLogicalClock, new_id
from sync import protocol
from sync.protocol import Change, PullPage, PullRequest, PushBatch, PushReply
from sync.server.app import MEDIA_TYPE, create_app
from sync.server.database import initialise
from sync.server.schema import change_log, devices, server_state

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)


@pytest.fixture
def service(server_engine):
    initialise(server_engine)
    laptop = new_id()
    with server_engine.begin() as conn:
        conn.execute(devices.insert().values(id=laptop, name="Ērgļu pagasts", last_applied_seq=0, parish_ids=[],
                                             enrolled_at=NOW))
    with TestClient(create_app(server_engine)) as client:
        yield client, server_engine, laptop


def changes(laptop, n, start=1):
    clock = HybridLogicalClock()
    return [Change(op_id=new_id(), tx_id=new_id(), device_id=laptop, device_seq=start + i, user_id=None,
                   entity="persons", row_id=new_id(), op="insert", base_version=None,
                   fields={"surname": "Bērziņš", "given_name": "Jānis"}, hlc=clock.now(), schema_version=4)
            for i in range(n)]


def post(client, path, message):
    return client.post(path, content=protocol.encode(message), headers={"content-type": MEDIA_TYPE})


def logged(engine):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(change_log)).scalar_one()


def test_push_then_pull_over_http_and_a_retry_applies_once(service):
    client, engine, laptop = service
    batch = PushBatch(laptop, None, 4, changes(laptop, 3))
    for _ in range(2):  # the first reply was lost on a bad link
        response = post(client, "/v1/push", batch)
        assert response.status_code == 200 and response.headers["content-type"] == MEDIA_TYPE
    reply = protocol.decode(response.content, PushReply)
    assert reply.last_applied_seq == 3 and {r.result for r in reply.results} == {"duplicate"}
    assert logged(engine) == 3
    page = protocol.decode(post(client, "/v1/pull", PullRequest(laptop, reply.epoch, 0, 4)).content, PullPage)
    assert [c.server_version for c in page.changes] == [1, 2, 3] and not page.has_more


@pytest.mark.parametrize("damage", [lambda p: p[:-5], lambda p: p[:30] + b"\x00" + p[31:], lambda p: b"hello"])
def test_a_damaged_push_is_refused_with_400_and_nothing_applied(service, damage):
    client, engine, laptop = service
    payload = damage(protocol.encode(PushBatch(laptop, None, 4, changes(laptop, 2))))
    response = client.post("/v1/push", content=payload, headers={"content-type": MEDIA_TYPE})
    assert response.status_code == 400 and response.json()["error"] == "corrupt_payload"
    assert logged(engine) == 0


def test_unknown_and_revoked_laptops_are_refused(service):
    client, engine, laptop = service
    stranger = new_id()
    assert post(client, "/v1/push", PushBatch(stranger, None, 4, changes(stranger, 1))).status_code == 403
    with engine.begin() as conn:
        conn.execute(devices.update().values(revoked_at=NOW))
    response = post(client, "/v1/push", PushBatch(laptop, None, 4, changes(laptop, 1)))
    assert response.status_code == 410 and response.json()["error"] == "revoked_device"
    assert logged(engine) == 0


def test_an_old_client_may_push_but_gets_426_on_pull(service):
    client, engine, laptop = service
    assert post(client, "/v1/push", PushBatch(laptop, None, 2, changes(laptop, 1))).status_code == 200
    response = post(client, "/v1/pull", PullRequest(laptop, None, 0, 2))
    assert response.status_code == 426 and "unsent work was kept" in response.json()["message"]


def test_a_request_over_the_size_limit_is_refused_before_reading(service, monkeypatch):
    client, _engine, laptop = service
    from sync.server import app as server_app

    monkeypatch.setattr(server_app, "MAX_BODY", 100)
    response = post(client, "/v1/push", PushBatch(laptop, None, 4, changes(laptop, 50)))
    assert response.status_code == 413


def test_health_and_metrics(service):
    client, engine, laptop = service
    post(client, "/v1/push", PushBatch(laptop, None, 4, changes(laptop, 2)))
    health = client.get("/health").json()
    with engine.connect() as conn:
        assert health["epoch"] == conn.execute(select(server_state.c.epoch)).scalar_one()
    assert health["version"] == 2 and health["protocol"] == protocol.PROTOCOL_VERSION
    metrics = client.get("/metrics").text
    assert "lieta_server_version 2" in metrics and 'lieta_sync_events_total{event="ops_applied"} 2' in metrics
    assert "Bērziņš" not in metrics
