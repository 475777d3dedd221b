"""The central service's database: created once, epochs, SQLite writers queue instead of failing."""

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from storage.ids import HybridLogicalClock, new_id
from sync.protocol import Change, PushBatch
from sync.server.apply import apply_push
from sync.server.database import initialise, open_engine
from sync.server.schema import change_log, devices, metadata, server_state

ROOT = Path(__file__).resolve().parents[2]


def server_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "sync.server_cli", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


def epoch_of(url):
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(server_state.c.epoch)).scalar_one()
    finally:
        engine.dispose()


def test_init_is_idempotent_and_a_restore_starts_a_new_epoch(tmp_path, postgres_url):
    for url in (f"sqlite:///{tmp_path}/central.db", postgres_url):
        if url == postgres_url:  # the session's cluster is shared: start from an empty database
            engine = open_engine(url)
            metadata.drop_all(engine)
            engine.dispose()
        first = server_cli("--database-url", url, "init")
        assert first.returncode == 0, first.stderr
        epoch = epoch_of(url)
        assert server_cli("--database-url", url, "init").returncode == 0 and epoch_of(url) == epoch
        assert server_cli("--database-url", url, "new-epoch").returncode == 0 and epoch_of(url) != epoch


def test_a_bad_database_url_is_a_clear_error_without_the_url_s_secrets(tmp_path):
    result = server_cli("--database-url", "postgresql+psycopg://user:Slepens-2026@127.0.0.1:1/none", "init")
    assert result.returncode == 1 and "the command failed" in result.stderr
    assert "Slepens-2026" not in result.stderr + result.stdout


def test_sqlite_writers_queue_on_the_write_lock(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path}/central.db")
    initialise(engine)
    laptops = [new_id() for _ in range(3)]
    with engine.begin() as conn:
        for laptop in laptops:
            conn.execute(devices.insert().values(id=laptop, name="x", last_applied_seq=0, parish_ids=[],
                                                 enrolled_at=dt.datetime.now(dt.timezone.utc)))
    errors = []

    def pusher(laptop):
        clock = HybridLogicalClock()
        try:
            for seq in range(1, 21):
                change = Change(op_id=new_id(), tx_id=new_id(), device_id=laptop, device_seq=seq, user_id=None,
                                entity="persons", row_id=new_id(), op="insert", base_version=None,
                                fields={"surname": "Ozols"}, hlc=clock.now(), schema_version=4)
                with engine.begin() as conn:
                    apply_push(conn, PushBatch(laptop, None, 4, [change]), HybridLogicalClock(), authorise=False)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=pusher, args=(laptop,)) for laptop in laptops]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as conn:
        versions = conn.execute(select(change_log.c.server_version).order_by(change_log.c.server_version)).scalars()
        assert list(versions) == list(range(1, 61))
        assert conn.execute(select(func.max(server_state.c.version))).scalar_one() == 60
    engine.dispose()
    assert not errors


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(tmp_path, *extra):
    port = _free_port()
    env = {**os.environ, "LIETA_SERVER_DATA_DIR": str(tmp_path / "service")}
    process = subprocess.Popen([sys.executable, "-m", "sync.server_cli", "serve", "--port", str(port), *extra],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait(fetch):
    for _ in range(100):
        try:
            return fetch()
        except (httpx.TransportError, OSError):
            time.sleep(0.1)
    raise AssertionError("the service did not start")


def test_serve_answers_on_loopback_and_logs_json_lines_without_personal_data(tmp_path):
    with serving(tmp_path) as (port, process):
        health = _wait(lambda: httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)).json()
        assert health["status"] == "ok" and health["protocol"] == 1
        refused = httpx.post(f"http://127.0.0.1:{port}/v1/sign-in", json={"device_id": str(new_id()), "login": "anna",
                                                                         "password": "Bērziņš-010190", "signature": ""})
        assert refused.status_code in (400, 403)
    log = process.stderr.read()
    assert "Bērziņš" not in log


def test_serve_beyond_this_computer_needs_tls(tmp_path):
    result = server_cli("serve", "--host", "0.0.0.0", env={"LIETA_SERVER_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2 and "needs TLS" in result.stderr


def test_tls_with_a_pinned_self_signed_certificate_and_a_changed_one_is_refused(tmp_path):
    from sync.client import CertificateChanged, _post, fetch_certificate, http_client
    from sync.server.tls import write_self_signed

    cert, key = write_self_signed(tmp_path / "tls", "127.0.0.1")
    other, _ = write_self_signed(tmp_path / "other", "127.0.0.1")
    with serving(tmp_path, "--tls-cert", str(cert), "--tls-key", str(key)) as (port, _process):
        url = f"https://127.0.0.1:{port}"
        pinned = _wait(lambda: fetch_certificate(url))  # trusted on first use, at enrolment
        assert pinned.strip() == cert.read_text().strip()
        with http_client(url, pinned) as client:
            assert client.get("/health").json()["status"] == "ok"
        with http_client(url, other.read_text()) as client, pytest.raises(CertificateChanged):
            _post(client, "/health", b"", {})
