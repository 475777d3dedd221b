"""Benchmark of sync (issue 4; not a test): push throughput, bytes on the wire, a worker's day on a slow link.

    .venv/bin/python bench/bench_sync.py [--changes 20000] [--pg-url URL] [--out docs/benchmarks.md]

Three figures, each against a baseline measured in the same run:

1. **Push throughput on PostgreSQL over loopback.** The real service (``sync.server.app``) runs under uvicorn in
   a child process on 127.0.0.1 (a real socket) against PostgreSQL; a laptop enrols and signs in through the
   API and pushes ``--changes`` new ``persons`` records in batches of 500 through httpx with the protocol
   encoding, timed end to end (encode, HTTP, decode, apply, commit, reply). Baseline: the same records
   upserted into a bare table ``(id uuid primary key, fields jsonb)`` with ``INSERT … ON CONFLICT (id) DO
   UPDATE`` in batches of 500 through psycopg ``executemany``, one transaction per batch. The server's apply
   path is then profiled once in this process (cProfile; protocol decode + ``apply_push`` + reply encode).
2. **Bytes on the wire per change.** The encoded ``PushBatch`` of a worker's day (about 200 changes made
   through the ORM on an enrolled laptop: consultations, person edits of one or two fields, new clients with
   their cases, tasks done) vs the same changes' fields as one zstd level 3 blob (the JSON list of the
   fields). The 500-change person batches of (1) are reported the same way.
3. **A worker's day over 64 kbit/s with 300 ms latency.** ``SyncEngine.sync`` (push, then pull) of that day
   against the same service, through an httpx transport that counts every request's and response's bytes
   (HTTP/1.1 request/status line, headers and body; not TCP/TLS framing). Time = the real time of the round
   on loopback (laptop and service CPU, databases) + per request 300 ms + bytes × 8 / 64,000 s (accounted
   virtually, not slept). Baseline: the physical transfer time of the day's changes, bytes × 8 / 64,000 s of
   the encoded push batch from (2). The sign-in is not counted: the day's token is fresh.

Without ``--pg-url`` a throwaway PostgreSQL cluster is started from the installed binaries (as the
``postgres`` user when run as root), on a Unix socket only, and removed afterwards. With ``--pg-url`` (a
SQLAlchemy URL, ``postgresql+psycopg://…``) a scratch database ``lieta_bench_<random>`` is created on that
server (needs CREATEDB) and dropped afterwards; nothing else there is touched.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import datetime as dt
import glob
import io
import json
import os
import platform
import pstats
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["LIETA_KDF_PROFILE"] = "minimum"  # laptop stores are made here; unlock cost is bench_store's subject

import httpx  # noqa: E402
import zstandard  # noqa: E402
from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import demo_names as names  # noqa: E402
from app.personal_code import fake_new_code, fake_old_code  # noqa: E402
from storage.ids import HybridLogicalClock, new_id  # noqa: E402
from storage.migrate import SCHEMA_VERSION  # noqa: E402
from storage.outbox import content_columns, to_wire  # noqa: E402
from sync import protocol  # noqa: E402
from app.signing import KeyPair  # noqa: E402
from sync.protocol import Change, PushBatch, PushReply  # noqa: E402
from benchdoc import write_section  # noqa: E402  (bench/, the script's own folder)

PASSWORD = "Bench-parole-2026!"
MEDIA_TYPE = "application/x-lieta-sync"
BATCH = 500
LINK_BPS, LINK_LATENCY = 64_000, 0.300
TODAY = dt.date.today()
AIMS = {"push": 12_000, "bytes": 1.3, "day": 5.0}
#: sentence templates of a journal note; the slots make each note differ as real notes do
SENTENCES = [
    "Klients ieradās pats, noskaņojums {mood}.", "Pārrunāta situācija ģimenē pēc {date} tikšanās.",
    "Klientei izskaidrota {benefit} piešķiršanas kārtība un nepieciešamie dokumenti.",
    "Vienojāmies, ka līdz {date} tiks iesniegta izziņa par ienākumiem no {employer}.",
    "{child} apmeklē skolu {regular}; klases audzinātāja {teacher} to apstiprina.",
    "Apkures parāds {debt_change} par {amount} EUR, kopā {total} EUR.",
    "Klients joprojām nav reģistrējies NVA; motivēts to izdarīt līdz {date}.",
    "Sazinājos ar ģimenes ārsti {doctor} par vizītes laiku; pieraksts {weekday} plkst. {hour}.",
    "Mājoklī {temp} grādi, malkas krājumi pietiks apmēram {n} nedēļām.", "{institution} informēta telefoniski.",
    "Klientam nepieciešama palīdzība ar zāļu iegādi ({amount} EUR mēnesī); sazināšos ar aptieku {village}.",
    "Pārrunāts aprūpes mājās pakalpojuma apjoms; aprūpētāja {carer} nāk {n} reizes nedēļā.",
    "Ģimene lūdz atbalstu skolas piederumu iegādei {n} bērniem.",
    "{relative} strādā sezonas darbos {employer}, ienākumi neregulāri (pēdējā mēnesī {amount} EUR).",
    "Klientei sniegta informācija par psihologa konsultācijām {village}; pirmā konsultācija {date}.",
    "Nākamā tikšanās norunāta {date} dzīvesvietā, {address}.",
    "Iesniegums Nr. {number} par trūcīgas mājsaimniecības statusu pieņemts.",
    "Kaimiņiene {neighbour} ziņo, ka klients {n} dienas nav redzēts; apmeklējums {weekday}.",
    "Klients atteicās no piedāvātā {service}, atteikums fiksēts.", "Dokumenti nosūtīti {institution} {date}.",
    "Ēdiena paka saņemta {date}; {relative} palīdz ar transportu.",
    "Īres parāds {total} EUR; vienošanās ar {employer} par maksājumu grafiku {n} mēnešiem.",
]
MOODS = ["mierīgs", "satraukts", "noguris", "optimistisks", "nomākts", "sadarbīgs"]
BENEFITS = ["mājokļa pabalsta", "GMI pabalsta", "krīzes pabalsta", "veselības aprūpes pabalsta", "apbedīšanas pabalsta"]
EMPLOYERS = ["SIA „Ērgļu mežs”", "z/s „Kalnāji”", "novada pašvaldības", "SIA „Madonas ceļi”", "VSAA",
             "Sausnējas skolas"]
INSTITUTIONS = ["Bāriņtiesa", "Valsts policija", "Sausnējas pamatskola", "NVA filiāle", "Ģimenes ārsta prakse"]
SERVICES = ["aprūpes mājās pakalpojuma", "dienas centra apmeklējuma", "ģimenes asistenta", "psihologa konsultāciju"]
WEEKDAYS = ["pirmdien", "otrdien", "trešdien", "ceturtdien", "piektdien"]


# -- PostgreSQL: a throwaway cluster or a scratch database ------------------------------------------------------
def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise SystemExit("PostgreSQL is not installed (apt install postgresql); or pass --pg-url")
    return found[-1]


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Postgres:
    """A database for the run; ``url`` is for SQLAlchemy, ``conninfo`` for psycopg."""

    def __init__(self, given_url: str | None) -> None:
        self.folder: Path | None = None
        if given_url:
            self.admin_url = make_url(given_url)
        else:
            self.folder = Path(tempfile.mkdtemp(prefix="lieta-bench-pg-"))
            data, port = self.folder / "data", "54339"
            if os.geteuid() == 0:
                shutil.chown(self.folder, "postgres", "postgres")
            subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "lieta",
                                         "--no-sync", "-E", "UTF8"]), check=True, capture_output=True)
            subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-l", str(self.folder / "server.log"),
                                         "-w", "-o", f"-k {self.folder} -p {port} -c listen_addresses=''", "start"]),
                           check=True, capture_output=True)
            self.admin_url = make_url(f"postgresql+psycopg://lieta@/postgres?host={self.folder}&port={port}")
        self.database = f"lieta_bench_{secrets.token_hex(4)}"
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.database}"'))
            self.server_version = conn.execute(text("SHOW server_version")).scalar_one().split()[0]
            self.fsync = conn.execute(text("SHOW fsync")).scalar_one()
        host = self.admin_url.query.get("host") or self.admin_url.host or ""
        self.transport = "Unix socket" if not host or str(host).startswith("/") else f"TCP to {host}"
        admin.dispose()
        url = self.admin_url.set(database=self.database)
        self.url = url.render_as_string(hide_password=False)
        self.conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)

    def close(self) -> None:
        if self.folder is not None:
            subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                                         "stop"]), capture_output=True)
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
        admin.dispose()


# -- the service under uvicorn, in a child process ----------------------------------------------------------------
def serve(url: str, port: int) -> None:
    """Child: the real application on 127.0.0.1:port (as ``lieta-server`` serves it, without TLS)."""
    import uvicorn

    from sync.server.app import create_app
    from sync.server.database import open_engine

    uvicorn.run(create_app(open_engine(url)), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def start_service(url: str) -> tuple[str, subprocess.Popen]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    child = subprocess.Popen([sys.executable, __file__, "--serve", url, "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return base, child
        except httpx.TransportError:
            time.sleep(0.2)
        if child.poll() is not None:
            break
    child.kill()
    raise SystemExit("the service did not start")


# -- the service's staff and laptops ----------------------------------------------------------------------------
def provision(engine) -> dict[str, Any]:
    """Two parishes; anna (the push laptop's worker) in the first, līga (the worker's day) in the second."""
    from sync.server.auth import add_user
    from sync.server.database import initialise
    from sync.server.directory import add_parish

    initialise(engine)
    clock = HybridLogicalClock()
    with engine.begin() as conn:
        first = str(add_parish(conn, clock, names.PARISHES[0][0]))
        second = str(add_parish(conn, clock, names.PARISHES[2][0]))
        anna = add_user(conn, clock, login="anna", display_name="Anna Kalniņa", roles=["social_worker"],
                        parish_ids=[first], password=PASSWORD)
        liga = add_user(conn, clock, login="liga", display_name="Līga Bērziņa", roles=["social_worker"],
                        parish_ids=[second], password=PASSWORD)
    return {"push_parish": first, "day_parish": second, "anna": anna, "liga": liga}


def enrolment_code(engine, parish: str) -> str:
    from sync.server.auth import create_enrolment_code

    with engine.begin() as conn:
        return create_enrolment_code(conn, [parish])


def api_laptop(http: httpx.Client, engine, parish: str, login: str) -> uuid.UUID:
    """Enrol a laptop and sign ``login`` in through the real endpoints; ``http`` carries the token after."""
    keys, laptop = KeyPair.generate(), new_id()
    enrolled = http.post("/v1/enrol", json={"code": enrolment_code(engine, parish), "device_id": str(laptop),
                                           "name": "bench", "public_keys": keys.public().to_text()})
    enrolled.raise_for_status()
    signature = base64.b64encode(keys.sign(protocol.login_message(laptop, login))).decode()
    signed = http.post("/v1/sign-in", json={"device_id": str(laptop), "login": login, "password": PASSWORD,
                                            "signature": signature})
    signed.raise_for_status()
    http.headers.update({"authorization": f"Bearer {signed.json()['token']}", "x-lieta-device": str(laptop)})
    return laptop


# -- (1) push throughput ------------------------------------------------------------------------------------------
def person_fields(rng: random.Random, parish_id: str) -> dict[str, Any]:
    """Every content column of a new ``persons`` row, as the laptop's outbox sends an insert."""
    from storage.models import Person

    gender = rng.choice(["male", "female"])
    male, female, _w = rng.choices(names.SURNAMES, [w for _m, _f, w in names.SURNAMES])[0]
    born = dt.date.fromordinal(rng.randrange(dt.date(1935, 1, 1).toordinal(), dt.date(2020, 12, 31).toordinal()))
    parish, village, postcode = names.PARISHES[0]
    address = (f"{rng.choice(names.STREETS)} {rng.randrange(1, 60)}-{rng.randrange(1, 30)}, {village}, "
               f"{parish.replace('pagasts', 'pag.')}, {names.MUNICIPALITY}, {postcode}") if rng.random() < 0.5 else \
        f"„{rng.choice(names.HOMESTEADS)}”, {parish.replace('pagasts', 'pag.')}, {names.MUNICIPALITY}, {postcode}"
    values = {
        "given_name": rng.choice(names.MALE_NAMES if gender == "male" else names.FEMALE_NAMES),
        "surname": male if gender == "male" else female,
        "personal_code": fake_old_code(born, rng) if born <= dt.date(2017, 6, 30) else fake_new_code(rng),
        "birth_date": born, "gender": gender, "address": address, "parish_id": parish_id,
        "phone": f"+371 2{rng.randrange(1000000, 9999999)}" if rng.random() < 0.8 else None,
        "email": None, "language": "lv", "contact_preference": None, "deceased_on": None, "deleted": False,
    }
    return {name: to_wire(values.get(name)) for name in content_columns(Person)}


