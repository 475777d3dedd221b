"""Benchmark of the desktop application (issue 6; not a test): each figure against a bare PySide6 window.

    .venv/bin/python bench/bench_desktop.py [--clients 100000] [--quick] [--out docs/benchmarks.md]

Everything runs offscreen (``QT_QPA_PLATFORM=offscreen``) on a store seeded once with ``--clients`` demo clients
(``bench/bench_store.py --seed-into``, cached in ``bench/out/desktop-<clients>/``) plus one client with 500
journal entries and a typical file (household, case with goal, plan and tasks, assessments, agreement, planned
visit, application, a scan). The baseline is a bare window: a fresh Python process that creates a
``QApplication`` and an empty ``QMainWindow``, shows it and waits for its first paint.

1. **Cold start**: from just before the parent spawns a fresh interpreter (``subprocess``; CLOCK_MONOTONIC is
   shared by every process) until the child has painted its first window — the bare window, or
   ``ui.main.Desktop(data_dir, login)``'s unlock window (and, as a third row, the real ``lieta`` command
   line's path to the same window). The child's filter sees the first paint event of a top-level window; a
   zero timer after it (so after the paint and the flush) prints the child's monotonic time and exits at once.
   Interleaved, rotating order, first round discarded (it warms the OS file cache).
2. **Unlock to Today**, in a fresh process per run that has already shown the unlock window: from calling
   ``UnlockWindow.unlock()`` with the right passphrase (real, calibrated Argon2id; ``LIETA_KDF_PROFILE`` is
   removed) until every background load has been delivered (``ui.ops`` has no task in flight) and the Today
   page has then been painted. The key derivation (``KdfParams.derive``) is timed on its own as well.
3. **Search per keystroke**: ``ClientSearchView`` in the same process; realistic sequences typed one key at a
   time with ``QTest.keyClick``; from the key event until the results model has been reset with this text's
   result and the table's viewport has then been painted.
4. **Opening the client file**: ``shell.open_client(id)`` until its loads are delivered and the page has been
   painted (the audited opening read, the overview tab); then the journal tab with the 500 entries.
5. **Memory**: RssAnon (``/proc/self/status``: anonymous resident memory, without shared libraries) of the app
   process after unlocking, Today shown and the client file open at its journal, against the bare window's
   process after its first paint.

"Painted" means: the widget was marked for update and the event loop ran until its paint event had been
processed (so the whole window's pending repaint, done in the same backing-store flush, is included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_store  # noqa: E402  (the seeding child lives there: reused, not copied)
from benchdoc import write_section  # noqa: E402

LOGIN, PASSPHRASE = bench_store.LOGIN, bench_store.PASSPHRASE
MARKER = "<!-- bench_desktop -->"
OUT = ROOT / "bench" / "out"
JOURNAL_ENTRIES = 500
AIM_COLD, AIM_KEY_MS, AIM_FILE_MS, AIM_MEMORY_MIB = 1.3, 30.0, 200.0, 100.0
#: what a worker types: surnames and names without diacritics, name + surname, personal-code digits, addresses
SEQUENCES = ["berzins", "kalnina", "ozolins", "janis berz", "ilze kaln", "liga ozo", "krumins", "0503", "1207",
             "32", "skolas", "ergli", "laudona", "liepu iela"]

# -- cold start: the children -----------------------------------------------------------------------------------------
PROBE = r'''
import json, os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication


def anon_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])


class FirstPaint(QObject):
    """The first paint event of a top-level window: report right after it (a zero timer) and leave."""
    seen = False

    def eventFilter(self, watched, event):
        if not self.seen and event.type() == QEvent.Type.Paint and watched.isWidgetType() and watched.isWindow():
            self.seen = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        print(json.dumps({"t": time.monotonic(), "anon_kib": anon_kib()}), flush=True)
        os._exit(0)


app = QApplication(sys.argv[:1])
probe = FirstPaint()
app.installEventFilter(probe)
'''
CHILDREN = {
    "bare": PROBE + "from PySide6.QtWidgets import QMainWindow\nwindow = QMainWindow()\nwindow.show()\napp.exec()\n",
    "app": PROBE + "from pathlib import Path\nfrom ui.main import Desktop\napp.setApplicationName('Lieta')\n"
                   "desktop = Desktop(Path(sys.argv[1]), sys.argv[2])\napp.exec()\n",
    # the real command line (`lieta --data-dir … --user …`): argument parsing and every sub-command's module first
    "cli": PROBE + "from app.cli import main\nmain(['--data-dir', sys.argv[1], '--user', sys.argv[2]])\n",
}


def child_env() -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("LIETA_KDF_PROFILE", None)  # the real, calibrated key derivation
    return env


def cold_start(kind: str, data_dir: Path, importtime: bool = False) -> dict:
    """One fresh interpreter: seconds from just before the spawn until its first window has been painted."""
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), "-c", CHILDREN[kind],
               str(data_dir), LOGIN]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=child_env(), timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"cold-start child {kind} failed ({done.returncode}): {done.stderr[-2000:]}")
    result = json.loads(lines[-1])
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime  # the child's, until it left
    return {"s": result["t"] - start, "cpu_s": cpu, "anon_kib": result["anon_kib"],
            "stderr": done.stderr if importtime else ""}


def top_imports(stderr: str, count: int = 6) -> list[tuple[str, float]]:
    """The top-level imports that cost most (``-X importtime``: cumulative microseconds, depth 0 only)."""
    found = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:"):].split("|")
        if not name.startswith(" ") or name.startswith("  "):
            continue  # nested: counted in its parent's cumulative time
        found.append((name.strip(), int(cumulative) / 1e6))
    return sorted(found, key=lambda item: -item[1])[:count]


# -- the store: seeded once, cached --------------------------------------------------------------------------------
def prepared_store(clients: int) -> tuple[Path, dict, str]:
    """The cached store (seeded by bench_store's own child) with the 500-entry client; its folder, seed, id."""
    folder = OUT / f"desktop-{clients}"
    data_dir, seed_file, client_file = folder / "data", folder / "seed.json", folder / "client.json"
    folder.mkdir(parents=True, exist_ok=True)
    if not seed_file.exists():
        if data_dir.exists():
            raise SystemExit(f"{data_dir} exists without seed.json (an interrupted seeding?): remove the folder")
        print(f"seeding {clients:,} demo clients into {data_dir} (once; minutes at 100,000) …", file=sys.stderr)
        done = subprocess.run([sys.executable, bench_store.__file__, "--clients", str(clients), "--seed-into",
                               str(data_dir)], capture_output=True, text=True, check=True, env=child_env())
        seed_file.write_text(done.stdout.strip().splitlines()[-1])
    if not client_file.exists():
        print("adding the client with 500 journal entries …", file=sys.stderr)
        done = subprocess.run([sys.executable, __file__, "--add-client", str(data_dir)], capture_output=True,
                              text=True, check=True, env=child_env())
        client_file.write_text(done.stdout.strip().splitlines()[-1])
    return data_dir, json.loads(seed_file.read_text()), json.loads(client_file.read_text())["client_id"]


def add_client(data_dir: Path) -> str:
    """One client with a typical file and 500 journal entries over four years, through the services."""
    from app import assistance, cases, people, records, visits
    from app.context import Context
    from app.people import DuplicatePerson, PersonInput
    from storage.store import Store

    store = Store.open(data_dir, LOGIN, PASSPHRASE, memory_security=False)  # synthetic data, as the seeding
    ctx = Context(store)
    rng = random.Random(6)
    try:
        me = people.create_person(ctx, PersonInput("Valdemārs", "Strautmanis", personal_code="050385-12347",
                                                   gender="male", address="Liepu iela 3, Ērgļi",
                                                   phone="+371 26123456"))
    except DuplicatePerson:
        me = people.create_person(ctx, PersonInput("Valdemārs", "Strautmanis", birth_date="1985-03-05",
                                                   gender="male", address="Liepu iela 3, Ērgļi"))
    wife = people.create_person(ctx, PersonInput("Līga", "Strautmane", birth_date="1987-02-11", gender="female"))
    son = people.create_person(ctx, PersonInput("Mārtiņš", "Strautmanis", birth_date="2015-06-01", gender="male"))
    people.create_household(ctx, members=[me, wife, son], head=me)
    people.add_relation(ctx, wife, me, "spouse")
    people.add_relation(ctx, son, me, "child")
    people.add_relation(ctx, son, wife, "child")
    client = people.register_client(ctx, me, client_type="voluntary", target_groups=["low_income"],
                                    registered_on="2022-09-01")
    case = cases.open_case(ctx, client, reason="Ilgstošs bezdarbs", opened_on="2022-09-01")
    cases.set_problem_and_diagnosis(ctx, case, "Nav darba", diagnosis="Ilgstošs bezdarbs")
    goal = cases.add_goal(ctx, case, "Atrast darbu", target_date="2027-03-01")
    plan = cases.create_plan(ctx, case, "2022-09-10")
    for text, deadline in (("Reģistrēties NVA", "2026-12-01"), ("Iesniegt izziņu par ienākumiem", "2026-11-30")):
        cases.add_task(ctx, text, deadline=deadline, responsible_kind="client", plan_id=plan, goal_id=goal)
    topics = ["Konsultācija par pabalstu", "Zvans par NVA", "Tikšanās ar ģimeni", "Vēstule no pārvaldes",
              "Sadarbība ar skolu", "Piezīme pēc vizītes", "Parādu plāns"]
    start = dt.datetime(2022, 9, 5, 9, 0, tzinfo=dt.timezone.utc)
    for n in range(JOURNAL_ENTRIES):
        when = start + dt.timedelta(days=n * 2.7, hours=rng.randrange(0, 8))
        kind = cases.JOURNAL_KINDS[n % len(cases.JOURNAL_KINDS)]
        text = " ".join(rng.choice(["Klients", "stāstīja", "par", "darba", "meklējumiem", "un", "ģimenes",
                                    "situāciju;", "vienojāmies", "par", "nākamo", "tikšanos."])
                        for _ in range(rng.randrange(12, 40)))
        cases.record_journal_entry(ctx, client, occurred_at=when, kind=kind, topic=topics[n % len(topics)],
                                   text=text, duration_minutes=rng.choice([10, 20, 30, 45, 60]), case_id=case)
    template = visits.load_template("functional_assessment")
    for day, score in (("2025-09-05", 2), ("2026-11-20", 4)):
        assessment = visits.record_assessment(ctx, client, "functional_assessment",
                                              {d: score for d in template.domain_ids}, day)
        visits.finalise_assessment(ctx, assessment)
    agreement = cases.create_agreement(ctx, client, "2022-09-10", case_id=case)
    cases.add_duty(ctx, agreement, "Apmeklēt NVA reizi mēnesī", deadline="2026-12-31")
    cases.sign_agreement(ctx, agreement, "2022-09-10")
    visits.plan_home_visit(ctx, client, "2026-11-26", "Mājokļa apsekošana", "home_visit_family", case_id=case)
    assistance.register_application(ctx, client, "2026-11-16", "post", "funeral", "Apbedīšanas pabalsts")
    records.add_attachment(ctx, client, "izzina.pdf", "application/pdf", b"%PDF-1.4 scan", description="NVA izziņa")
    store.lock()
    return str(client)


# -- the app session: unlock, Today, the client file, search (one fresh process per run) ---------------------------
def session(data_dir: Path, client_id: str, sequences: list[str], reopen: int) -> dict:
    import uuid

    from ui.main import DESKTOP_CACHE_MIB

    os.environ.setdefault("LIETA_CACHE_MIB", str(DESKTOP_CACHE_MIB))  # as ui.main.run, the app's entry point

    from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QAbstractItemView, QApplication

    import storage.keys as keys
    from storage.store import Store
    from ui import ops
    from ui.main import Desktop

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Lieta")
    heartbeat = QTimer()  # a safety wake-up for the waits below; results and paints wake them first
    heartbeat.start(50)
    def wait(condition, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the application did not finish in time")
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    def idle() -> bool:
        return not ops.pending()  # every task started through ui.ops has delivered its result

    class PaintSeen(QObject):
        seen = False

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
            if event.type() == event.Type.Paint:
                self.seen = True
            return False

    def painted(widget) -> float:
        """Mark ``widget`` for update, run the event loop until it has been painted; the time right after."""
        probe = PaintSeen()
        widget.installEventFilter(probe)
        widget.update()
        wait(lambda: probe.seen)
        moment = time.perf_counter()
        widget.removeEventFilter(probe)
        return moment

    def rows_shown(widget) -> int:
        return sum(view.model().rowCount() for view in widget.findChildren(QAbstractItemView)
                   if view.model() is not None and view.isVisible())

    derive, derived = keys.KdfParams.derive, []

    def timed_derive(self, passphrase):
        start = time.perf_counter()
        try:
            return derive(self, passphrase)
        finally:
            derived.append(time.perf_counter() - start)

    keys.KdfParams.derive = timed_derive
    store_open, opened = Store.open, []

    def timed_open(*args, **kwargs):
        start = time.perf_counter()
        try:
            return store_open(*args, **kwargs)
        finally:
            opened.append(time.perf_counter() - start)

    Store.open = timed_open
    busy: list[tuple[float, float]] = []  # every worker task's run, to tell the store's share from the UI's
    task_run = ops.Task.run

    def timed_task(self) -> None:
        start = time.perf_counter()
        try:
            task_run(self)
        finally:
            busy.append((start, time.perf_counter()))

    ops.Task.run = timed_task

    def worker(a: float, b: float) -> float:
        return sum(max(0.0, min(end, b) - max(start, a)) for start, end in busy)

    figures: dict = {}
    desktop = Desktop(data_dir, LOGIN)
    window = desktop.unlock_window
    painted(window)
    figures["anon_unlock_screen_kib"] = anon_kib()
    window.passphrase.setText(PASSPHRASE)

    # 2. unlock to Today
    modules = set(sys.modules)
    start = time.perf_counter()
    cpu0 = time.process_time()
    window.unlock()  # the key is derived in a worker; the main window is built when it arrives
    try:
        wait(lambda: desktop.main is not None)
    except TimeoutError:
        raise SystemExit("unlocking failed: " + window.message.text()) from None
    returned = time.perf_counter()
    shell = desktop.main
    wait(idle)
    loaded = time.perf_counter()
    today = shell.current_page()
    end = painted(today)
    figures.update(unlock_s=end - start, kdf_s=derived[-1], store_open_s=opened[-1], shell_s=returned - start,
                   today_load_s=loaded - returned, today_paint_s=end - loaded, today_rows=rows_shown(today),
                   today_worker_s=worker(returned, loaded), unlock_cpu_s=time.process_time() - cpu0,
                   unlock_imports=imported(modules),
                   today_approvals=getattr(getattr(today, "summary", None), "approvals", None))

    # 4. the client file with 500 journal entries: first opening (cold), its journal tab, then warm re-openings
    cid = uuid.UUID(client_id)
    modules = set(sys.modules)
    start = time.perf_counter()
    cpu0 = time.process_time()
    page = shell.open_client(cid)
    wait(idle)
    loaded = time.perf_counter()
    end = painted(page)
    figures.update(file_first_s=end - start, file_first_load_s=loaded - start, file_title=bool(page.title),
                   file_first_worker_s=worker(start, loaded),
                   file_first_cpu_s=time.process_time() - cpu0, file_first_imports=imported(modules))
    start = time.perf_counter()
    cpu0 = time.process_time()
    tab = page.show_tab("journal")
    if tab is not None:
        wait(idle)
        end = painted(tab)
        figures.update(journal_s=end - start, journal_cpu_s=time.process_time() - cpu0,
                       journal_worker_s=worker(start, end),
                       journal_rows=tab.model.rowCount() if hasattr(tab, "model") else rows_shown(tab))
    figures["anon_file_open_kib"] = anon_kib()
    warm = []
    for _ in range(reopen):
        shell.back()
        wait(idle)
        painted(shell.current_page())
        start = time.perf_counter()
        cpu0 = time.process_time()
        page = shell.open_client(cid)
        wait(idle)
        end = painted(page)
        warm.append((end - start, worker(start, end), time.process_time() - cpu0))
    figures["file_warm_s"] = warm
    shell.back()

    # 3. search per keystroke
    search = shell.show_section("clients")
    wait(idle)
    painted(search)
    resets: list[float] = []
    search.model.modelReset.connect(lambda: resets.append(time.perf_counter()))
    shown: list[tuple[float, float]] = []  # the UI thread's part: the model reset, selection, status line
    show_result = search.show_result

    def timed_show(result) -> None:
        begin = time.perf_counter()
        show_result(result)
        shown.append((begin, time.perf_counter()))

    search.show_result = timed_show  # ``search()`` hands ``self.show_result`` to ops.load: this one
    keystrokes = []
    for sequence in sequences:
        for char in sequence:
            before = len(resets)
            expected = search.query.text() + char
            start = time.perf_counter()
            cpu0 = time.process_time()
            QTest.keyClick(search.query, char)
            wait(lambda: len(resets) > before and idle())
            end = painted(search.table.viewport())
            if search.query.text() != expected:
                raise SystemExit("typing went wrong: the search field does not hold what was typed")
            keystrokes.append({"q": expected, "model_s": resets[-1] - start, "painted_s": end - start,
                               "hits": search.model.rowCount(), "worker_s": worker(start, end),
                               "ui_s": shown[-1][1] - shown[-1][0], "paint_s": end - shown[-1][1],
                               "cpu_s": time.process_time() - cpu0})
        search.query.selectAll()
        QTest.keyClick(search.query, Qt.Key.Key_Backspace)
        wait(idle)
        painted(search.table.viewport())
    figures["keystrokes"] = keystrokes
    figures["anon_after_search_kib"] = anon_kib()
    desktop.lock("")
    ops.wait_idle()
    return figures


def imported(before: set[str]) -> dict:
    """Modules imported since ``before``: how many, and the top-level packages they came from."""
    new = set(sys.modules) - before
    return {"count": len(new), "packages": sorted({name.split(".")[0] for name in new})}


def anon_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    raise RuntimeError("no RssAnon in /proc/self/status")


def run_session(data_dir: Path, client_id: str, sequences: list[str], reopen: int, **env: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--session", str(data_dir), "--client-id", client_id,
                           "--reopen", str(reopen), "--sequences", json.dumps(sequences)],
                          capture_output=True, text=True, cwd=ROOT, env={**child_env(), **env}, timeout=900)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"app session failed ({done.returncode}): {done.stderr[-3000:]}")
    return json.loads(lines[-1])


