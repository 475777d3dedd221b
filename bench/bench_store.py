"""Benchmark of the encrypted store (not a test): seed, unlock, a typical query, search.

    .venv/bin/python bench/bench_store.py [--clients 100000] [--out docs/benchmarks.md]

Figures are ratios against baselines measured in the same process on the same data:
- the typical query through SQLCipher vs the same schema and rows in a plain (unkeyed) SQLite file,
  both through the same SQLite build (sqlcipher3), so the ratio is the encryption overhead alone;
- ``app.search.search_clients`` vs the bare FTS5 MATCH on the same expressions.
Unlock uses the device-calibrated Argon2id parameters (the real cost), not the test floor.
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

from sqlalchemy import create_engine, select, text  # noqa: E402

from app.context import Context  # noqa: E402
from app.demo import seed_demo  # noqa: E402
from app.search import match_expression, search_clients  # noqa: E402
from storage.models import Client  # noqa: E402
from storage.store import Store  # noqa: E402

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
)
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None, help="write the results section to this markdown file")
    args = parser.parse_args()
    os.environ.pop("LIETA_KDF_PROFILE", None)
    results: list[str] = []
    with tempfile.TemporaryDirectory(prefix="lieta-bench-") as scratch:
        data_dir = Path(scratch) / "data"
        store = Store.create(data_dir, LOGIN, PASSPHRASE, display_name="Bench", roles=["social_worker", "head"])
        kdf = store.slots.passphrase_slots[LOGIN]["kdf"]
        ctx = Context(store)
        start = time.perf_counter()
        summary = seed_demo(ctx, args.clients, seed=1, today=dt.date(2026, 11, 23))
        seed_s = time.perf_counter() - start
        store.lock()

        unlocks = []
        for _ in range(5):
            start = time.perf_counter()
            store = Store.open(data_dir, LOGIN, PASSPHRASE)
            unlocks.append(time.perf_counter() - start)
            store.lock()
        store = Store.open(data_dir, LOGIN, PASSPHRASE)
        ctx = Context(store)
        with ctx.read() as session:
            client_ids = [str(cid) for cid in session.scalars(select(Client.id))]
        sample = random.Random(7).sample(client_ids, min(2000, len(client_ids)))

        # The same schema and rows, unencrypted, through the same SQLite build: only the cipher differs.
        plain_path = Path(scratch) / "plain.db"
        raw = store.engine.raw_connection()
        raw.execute(f"ATTACH DATABASE '{plain_path}' AS plain KEY ''")
        raw.execute("SELECT sqlcipher_export('plain')")
        raw.execute("DETACH DATABASE plain")
        raw.close()
        import sqlcipher3.dbapi2 as sqlcipher

        plain = create_engine(f"sqlite:///{plain_path}", module=sqlcipher)
        with plain.connect() as c:
            c.exec_driver_sql(f"PRAGMA cache_size = -{32 * 1024}")
        ratios = {}
        with store.engine.connect() as enc_conn, plain.connect() as plain_conn:
            enc_conn.exec_driver_sql("PRAGMA cache_size").scalar()
            plain_conn.exec_driver_sql(f"PRAGMA cache_size = -{32 * 1024}")
            for conn in (enc_conn, plain_conn):  # warm both caches equally
                for cid in sample[:200]:
                    conn.execute(TYPICAL, {"client_id": cid}).all()
            enc = time_calls(lambda cid: enc_conn.execute(TYPICAL, {"client_id": cid}).all(), [(c,) for c in sample], 3)
            pln = time_calls(lambda cid: plain_conn.execute(TYPICAL, {"client_id": cid}).all(), [(c,) for c in sample], 3)
            ratios["typical"] = (median_us(enc), median_us(pln))

            bare_sql = text("SELECT rowid FROM person_search WHERE person_search MATCH :q ORDER BY rank LIMIT 50")
            expressions = [(match_expression(q),) for q in QUERIES]
            for q in expressions:
                enc_conn.execute(bare_sql, {"q": q[0]}).all()
            bare = time_calls(lambda q: enc_conn.execute(bare_sql, {"q": q}).all(), expressions, 5)
        search_clients(ctx, "berz")
        full = time_calls(lambda q: search_clients(ctx, q), [(q,) for q in QUERIES], 5)
        worst_query = max(QUERIES, key=lambda q: min(time_calls(lambda x: search_clients(ctx, x), [(q,)], 3)))
        worst = min(time_calls(lambda q: search_clients(ctx, q), [(worst_query,)], 3)) * 1e3
        db_mb = sum(p.stat().st_size for p in data_dir.glob("lieta.db*")) / 1e6
        store.lock()
        plain.dispose()

    rows_per_s = summary.rows / seed_s
    typical_enc, typical_plain = ratios["typical"]
    lines = [
        f"Measured {dt.date.today().isoformat()} on {platform.machine()} ({os.cpu_count()} cores), "
        f"Python {platform.python_version()}, {args.clients:,} demo clients ({summary.persons:,} persons, "
        f"{summary.rows:,} records + as many outbox records; store {db_mb:.0f} MB).",
        "",
        "| metric | figure | baseline (same run) | ratio | aim |",
        "|---|---|---|---|---|",
        f"| seed {args.clients:,} clients (bulk inserts + outbox + search index) | {seed_s:.1f} s "
        f"({args.clients / seed_s:,.0f} clients/s, {rows_per_s:,.0f} records/s) | – | – | ≤ 60 s |",
        f"| unlock (Argon2id t={kdf['t']}, {kdf['m'] // 1024} MiB, then open + schema check), median of 5 | "
        f"{statistics.median(unlocks) * 1e3:.0f} ms | – | – | ~0.5 s KDF by design |",
        f"| typical query: one client's file summary (person + journal, review, open applications, decisions), "
        f"median of {len(sample) * 3:,} | {typical_enc:.1f} µs SQLCipher | {typical_plain:.1f} µs plain SQLite | "
        f"**{typical_enc / typical_plain:.2f}×** | ≤ 1.25× |",
        f"| search per call (`search_clients`, {len(QUERIES)} typed prefixes × 5), median / p95 | "
        f"{median_us(full) / 1e3:.2f} / {p95_us(full) / 1e3:.2f} ms | bare FTS5 MATCH "
        f"{median_us(bare) / 1e3:.2f} / {p95_us(bare) / 1e3:.2f} ms | **{median_us(full) / median_us(bare):.2f}×** "
        f"| ≤ 5 ms |",
        f"| slowest query (`{worst_query}`), best of 3 | {worst:.2f} ms | – | – | ≤ 5 ms |",
    ]
    report = "\n".join(lines)
    print(report)
    if args.out:
        marker = "<!-- bench_store -->"
        existing = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        section = f"{marker}\n{report}\n{marker}"
        if marker in existing:
            before, _, rest = existing.partition(marker)
            _, _, after = rest.partition(marker)
            args.out.write_text(before + section + after, encoding="utf-8")
        else:
            args.out.write_text(existing + ("\n" if existing else "") + section + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