def person_changes(device: uuid.UUID, user: uuid.UUID, parish: str, n: int, seed: int) -> list[Change]:
    rng, clock = random.Random(seed), HybridLogicalClock()
    return [Change(op_id=new_id(), tx_id=new_id(), device_id=device, device_seq=i + 1, user_id=user,
                   entity="persons", row_id=new_id(), op="insert", base_version=None,
                   fields=person_fields(rng, parish), hlc=clock.now(), schema_version=SCHEMA_VERSION)
            for i in range(n)]


def batches(device: uuid.UUID, changes: list[Change], size: int = BATCH) -> list[PushBatch]:
    return [PushBatch(device_id=device, epoch=None, schema_version=SCHEMA_VERSION, changes=changes[i:i + size])
            for i in range(0, len(changes), size)]


def bench_push(http: httpx.Client, device: uuid.UUID, changes: list[Change]) -> dict[str, Any]:
    results: dict[str, int] = defaultdict(int)
    sizes, laps = [], []
    start = time.perf_counter()
    for batch in batches(device, changes):
        lap = time.perf_counter()
        payload = protocol.encode(batch)
        sizes.append(len(payload))
        response = http.post("/v1/push", content=payload, headers={"content-type": MEDIA_TYPE})
        response.raise_for_status()
        for result in protocol.decode(response.content, PushReply).results:
            results[result.result] += 1
        laps.append(time.perf_counter() - lap)
    seconds = time.perf_counter() - start
    ends = min(5, len(laps))
    return {"seconds": seconds, "rate": len(changes) / seconds, "results": dict(results), "wire_bytes": sum(sizes),
            "first_rate": ends * BATCH / sum(laps[:ends]), "last_rate": ends * BATCH / sum(laps[-ends:])}


