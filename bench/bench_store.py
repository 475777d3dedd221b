"""Benchmark of the encrypted store (not a test): seed, unlock, a typical query, search.

    .venv/bin/python bench/bench_store.py [--clients 100000] [--out docs/benchmarks.md]

Figures are ratios against baselines measured in the same process on the same data:
- the typical query through SQLCipher vs the same schema and rows in a plain (unkeyed) SQLite file,
  both through the same SQLite build (sqlcipher3), so the ratio is the encryption overhead alone;
- ``app.search.search_clients`` vs the bare FTS5 MATCH on the same expressions.
Unlock uses the device-calibrated Argon2id parameters (the real cost), not the test floor.
Seeding runs in a child process without SQLCipher's memory wiping (synthetic data, as ``lieta seed-demo``);
every measurement runs in this process with memory wiping on, as the application does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Uuid, bindparam, create_engine, select, text  # noqa: E402

from app.context import Context  # noqa: E402
from app.demo import seed_demo  # noqa: E402
from app.search import NAME_COLUMNS, match_expression, search_clients  # noqa: E402
from storage.models import Client  # noqa: E402
from storage.engine import cache_kib  # noqa: E402
from storage.store import Store  # noqa: E402
from benchdoc import write_section  # noqa: E402  (bench/, the script's own folder)

LOGIN, PASSPHRASE = "bench", "Bench-parole-2026"
TYPICAL = text(
    """
    SELECT p.given_name, p.surname, p.personal_code, p.address,
           (SELECT count(*) FROM journal_entries j WHERE j.client_id = c.id) AS journal,
           (SELECT max(s.next_review_on) FROM social_cases s WHERE s.client_id = c.id) AS review,
           (SELECT count(*) FROM applications a WHERE a.client_id = c.id AND a.status != 'decided') AS open_apps,
           (SELECT group_concat(d.status) FROM decisions d WHERE d.client_id = c.id) AS decisions
    FROM clients c JOIN persons p ON p.id = c.person_id WHERE c.id = :client_id
    """
).bindparams(bindparam("client_id", type_=Uuid()))
QUERIES = ["b", "be", "ber", "berz", "berzi", "berzin", "k", "ka", "kal", "kaln", "ozol", "ozolina", "liep",
           "janis", "janis berz", "ilze k", "0", "05", "0503", "3", "32", "skolas", "ergli", "laudonas",
           "Ķēniņ", "Šmit", "žag"]


def median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


def p95_us(samples: list[float]) -> float:
    return sorted(samples)[int(len(samples) * 0.95) - 1] * 1e6


def time_calls(fn, args_list, repeat: int = 1) -> list[float]:
    samples = []
    for _ in range(repeat):
        for args in args_list:
            start = time.perf_counter()
            fn(*args)
            samples.append(time.perf_counter() - start)
    return samples


def measure(data_dir: Path, memory_security: bool, plain_path: Path) -> dict:
    """Every read figure, in one process with SQLCipher's memory wiping on or off (it is process-wide)."""
    unlocks = []
    for _ in range(5):
        start = time.perf_counter()
        store = Store.open(data_dir, LOGIN, PASSPHRASE, memory_security=memory_security)
        unlocks.append(time.perf_counter() - start)
        store.lock()
    store = Store.open(data_dir, LOGIN, PASSPHRASE, memory_security=memory_security)
    kdf = store.slots.passphrase_slots[LOGIN]["kdf"]
    ctx = Context(store)
    with ctx.read() as session:
        client_ids = list(session.scalars(select(Client.id)))
    sample = random.Random(7).sample(client_ids, min(2000, len(client_ids)))
    if not plain_path.exists():  # the same schema and rows, unencrypted, through the same SQLite build
        raw = store.engine.raw_connection()
        raw.execute(f"ATTACH DATABASE '{plain_path}' AS plain KEY ''")
        raw.execute("SELECT sqlcipher_export('plain')")
        raw.execute("DETACH DATABASE plain")
        raw.close()
    import sqlcipher3.dbapi2 as sqlcipher

    plain = create_engine(f"sqlite:///{plain_path}", module=sqlcipher)
    with store.engine.connect() as enc_conn, plain.connect() as plain_conn:
        plain_conn.exec_driver_sql(f"PRAGMA cache_size = -{cache_kib()}")
        for conn in (enc_conn, plain_conn):  # warm both caches equally; every sampled client exists
            for cid in sample[:200]:
                assert conn.execute(TYPICAL, {"client_id": cid}).one()
        enc = time_calls(lambda cid: enc_conn.execute(TYPICAL, {"client_id": cid}).one(), [(c,) for c in sample], 3)
        pln = time_calls(lambda cid: plain_conn.execute(TYPICAL, {"client_id": cid}).one(), [(c,) for c in sample], 3)
        # the bare FTS5 baseline: the same name expressions, as many rows as search reads, no joins
        bare_sql = text("SELECT rowid FROM person_search WHERE person_search MATCH :q LIMIT 151")
        expressions = [(match_expression(q, NAME_COLUMNS),) for q in QUERIES]
        for q in expressions:
            enc_conn.execute(bare_sql, {"q": q[0]}).all()
        bare = time_calls(lambda q: enc_conn.execute(bare_sql, {"q": q}).all(), expressions, 5)
    search_clients(ctx, "berz")
    full = time_calls(lambda q: search_clients(ctx, q), [(q,) for q in QUERIES], 5)
    best = {q: min(time_calls(lambda x: search_clients(ctx, x), [(q,)], 3)) for q in QUERIES}
    worst_query = max(best, key=best.get)
    store.lock()
    plain.dispose()
    return {
        "unlock_ms": statistics.median(unlocks) * 1e3, "kdf_t": kdf["t"], "kdf_mib": kdf["m"] // 1024,
        "typical_enc_us": median_us(enc), "typical_plain_us": median_us(pln), "samples": len(enc),
        "search_ms": median_us(full) / 1e3, "search_p95_ms": p95_us(full) / 1e3,
        "bare_ms": median_us(bare) / 1e3, "bare_p95_ms": p95_us(bare) / 1e3,
        "worst_query": worst_query, "worst_ms": best[worst_query] * 1e3,
    }