# -- the run ------------------------------------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def med(values: list[float]) -> float:
    return statistics.median(values)


def verdict(met: bool) -> str:
    return "met" if met else "**not met**"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=None, help="demo clients in the store (default 100,000)")
    parser.add_argument("--quick", action="store_true", help="5,000 clients, fewer runs (a check of the harness)")
    parser.add_argument("--runs", type=int, default=None, help="cold starts of each kind (default 9; quick 4)")
    parser.add_argument("--sessions", type=int, default=None, help="app sessions: unlocks, file openings, typing")
    parser.add_argument("--out", type=Path, default=None, help="write the results section to this markdown file")
    parser.add_argument("--add-client", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--session", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--client-id", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--reopen", type=int, default=5, help=argparse.SUPPRESS)
    parser.add_argument("--sequences", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.pop("LIETA_KDF_PROFILE", None)
    if args.add_client:
        print(json.dumps({"client_id": add_client(args.add_client)}))
        return 0
    if args.session:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        figures = session(args.session, args.client_id, json.loads(args.sequences), args.reopen)
        print(json.dumps(figures), flush=True)
        os._exit(0)  # no Qt teardown to wait for

    clients = args.clients or (5_000 if args.quick else 100_000)
    runs = args.runs or (4 if args.quick else 9)
    sessions = args.sessions or (2 if args.quick else 5)
    sequences = SEQUENCES[:6] if args.quick else SEQUENCES
    run_start, load_start = time.perf_counter(), os.getloadavg()
    data_dir, seeded, client_id = prepared_store(clients)
    db_mb = sum(p.stat().st_size for p in data_dir.glob("lieta.db*")) / 1e6

    # 1. cold starts, interleaved with a rotating order; the first round only warms the OS file cache
    kinds = list(CHILDREN)
    cold: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for r in range(runs + 1):
        for kind in kinds[r % len(kinds):] + kinds[:r % len(kinds)]:
            result = cold_start(kind, data_dir)
            if r:
                cold[kind].append(result)
        print(f"cold round {r}: " + ", ".join(f"{k} {cold[k][-1]['s'] * 1e3:.0f} ms" for k in kinds if cold[k]),
              file=sys.stderr)
    imports = {kind: top_imports(cold_start(kind, data_dir, importtime=True)["stderr"]) for kind in ("bare", "app")}

    # 2–5. app sessions, each in a fresh process, each followed by one more bare window for memory
    results, bare_memory = [], []
    for n in range(sessions):
        results.append(run_session(data_dir, client_id, sequences, 3 if args.quick else 5))
        bare_memory.append(cold_start("bare", data_dir)["anon_kib"])
        last = results[-1]
        print(f"session {n + 1}: unlock→Today {last['unlock_s'] * 1e3:.0f} ms (KDF {last['kdf_s'] * 1e3:.0f}), "
              f"file {last['file_first_s'] * 1e3:.0f} ms, keystroke median "
              f"{med([k['painted_s'] for k in last['keystrokes']]) * 1e3:.1f} ms", file=sys.stderr)
    small_cache = run_session(data_dir, client_id, sequences, 1, LIETA_CACHE_MIB="8")  # memory: the page cache
    run_s, load_end = time.perf_counter() - run_start, os.getloadavg()
    kdf_params = json.loads((data_dir / "keyslots.json").read_text())["passphrase_slots"][LOGIN]["kdf"]

    # figures
    cold_ms = {kind: [c["s"] * 1e3 for c in cold[kind]] for kind in kinds}
    cold_cpu = {kind: med([c["cpu_s"] * 1e3 for c in cold[kind]]) for kind in kinds}
    unlock_cpu = [r["unlock_cpu_s"] * 1e3 for r in results]
    keys_cpu = [k["cpu_s"] * 1e3 for r in results for k in r["keystrokes"]]
    file_first_cpu = [r["file_first_cpu_s"] * 1e3 for r in results]
    file_warm_cpu = [c * 1e3 for r in results for _s, _w, c in r["file_warm_s"]]
    journal_cpu = [r["journal_cpu_s"] * 1e3 for r in results if "journal_cpu_s" in r]
    bare_ms, app_ms, cli_ms = (med(cold_ms[k]) for k in ("bare", "app", "cli"))
    unlock = [r["unlock_s"] * 1e3 for r in results]
    kdf = [r["kdf_s"] * 1e3 for r in results]
    store_open = [r["store_open_s"] * 1e3 for r in results]
    shell_ms = [r["shell_s"] * 1e3 for r in results]
    today_load = [r["today_load_s"] * 1e3 for r in results]
    today_paint = [r["today_paint_s"] * 1e3 for r in results]
    keys_painted = [k["painted_s"] * 1e3 for r in results for k in r["keystrokes"]]
    keys_model = [k["model_s"] * 1e3 for r in results for k in r["keystrokes"]]
    slowest = max((k for r in results for k in r["keystrokes"]), key=lambda k: k["painted_s"])
    file_first = [r["file_first_s"] * 1e3 for r in results]
    file_warm = [s * 1e3 for r in results for s, _w, _c in r["file_warm_s"]]
    file_warm_worker = [w * 1e3 for r in results for _s, w, _c in r["file_warm_s"]]
    file_first_worker = [r["file_first_worker_s"] * 1e3 for r in results]
    today_worker = [r["today_worker_s"] * 1e3 for r in results]
    keys_worker = [k["worker_s"] * 1e3 for r in results for k in r["keystrokes"]]
    keys_ui = [k["ui_s"] * 1e3 for r in results for k in r["keystrokes"]]
    keys_paint = [k["paint_s"] * 1e3 for r in results for k in r["keystrokes"]]
    journal_worker = [r["journal_worker_s"] * 1e3 for r in results if "journal_worker_s" in r]
    journal = [r["journal_s"] * 1e3 for r in results if "journal_s" in r]
    journal_rows = max((r.get("journal_rows", 0) for r in results), default=0)
    app_anon = med([r["anon_file_open_kib"] for r in results]) / 1024
    search_anon = med([r["anon_after_search_kib"] for r in results]) / 1024
    unlock_screen_anon = med([c["anon_kib"] for c in cold["app"]]) / 1024
    bare_anon = med(bare_memory + [c["anon_kib"] for c in cold["bare"]]) / 1024
    today_rows = results[-1]["today_rows"]
    unlock_imports, file_imports = results[-1]["unlock_imports"], results[-1]["file_first_imports"]
    cold_ratio = app_ms / bare_ms
    key_med, key_p95 = med(keys_painted), pct(keys_painted, 0.95)

    def spread(values: list[float]) -> str:
        return f"{min(values):.0f}–{max(values):.0f}"

    command = ".venv/bin/python bench/bench_desktop.py" + (" --quick" if args.quick else "") + \
        (f" --clients {clients}" if args.clients else "") + " --out docs/benchmarks.md"
    approvals = results[-1].get("today_approvals")
    today_text = (f"the Today page ({today_rows} rows shown"
                  + (f"; the bench user is also head of service: {approvals:,} decisions wait for approval in "
                     "the demo data" if approvals else "") + ")")
    lines = [
        "## The desktop application (bench/bench_desktop.py)",
        "",
        "Command (the first run seeds the store into `bench/out/desktop-<clients>/`, minutes at 100,000 clients; "
        "then about " + ("a minute" if args.quick else "five minutes") + "; writes this section):",
        "",
        "```bash",
        command,
        "```",
        "",
        "Everything runs offscreen (`QT_QPA_PLATFORM=offscreen`). The baseline is **a bare PySide6 window started "
        "in the same run**: a fresh interpreter that creates a `QApplication` and an empty `QMainWindow`, shows it "
        "and waits for its first paint. *Painted* means the event loop ran until the widget's paint event had been "
        "processed (the window's pending repaint is flushed in the same pass). What each figure is:",
        "",
        "- **Cold start**: from just before the parent spawns a fresh `python` (CLOCK_MONOTONIC, shared by all "
        "processes) until the child's first top-level window has been painted (an application-wide event filter "
        "sees the paint event; a zero timer after it prints the time). `Desktop(data_dir, login)` is "
        "`ui.main.Desktop` constructed directly after `QApplication`; the `lieta` row goes through the real "
        "command line (`app.cli.main`: argument parser with every sub-command's module, then `ui.main.run`). "
        f"Interleaved in rotating order, {runs} runs each after one discarded warm-up round (the OS file cache "
        "is warm, as on a second start of the day).",
        "- **Unlock to Today**: in a fresh process that shows the unlock window, from calling "
        "`UnlockWindow.unlock()` with the right passphrase until every background load has been delivered "
        "(`ui.ops` has no task in flight) and the Today page has then been painted. The key derivation is the "
        "**real, device-calibrated Argon2id** (`LIETA_KDF_PROFILE` is removed, not `minimum`); its share is "
        "timed separately around `KdfParams.derive`.",
        f"- **Search per keystroke**: the Clients page (`ClientSearchView`) at {clients:,} clients; "
        f"{len(sequences)} sequences ({', '.join(f'`{s}`' for s in sequences)}) typed one key at a time with "
        "`QTest.keyClick`, each key after the previous one's result was painted; from the key event until "
        "the results model has been reset with that text's result and the table's viewport has then been "
        "painted. The field is cleared between sequences (not timed).",
        f"- **Opening the client file**: a client with {JOURNAL_ENTRIES} journal entries (and a household, a "
        "case with goal, plan and tasks, two assessments, an agreement, a planned visit, an application, a scan), "
        "from `shell.open_client(id)` until its loads are delivered (the audited opening, then the overview, the "
        "first tab) and the page has been painted. The first opening in each process is the cold one; then "
        "back and open again (warm). Then the journal tab with all its entries, from `show_tab('journal')`.",
        "- **Memory**: RssAnon of `/proc/self/status` (anonymous resident memory: the Python heap, Qt's "
        "allocations, SQLCipher's page cache; not shared libraries), the app after unlocking with Today shown "
        "and the client file open at its journal, against the bare window's process after its first paint "
        "(psutil is not a dependency).",
        "",
        f"Measured {dt.date.today().isoformat()} on {platform.machine()} ({os.cpu_count()} cores), Python "
        f"{platform.python_version()}, PySide6 {pyside_version()}; {clients:,} demo clients ({seeded['persons']:,} "
        f"persons, store {db_mb:,.0f} MB) + the 500-entry client; {sessions} app sessions; whole run {run_s:.0f} s; "
        f"load average {load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end.",
        "",
        "| metric | figure: median (min–max or p95) | baseline (same run) | ratio | aim |",
        "|---|---|---|---|---|",
        f"| cold start to the unlock window: `Desktop(data_dir, login)`, {runs} runs | **{app_ms:.0f} ms** "
        f"({spread(cold_ms['app'])}); CPU {cold_cpu['app']:.0f} ms | bare window {bare_ms:.0f} ms "
        f"({spread(cold_ms['bare'])}); CPU {cold_cpu['bare']:.0f} ms | **{cold_ratio:.2f}×**; CPU "
        f"{cold_cpu['app'] / cold_cpu['bare']:.2f}× | ≤ 1.3×: {verdict(cold_ratio <= AIM_COLD)} |",
        f"| cold start through the `lieta` command line, {runs} runs | {cli_ms:.0f} ms ({spread(cold_ms['cli'])}); "
        f"CPU {cold_cpu['cli']:.0f} ms | bare window {bare_ms:.0f} ms | {cli_ms / bare_ms:.2f}× | – |",
        f"| unlock to Today: {today_text}, {sessions} runs | **{med(unlock):.0f} ms** ({spread(unlock)}); CPU "
        f"{med(unlock_cpu):.0f} ms | – | – | – |",
        f"| … of which the key derivation (Argon2id as calibrated when the store was made: t={kdf_params['t']}, "
        f"{kdf_params['m'] // 1024} MiB, p={kdf_params['p']}) | {med(kdf):.0f} ms ({spread(kdf)}), "
        f"{med(kdf) / med(unlock):.0%} | – | – | – |",
        f"| … `Store.open` in all (derivation + opening + schema check) | {med(store_open):.0f} ms | – | – | – |",
        f"| … until `unlock()` returned (store open, main window built and shown) | {med(shell_ms):.0f} ms | – | – "
        "| – |",
        f"| … then until Today's data was delivered (worker tasks busy {med(today_worker):.0f} ms in all, both "
        "lanes), then "
        f"the paint | {med(today_load):.0f} ms + {med(today_paint):.0f} ms | – | – | – |",
        f"| search, key event to painted results, {len(keys_painted)} keystrokes | **{key_med:.1f} ms** "
        f"(p95 {key_p95:.1f}); CPU {med(keys_cpu):.1f} (p95 {pct(keys_cpu, 0.95):.1f}) | – | – | ≤ 30 ms: "
        f"median {verdict(key_med <= AIM_KEY_MS)}, p95 {verdict(key_p95 <= AIM_KEY_MS)} |",
        f"| … key event to the results model updated | {med(keys_model):.1f} ms (p95 {pct(keys_model, 0.95):.1f}) "
        f"| – | – | – |",
        f"| … of which the worker (`search_clients` in the store lane) / the UI thread's update (model reset, "
        f"selection, status) / the paint after it, medians | {med(keys_worker):.1f} / {med(keys_ui):.1f} / "
        f"{med(keys_paint):.1f} ms (p95 {pct(keys_worker, 0.95):.1f} / {pct(keys_ui, 0.95):.1f} / "
        f"{pct(keys_paint, 0.95):.1f}) | – | – | – |",
        f"| … slowest keystroke (`{slowest['q']}`, {slowest['hits']} rows) | {slowest['painted_s'] * 1e3:.1f} ms "
        "| – | – | – |",
        f"| open the client file ({JOURNAL_ENTRIES} journal entries), first opening in the process | "
        f"**{med(file_first):.0f} ms** ({spread(file_first)}); CPU {med(file_first_cpu):.0f} ms | – | – | ≤ 200 ms: "
        f"{verdict(med(file_first) <= AIM_FILE_MS)} |",
        f"| … of which the worker (the audited opening read, the overview) | {med(file_first_worker):.0f} ms | – "
        "| – | – |",
        f"| … opened again (warm), {len(file_warm)} times | {med(file_warm):.0f} ms (p95 "
        f"{pct(file_warm, 0.95):.0f}); CPU {med(file_warm_cpu):.0f} ms; the worker {med(file_warm_worker):.0f} ms "
        "| – | – | "
        f"≤ 200 ms: {verdict(pct(file_warm, 0.95) <= AIM_FILE_MS)} |",
    ]
    if journal:
        lines.append(f"| … its journal tab ({journal_rows} rows), first shown | {med(journal):.0f} ms "
                     f"({spread(journal)}); CPU {med(journal_cpu):.0f} ms; the worker {med(journal_worker):.0f} ms "
                     "| – | – | – |")
    lines += [
        f"| anonymous memory (RssAnon): unlocked, Today shown, the client file open at its journal | "
        f"**{app_anon:.0f} MiB** | bare window {bare_anon:.0f} MiB | **+{app_anon - bare_anon:.0f} MiB** | "
        f"≤ +100 MiB: {verdict(app_anon - bare_anon <= AIM_MEMORY_MIB)} |",
        f"| … at the unlock window (cold-start children) | {unlock_screen_anon:.0f} MiB | {bare_anon:.0f} MiB | "
        f"+{unlock_screen_anon - bare_anon:.0f} MiB | – |",
        f"| … after the search session as well | {search_anon:.0f} MiB | {bare_anon:.0f} MiB | "
        f"+{search_anon - bare_anon:.0f} MiB | – |",
        f"| … the same two points with SQLCipher's page cache at 8 MiB (`LIETA_CACHE_MIB=8`; default "
        f"{cache_mib()} MiB), one more session | {small_cache['anon_file_open_kib'] / 1024:.0f} / "
        f"{small_cache['anon_after_search_kib'] / 1024:.0f} MiB | {bare_anon:.0f} MiB | "
        f"+{small_cache['anon_file_open_kib'] / 1024 - bare_anon:.0f} / "
        f"+{small_cache['anon_after_search_kib'] / 1024 - bare_anon:.0f} MiB | – |",
        "",
        "Wall times are what a user waits on this machine while other work runs on it (see the load average); "
        "CPU times (this process, all its threads) are what that load cannot inflate.",
        "",
        "Where a cold start goes (`python -X importtime`, one more run each, top-level imports by cumulative time): "
        "bare window " + "; ".join(f"`{n}` {s * 1e3:.0f} ms" for n, s in imports["bare"]) + " — the app "
        + "; ".join(f"`{n}` {s * 1e3:.0f} ms" for n, s in imports["app"]) + ". The unlock window imports only Qt, `ui.ops` and the catalog; "
        "SQLAlchemy, the models, argon2 and SQLCipher load in a worker after its first paint, while the "
        "passphrase is typed.",
        "",
        f"Modules imported during the first unlock: {unlock_imports['count']} (from "
        f"{', '.join(f'`{p}`' for p in unlock_imports['packages'])}); during the first opening of a client file: "
        f"{file_imports['count']} (from {', '.join(f'`{p}`' for p in file_imports['packages'])})."
        + (" The client file's tabs import `forms.blocks` (date and label formatting), which imports reportlab's "
           "`platypus`: the first opening in a session pays for the PDF library." if "reportlab" in
           file_imports["packages"] else ""),
        "",
        "How to read it:",
        "",
        f"- **Cold start** ({cold_ratio:.1f}× the bare window, {app_ms - bare_ms:.0f} ms more): the unlock "
        "window paints before the store's stack is imported (that happens in a worker while the passphrase is "
        "typed); what remains is the catalog, `ui.ops` and building the window.",
        f"- **Unlock to Today** ({med(unlock) / 1e3:.1f} s): the key derivation is {med(kdf):.0f} ms of it and "
        f"runs in a worker (the window keeps repainting and says \"Opening the case store…\"); the main "
        f"window is built and shown {med(shell_ms):.0f} ms after the call; the rest is Today's load in the worker."
        + (f" The bench user is also head of service and the demo data at {clients:,} clients has {approvals:,} "
           "decisions waiting for approval; `app.due` reads them with their last approval step in one query."
           if approvals and approvals > 1000 else ""),
        f"- **Search**: the median keystroke ({key_med:.0f} ms) is {'within' if key_med <= AIM_KEY_MS else 'over'} "
        f"30 ms, the p95 ({key_p95:.0f} ms) {'within' if key_p95 <= AIM_KEY_MS else 'over'} it. Per keystroke, "
        f"the worker's `search_clients` takes {med(keys_worker):.0f} ms (p95 {pct(keys_worker, 0.95):.0f}: short "
        f"prefixes and words that fill up from addresses), the UI thread's model update {med(keys_ui):.0f} ms and "
        f"the paint of the rows {med(keys_paint):.0f} ms (p95 {pct(keys_paint, 0.95):.0f}).",
        f"- **Client file**: the first opening ({med(file_first):.0f} ms) is "
        + ("mostly the UI thread" if med(file_first_worker) < med(file_first) / 2 else "mostly the worker")
        + f" (the worker {med(file_first_worker):.0f} ms; on the UI thread: importing the file's modules"
        + (", reportlab among them," if "reportlab" in file_imports["packages"] else "")
        + f" and building the tabs); opened again it takes {med(file_warm):.0f} ms. The journal tab with "
        f"{journal_rows} entries adds {med(journal):.0f} ms when first shown"
        + (f", of which the worker reads and formats the entries in {med(journal_worker):.0f} ms."
           if journal_worker else "."),
        f"- **Memory** (+{app_anon - bare_anon:.0f} MiB): with SQLCipher's page cache at 8 MiB instead of "
        f"{cache_mib()} MiB per connection the same session is "
        f"+{small_cache['anon_file_open_kib'] / 1024 - bare_anon:.0f} MiB; the rest is Python modules "
        "(SQLAlchemy, the models, the screens), Qt and the rows the screens hold.",
    ]
    report = "\n".join(lines)
    print(report)
    if args.out:
        write_section(args.out, MARKER, report)
    return 0


def cache_mib() -> int:
    """The desktop's page cache per connection (ui.main.run sets it unless LIETA_CACHE_MIB does)."""
    from ui.main import DESKTOP_CACHE_MIB

    return int(os.environ.get("LIETA_CACHE_MIB", DESKTOP_CACHE_MIB))


def pyside_version() -> str:
    import PySide6

    return PySide6.__version__


if __name__ == "__main__":
    sys.exit(main())