def bench_bare_upsert(conninfo: str, changes: list[Change]) -> dict[str, Any]:
    import psycopg
    from psycopg.types.json import Jsonb

    with psycopg.connect(conninfo) as conn:
        conn.execute("CREATE TABLE bare_records (id uuid PRIMARY KEY, fields jsonb NOT NULL)")
        conn.commit()
        sql = ("INSERT INTO bare_records (id, fields) VALUES (%s, %s) "
               "ON CONFLICT (id) DO UPDATE SET fields = EXCLUDED.fields")
        start = time.perf_counter()
        for i in range(0, len(changes), BATCH):
            with conn.cursor() as cursor:
                cursor.executemany(sql, [(c.row_id, Jsonb(c.fields)) for c in changes[i:i + BATCH]])
            conn.commit()
        seconds = time.perf_counter() - start
        rows = conn.execute("SELECT count(*) FROM bare_records").fetchone()[0]
        conn.execute("DROP TABLE bare_records")
        conn.commit()
    assert rows == len(changes)
    return {"seconds": seconds, "rate": len(changes) / seconds}


def profile_apply(url: str, parish: str, user: uuid.UUID, n: int) -> dict[str, Any]:
    """The server's push path without HTTP, under cProfile: decode, apply_push in one transaction per batch, encode
    the reply — as ``sync.server.app`` does, minus the token check. Also counts SQL statements per change."""
    from sync.server.apply import apply_push
    from sync.server.auth import enrol
    from sync.server.database import open_engine

    engine = open_engine(url)
    clock = HybridLogicalClock()
    device = new_id()
    with engine.begin() as conn:
        enrol(conn, clock, code=enrolment_code(engine, parish), device_id=device, name="profile",
              public_keys=KeyPair.generate().public().to_text())
    payloads = [protocol.encode(b) for b in batches(device, person_changes(device, user, parish, n, seed=2))]
    statements = [0]
    sql_time: dict[str, float] = defaultdict(float)

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn, _cursor, _statement, _params, context, _many) -> None:
        statements[0] += 1
        context._bench_start = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _timed(_conn, _cursor, statement, _params, context, _many) -> None:
        sql_time[" ".join(statement.split()[:3])] += time.perf_counter() - context._bench_start

    def run(selected: list[bytes]) -> None:
        for payload in selected:
            batch = protocol.decode(payload, PushBatch)
            with engine.begin() as conn:
                reply = apply_push(conn, batch, clock)
            assert all(r.result == "applied" for r in reply.results), reply.results[:3]
            protocol.encode(reply)

    start = time.perf_counter()  # unprofiled first half: the apply path's own rate
    run(payloads[:len(payloads) // 2])
    plain_seconds = time.perf_counter() - start
    plain_changes = len(payloads) // 2 * BATCH
    in_sql = sorted(((kind, seconds / plain_seconds) for kind, seconds in sql_time.items()), key=lambda k: -k[1])
    statements[0] = 0
    profiler = cProfile.Profile()
    profiler.enable()
    run(payloads[len(payloads) // 2:])
    profiler.disable()
    profiled_changes = (len(payloads) - len(payloads) // 2) * BATCH
    engine.dispose()
    return {"rate": plain_changes / plain_seconds, "statements_per_change": statements[0] / profiled_changes,
            "in_sql": in_sql, "ms_per_change": plain_seconds / plain_changes * 1e3,
            **summarise_profile(profiler, profiled_changes)}


def _area(filename: str, function: str) -> str:
    if "psycopg" in filename:
        return "psycopg (PostgreSQL round trips, adaptation)"
    if "sqlalchemy" in filename:
        return "SQLAlchemy Core (statement building, compiling, results)"
    if "zstandard" in filename or filename.endswith(("json/encoder.py", "json/decoder.py", "json/__init__.py")) \
            or "zstd" in function:
        return "JSON + zstd"
    if "/sync/" in filename or "/storage/" in filename:
        return "Lieta (protocol checks, apply, scope)"
    if filename == "~" and ("method" in function or "built-in" in function):
        return "built-ins (uuid, dataclasses, dict, …)"
    return "other Python (uuid, dataclasses, typing, …)"


HOT_SPOTS = {
    "waiting for PostgreSQL (`psycopg` `wait`)": ("psycopg/connection.py", "wait"),
    "building statements (`.values(...)` coercion)": ("sqlalchemy/sql/dml.py", "values"),
    "statement cache keys (`_generate_cache_key`)": ("sqlalchemy/sql/cache_key.py", "_generate_cache_key"),
    "`next_version` (the one-row version counter, once per change)": ("sync/server/apply.py", "next_version"),
}


def summarise_profile(profiler: cProfile.Profile, changes: int) -> dict[str, Any]:
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    areas: dict[str, float] = defaultdict(float)
    for (filename, _line, function), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        areas[_area(filename, function)] += tt
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(25)
    pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(r"sync/|storage/", 30)
    cumulative = {}
    for (filename, _line, function), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        if "/sync/" in filename or "/storage/" in filename:
            key = f"{Path(filename).parent.name}/{Path(filename).name}:{function}"
            if key not in cumulative or cumulative[key][0] < ct:
                cumulative[key] = (ct, nc)
    top = sorted(cumulative.items(), key=lambda item: -item[1][0])[:14]
    hot = {}  # where the library time goes: waiting for PostgreSQL, building statements, their cache keys
    for label, (file_part, function) in HOT_SPOTS.items():
        found = [ct for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
                 if file_part in filename and name == function]
        hot[label] = max(found, default=0.0) / total
    return {"profile_total_s": total, "profile_changes": changes, "hot": hot,
            "areas": sorted(((name, seconds / total) for name, seconds in areas.items()), key=lambda a: -a[1]),
            "cumulative": [(name, ct / total, nc) for name, (ct, nc) in top], "profile_text": buffer.getvalue()}


# -- (2) and (3) a worker's day ------------------------------------------------------------------------------------
class LinkTransport(httpx.BaseTransport):
    """Counts each exchange's bytes (request line, headers, body; status line, headers, body) on a real socket."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.exchanges: list[tuple[str, int, int]] = []

    @staticmethod
    def _headers(raw: list[tuple[bytes, bytes]]) -> int:
        return sum(len(name) + len(value) + 4 for name, value in raw) + 2

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        sent = len(f"{request.method} {request.url.raw_path.decode()} HTTP/1.1\r\n") + \
            self._headers(request.headers.raw) + len(body)
        response = self.inner.handle_request(request)
        content = response.read()
        response.close()
        received = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n") + \
            self._headers(response.headers.raw) + len(content)
        self.exchanges.append((request.url.path, sent, received))
        return httpx.Response(response.status_code, headers=response.headers, content=content,
                              extensions=response.extensions, request=request)

    def close(self) -> None:
        self.inner.close()


def _occurred(rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(TODAY, dt.time(8 + rng.randrange(9), rng.randrange(60)), tzinfo=dt.timezone.utc)


def _note(rng: random.Random) -> str:
    """Two to four sentences with their own names, dates and amounts (synthetic, but not repetitive)."""
    def person() -> str:
        return f"{rng.choice(names.FEMALE_NAMES)} {rng.choice(names.SURNAMES)[1]}"

    slots = {"mood": rng.choice(MOODS), "benefit": rng.choice(BENEFITS), "employer": rng.choice(EMPLOYERS),
             "child": rng.choice(["Meita", "Dēls", "Mazdēls", "Vecākā meita"]) + " " + rng.choice(names.MALE_NAMES
                                                                                                  + names.FEMALE_NAMES),
             "regular": rng.choice(["regulāri", "neregulāri", "ar kavējumiem"]), "teacher": person(),
             "debt_change": rng.choice(["samazinājies", "pieaudzis"]), "amount": rng.randrange(15, 400),
             "total": rng.randrange(100, 3000), "doctor": person(), "weekday": rng.choice(WEEKDAYS),
             "hour": f"{rng.randrange(8, 17)}:{rng.choice(['00', '15', '30', '45'])}",
             "temp": rng.randrange(9, 22), "n": rng.randrange(2, 6), "institution": rng.choice(INSTITUTIONS),
             "village": rng.choice(names.PARISHES)[1], "carer": person(), "neighbour": person(),
             "relative": rng.choice(["Dēls", "Vīrs", "Meita", "Brālis", "Māsa"]),
             "date": (TODAY + dt.timedelta(days=rng.randrange(-30, 30))).strftime("%d.%m."),
             "address": f"{rng.choice(names.STREETS)} {rng.randrange(1, 60)}", "service": rng.choice(SERVICES),
             "number": f"{rng.randrange(1, 999)}/{TODAY.year}"}
    return " ".join(template.format(**slots) for template in rng.sample(SENTENCES, rng.randrange(2, 5)))


def new_client(session, rng: random.Random, parish_id: uuid.UUID, worker: uuid.UUID, *, journal: int) -> dict:
    """A person, their client record, an open case with a goal and a task, and ``journal`` entries."""
    from storage.models import CaseGoal, Client, Person, PlanTask, SocialCase

    fields = person_fields(rng, str(parish_id))
    fields.pop("deleted")
    fields["birth_date"], fields["parish_id"] = dt.date.fromisoformat(fields["birth_date"]), parish_id
    person = Person(**fields)
    session.add(person)
    session.flush()
    client = Client(person_id=person.id, client_type=rng.choice(["voluntary", "voluntary", "mandatory"]),
                    target_groups=[rng.choice(["low_income", "pensioner", "family_with_children", "disability"])],
                    registered_on=TODAY - dt.timedelta(days=rng.randrange(0, 900)), parish_id=parish_id,
                    responsible_user_id=worker, referral_source=rng.choice([None, "Bāriņtiesa", "Ģimenes ārsts"]))
    session.add(client)
    session.flush()
    case = SocialCase(client_id=client.id, opened_on=client.registered_on, reason=rng.choice(names.CASE_REASONS),
                      client_type=client.client_type, responsible_user_id=worker,
                      next_review_on=TODAY + dt.timedelta(days=rng.randrange(30, 180)))
    session.add(case)
    session.flush()
    goal = CaseGoal(case_id=case.id, text="Nodrošināt regulāru bērnu skolas apmeklējumu un samazināt apkures parādu.",
                    target_date=TODAY + dt.timedelta(days=180))
    session.add(goal)
    session.flush()
    task = PlanTask(case_id=case.id, client_id=client.id, goal_id=goal.id, responsible_kind="client",
                    description="Iesniegt izziņu par ienākumiem un vienoties ar siltumapgādi par parāda grafiku.",
                    deadline=TODAY + dt.timedelta(days=14))
    session.add(task)
    for _ in range(journal):
        session.add(journal_entry(rng, client.id, case.id, worker))
    session.flush()
    return {"person": person.id, "client": client.id, "case": case.id, "task": task.id}


def journal_entry(rng: random.Random, client_id, case_id, worker):
    from storage.models import JournalEntry

    kind = rng.choices(["consultation", "phone", "visit", "cooperation", "note"], [40, 30, 10, 10, 10])[0]
    return JournalEntry(client_id=client_id, case_id=case_id, occurred_at=_occurred(rng), kind=kind,
                        duration_minutes=rng.choice([10, 15, 30, 45, 60]), topic=rng.choice(names.CONSULTATION_TOPICS),
                        text=_note(rng), worker_user_id=worker,
                        participants=rng.choice([None, None, "Klients", "Klients, meita"]))


def work_a_day(store, rng: random.Random, parish_id: uuid.UUID, caseload: list[dict]) -> dict[str, int]:
    """About 200 changes, as one worker makes them in a day, in small transactions through the ORM."""
    from storage.models import Person, PlanTask, SocialCase

    worker = store.user_id
    done: dict[str, int] = defaultdict(int)
    for _ in range(3):  # new clients: person, client, case, goal, task, two entries
        with store.write() as session:
            new_client(session, rng, parish_id, worker, journal=2)
        done["new client files (person, client, case, goal, task, 2 journal entries)"] += 1
    for _ in range(110):  # consultations, calls, visits on the caseload
        file = rng.choice(caseload)
        with store.write() as session:
            session.add(journal_entry(rng, file["client"], file["case"], worker))
        done["journal entries"] += 1
    for i in range(40):  # person edits of one or two fields
        file = rng.choice(caseload)
        with store.write() as session:
            person = session.get(Person, file["person"])
            if i % 8 == 0:
                person.phone, person.email = f"+371 2{rng.randrange(1000000, 9999999)}", \
                    f"{person.given_name[0].lower()}.klients{rng.randrange(100)}@inbox.lv"
            elif i % 4 == 1:
                person.address = f"{rng.choice(names.STREETS)} {rng.randrange(1, 60)}, {names.PARISHES[2][1]}, " \
                                 f"Sausnējas pag., {names.MUNICIPALITY}, {names.PARISHES[2][2]}"
            else:
                person.phone = f"+371 2{rng.randrange(1000000, 9999999)}"
        done["person edits (1–2 fields)"] += 1
    for i in range(18):  # case stage / next review
        file = caseload[i % len(caseload)]
        with store.write() as session:
            case = session.get(SocialCase, file["case"])
            case.next_review_on = TODAY + dt.timedelta(days=rng.randrange(30, 120))
            if i % 2:
                case.stage = rng.choice(["assessment", "planning", "implementation"])
        done["case edits (review date, stage)"] += 1
    for file in (caseload * 10)[:10]:  # tasks done: the completion group
        with store.write() as session:
            task = session.get(PlanTask, file["task"])
            task.status, task.done_on, task.result = "done", TODAY, "Izziņa iesniegta, parāda grafiks noslēgts."
        done["tasks done (status, date, result)"] += 1
    return dict(done)


def bench_day(base: str, engine, parish: str, scratch: Path, caseload_size: int) -> dict[str, Any]:
    from sync import local
    from sync.client import SyncEngine, enrol

    link = LinkTransport()
    http = httpx.Client(base_url=base, transport=link, timeout=60)
    store = enrol(scratch / "laptop", url=base, code=enrolment_code(engine, parish), login="liga",
                  password=PASSWORD, device_name="Sausnēja", http=http)
    sync = SyncEngine(store, http=http, password=lambda: PASSWORD)
    sync.sync()  # the initial snapshot after enrolment
    rng = random.Random(3)
    parish_id = uuid.UUID(parish)
    caseload = []  # the worker's files, made before the day and synced
    for _ in range(caseload_size):
        with store.write() as session:
            caseload.append(new_client(session, rng, parish_id, store.user_id, journal=3))
    sync.sync()
    work = work_a_day(store, rng, parish_id, caseload)
    batch = local.pending_batch(store, BATCH)
    day_changes = len(batch.changes)
    assert 0 < day_changes <= BATCH and local.status(store).pending == day_changes
    payload = protocol.encode(batch)
    link.exchanges.clear()
    start = time.perf_counter()
    report = sync.sync()
    real = time.perf_counter() - start
    exchanges = list(link.exchanges)
    status = local.status(store)
    http.close()
    store.lock()
    sent = sum(s for _p, s, _r in exchanges)
    received = sum(r for _p, _s, r in exchanges)
    link_s = sum(LINK_LATENCY + (s + r) * 8 / LINK_BPS for _p, s, r in exchanges)
    return {"changes": day_changes, "work": work, "payload": len(payload),
            "fields_blob": len(blob(batch.changes)), "entities": _entities(batch.changes),
            "metadata_only": len(protocol.encode(without_fields(batch))),
            "ids_blob": len(blob(batch.changes, ids=True)),
            "real_s": real, "link_s": link_s, "total_s": real + link_s, "requests": len(exchanges),
            "paths": [p for p, _s, _r in exchanges], "exchanges": exchanges, "sent": sent, "received": received,
            "latency_s": LINK_LATENCY * len(exchanges), "physical_s": len(payload) * 8 / LINK_BPS,
            "all_bytes_s": (sent + received) * 8 / LINK_BPS, "pushed": report.pushed, "pulled": report.pulled,
            "refused": report.refused, "pending_after": status.pending}


def _entities(changes: list[Change]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for change in changes:
        counts[f"{change.entity} {change.op}"] += 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def blob(changes: list[Change], *, ids: bool = False) -> bytes:
    """The baseline for bytes on the wire: the records' fields alone, one JSON list, one zstd level 3 frame
    (``ids``: each with its entity and row id, the least a receiver needs to know where the fields go)."""
    items = [{"entity": c.entity, "id": str(c.row_id), "fields": c.fields} if ids else c.fields for c in changes]
    body = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return zstandard.ZstdCompressor(level=3).compress(body)


def without_fields(batch: PushBatch) -> PushBatch:
    """The batch with every change's fields emptied: what the protocol's own metadata costs."""
    from dataclasses import replace

    return replace(batch, changes=[replace(c, fields={}) for c in batch.changes])


# -- the run -------------------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=20_000, help="persons pushed in (1), in batches of 500")
    parser.add_argument("--profile-changes", type=int, default=6_000, help="changes applied in-process for the profile")
    parser.add_argument("--caseload", type=int, default=30, help="the day's worker's clients, made before the day")
    parser.add_argument("--pg-url", default=None, help="a PostgreSQL server to use (SQLAlchemy URL); else a "
                                                       "throwaway cluster is started")
    parser.add_argument("--out", type=Path, default=None, help="write the results table to this markdown file")
    parser.add_argument("--profile-out", type=Path, default=None, help="write the full cProfile listing here")
    parser.add_argument("--serve", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return 0
    if args.changes % BATCH or args.profile_changes % (2 * BATCH):
        parser.error(f"--changes must be a multiple of {BATCH}, --profile-changes of {2 * BATCH}")

    from sync.server.database import open_engine

    run_start, load = time.perf_counter(), os.getloadavg()
    pg = Postgres(args.pg_url)
    child = None
    try:
        engine = open_engine(pg.url)
        setup = provision(engine)
        base, child = start_service(pg.url)
        print(f"service on {base}, PostgreSQL {pg.server_version}", file=sys.stderr)

        # (1) push throughput vs a bare batch upsert of the same records
        with httpx.Client(base_url=base, timeout=120) as http:
            device = api_laptop(http, engine, setup["push_parish"], "anna")
            changes = person_changes(device, setup["anna"], setup["push_parish"], args.changes, seed=1)
            bare_before = bench_bare_upsert(pg.conninfo, changes)  # before and after: the machine is shared
            push = bench_push(http, device, changes)
        assert push["results"] == {"applied": args.changes}, push["results"]
        bare_after = bench_bare_upsert(pg.conninfo, changes)
        bare_s = (bare_before["seconds"] + bare_after["seconds"]) / 2
        bare = {"seconds": bare_s, "rate": args.changes / bare_s,
                "runs": (bare_before["rate"], bare_after["rate"])}
        persons_blob = len(blob(changes))
        print(f"push {push['rate']:,.0f}/s, bare {bare['rate']:,.0f}/s", file=sys.stderr)

        # (2) + (3) a worker's day, then the profile of the apply path
        with tempfile.TemporaryDirectory(prefix="lieta-bench-sync-") as scratch:
            day = bench_day(base, engine, setup["day_parish"], Path(scratch), args.caseload)
        print(f"day: {day['changes']} changes, {day['total_s']:.1f} s on the link", file=sys.stderr)
        profile = profile_apply(pg.url, setup["push_parish"], setup["anna"], args.profile_changes)
        engine.dispose()
    finally:
        if child is not None:
            child.terminate()
            child.wait(timeout=20)
        pg.close()
    run_s = time.perf_counter() - run_start

    if args.profile_out:
        args.profile_out.write_text(profile["profile_text"], encoding="utf-8")
    n = args.changes
    day_wire, day_blob = day["payload"] / day["changes"], day["fields_blob"] / day["changes"]
    persons_wire, persons_per = push["wire_bytes"] / n, persons_blob / n
    ratio_day = day["total_s"] / day["physical_s"]

    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"

    sql_share = sum(share for _kind, share in profile["in_sql"])
    lines = [
        f"Measured {dt.date.today().isoformat()} on {platform.machine()} ({os.cpu_count()} cores), Python "
        f"{platform.python_version()}, PostgreSQL {pg.server_version} ({pg.transport}, fsync {pg.fsync}); the "
        f"service under uvicorn in its own process on 127.0.0.1; whole run {run_s:.0f} s; load average "
        f"{load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.",
        "",
        "| metric | figure | baseline (same run) | ratio | aim |",
        "|---|---|---|---|---|",
        f"| (1) push throughput: {n:,} new `persons` records, batches of {BATCH}, through HTTP on loopback, end to "
        f"end (encode, send, decode, apply, commit, reply) | **{push['rate']:,.0f} changes/s** "
        f"({push['seconds']:.1f} s; "
        f"first 5 batches {push['first_rate']:,.0f}/s, last 5 {push['last_rate']:,.0f}/s) | bare `INSERT … ON "
        f"CONFLICT (id) DO UPDATE` into `(id uuid, fields jsonb)`, psycopg `executemany`, same batches, mean of a "
        f"run before and after: {bare['rate']:,.0f} rows/s ({bare['seconds']:.2f} s; runs "
        f"{bare['runs'][0]:,.0f} and {bare['runs'][1]:,.0f}/s) | **{bare['rate'] / push['rate']:.0f}× slower** | "
        f"≥ {AIMS['push']:,} changes/s: {met(push['rate'] >= AIMS['push'])} |",
        f"| (1a) the same apply path in-process, no HTTP ({args.profile_changes // 2:,} changes: decode, "
        f"`apply_push`, one transaction per batch, encode reply) | {profile['rate']:,.0f} changes/s "
        f"({profile['ms_per_change']:.1f} ms per change; {profile['statements_per_change']:.1f} SQL statements "
        f"per change, {sql_share:.0%} of the time inside them) | – | – | – |",
        f"| (2) bytes on the wire per change, a worker's day ({day['changes']} changes in 1 push batch) | "
        f"**{day_wire:.0f} B** ({day['payload']:,} B; the same batch with every `fields` emptied: "
        f"{day['metadata_only'] / day['changes']:.0f} B) | the day's fields as one zstd-3 JSON blob: {day_blob:.0f} B "
        f"({day['fields_blob']:,} B; with each record's entity and id: {day['ids_blob'] / day['changes']:.0f} B) | "
        f"**{day_wire / day_blob:.2f}×** | ≤ {AIMS['bytes']}×: {met(day_wire / day_blob <= AIMS['bytes'])} |",
        f"| (2b) bytes on the wire per change, new `persons` (all columns) in batches of {BATCH}, from (1) | "
        f"{persons_wire:.0f} B | one zstd-3 blob of all {n:,} records' fields: {persons_per:.0f} B | "
        f"**{persons_wire / persons_per:.2f}×** | ≤ {AIMS['bytes']}×: "
        f"{met(persons_wire / persons_per <= AIMS['bytes'])} |",
        f"| (3) a worker's day ({day['changes']} changes) synced over 64 kbit/s, 300 ms per request: push + pull "
        f"(`SyncEngine.sync`), {day['requests']} requests ({' + '.join(day['paths'])}) | **{day['total_s']:.1f} s** "
        f"({day['real_s']:.1f} s real work on loopback + {day['latency_s']:.1f} s latency + "
        f"{day['link_s'] - day['latency_s']:.1f} s for {day['sent'] + day['received']:,} B sent and received) | "
        f"the day's push batch ({day['payload']:,} B) at 64 kbit/s: {day['physical_s']:.1f} s | "
        f"**{ratio_day:.1f}×** | ≤ {AIMS['day']:.0f}×: {met(ratio_day <= AIMS['day'])} |",
        "| (3b) the same round against the bytes it actually moved ("
        + ", ".join(f"`{path.rsplit('/', 1)[-1]}` {up:,} B up / {down:,} B down" for path, up, down in day["exchanges"])
        + f"; {day['pulled']} changes pulled) | {day['total_s']:.1f} s | "
        f"{day['all_bytes_s']:.1f} s | {day['total_s'] / day['all_bytes_s']:.1f}× | – |",
        "",
        "Where (1a) spends its time: inside SQL statements (cursor execute, i.e. PostgreSQL round trips and psycopg) "
        + "; ".join(f"`{kind}…` {share:.0%}" for kind, share in profile["in_sql"] if share >= 0.01)
        + f". Under cProfile ({profile['profile_changes']:,} changes, {profile['profile_total_s']:.1f} s), own time "
        f"by area: " + "; ".join(f"{name} {share:.0%}" for name, share in profile["areas"] if share >= 0.01)
        + ". Cumulative: " + "; ".join(f"`{name.split(':')[1]}` {share:.0%}" for name, share, _nc
                                      in profile["cumulative"][:3])
        + "; " + "; ".join(f"{label} {share:.0%}" for label, share in profile["hot"].items()) + ".",
    ]
    report = "\n".join(lines)
    print(report)
    print("\nThe day's batch:", json.dumps({"work": day["work"], "entities": day["entities"],
                                             "pushed": day["pushed"], "pulled": day["pulled"],
                                             "refused": day["refused"], "pending_after": day["pending_after"]},
                                            ensure_ascii=False, indent=1), file=sys.stderr)
    print("\nProfile, cumulative (Lieta functions):", file=sys.stderr)
    for name, share, calls in profile["cumulative"]:
        print(f"  {share:6.1%}  {calls:>8,}  {name}", file=sys.stderr)
    if args.out:
        write_section(args.out, "<!-- bench_sync -->", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