def main() -> int:
    import json
    import subprocess

    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None, help="write the results section to this markdown file")
    parser.add_argument("--seed-into", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--memory-security", choices=["on", "off"], default="on", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.pop("LIETA_KDF_PROFILE", None)
    if args.seed_into:  # child: create and seed (synthetic data: no memory wiping, as `lieta seed-demo`)
        store = Store.create(args.seed_into, LOGIN, PASSPHRASE, display_name="Bench",
                             roles=["social_worker", "head"], memory_security=False)
        start = time.perf_counter()
        summary = seed_demo(Context(store), args.clients, seed=1, today=dt.date(2026, 11, 23))
        print(json.dumps({"seed_s": time.perf_counter() - start, "persons": summary.persons, "rows": summary.rows}))
        store.lock()
        return 0
    if args.measure:  # child: read figures with memory wiping on or off
        figures = measure(args.measure, args.memory_security == "on", args.measure.parent / "plain.db")
        print(json.dumps(figures))
        return 0

    def child(*extra: str) -> dict:
        out = subprocess.run([sys.executable, __file__, "--clients", str(args.clients), *extra],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    with tempfile.TemporaryDirectory(prefix="lieta-bench-") as scratch:
        data_dir = Path(scratch) / "data"
        seeded = child("--seed-into", str(data_dir))
        db_mb = sum(p.stat().st_size for p in data_dir.glob("lieta.db*")) / 1e6
        off = child("--measure", str(data_dir), "--memory-security", "off")
        on = child("--measure", str(data_dir), "--memory-security", "on")

    def typical_row(label: str, f: dict) -> str:
        return (f"| typical query, {label}: one client's file summary (person, journal count, next review, open "
                f"applications, decisions) for random clients, median of {f['samples']:,} | "
                f"{f['typical_enc_us']:.0f} µs SQLCipher | {f['typical_plain_us']:.0f} µs plain SQLite | "
                f"**{f['typical_enc_us'] / f['typical_plain_us']:.2f}×** | ≤ 1.25× |")

    def search_row(label: str, f: dict) -> str:
        return (f"| search per call, {label} (`search_clients`: names first, address fill-up, sorted; "
                f"{len(QUERIES)} typed prefixes × 5), median / p95 | {f['search_ms']:.2f} / {f['search_p95_ms']:.2f} ms "
                f"| bare FTS5 MATCH {f['bare_ms']:.2f} / {f['bare_p95_ms']:.2f} ms | "
                f"**{f['search_ms'] / f['bare_ms']:.2f}×** | ≤ 5 ms |")

    seed_s = seeded["seed_s"]
    lines = [
        f"Measured {dt.date.today().isoformat()} on {platform.machine()} ({os.cpu_count()} cores), "
        f"Python {platform.python_version()}, {args.clients:,} demo clients ({seeded['persons']:,} persons, "
        f"{seeded['rows']:,} records + as many outbox records; store {db_mb:.0f} MB, page cache "
        f"{cache_kib() // 1024} MiB).",
        "",
        "| metric | figure | baseline (same run) | ratio | aim |",
        "|---|---|---|---|---|",
        f"| seed {args.clients:,} clients (bulk inserts + outbox + search index) | {seed_s:.1f} s "
        f"({args.clients / seed_s:,.0f} clients/s, {seeded['rows'] / seed_s:,.0f} records/s) | – | – | ≤ 60 s |",
        f"| unlock (Argon2id t={on['kdf_t']}, {on['kdf_mib']} MiB, then open + schema check), median of 5 | "
        f"{on['unlock_ms']:.0f} ms | – | – | ~0.5 s KDF by design |",
        typical_row("encryption only (memory wiping off in both)", off),
        typical_row("as the app runs (memory wiping on in both)", on),
        search_row("memory wiping off", off),
        search_row("as the app runs", on),
        f"| slowest search (`{on['worst_query']}`) as the app runs, best of 3 | {on['worst_ms']:.2f} ms | – | – | ≤ 5 ms |",
    ]
    report = "\n".join(lines)
    print(report)
    if args.out:
        write_section(args.out, "<!-- bench_store -->", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
