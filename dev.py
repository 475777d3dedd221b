#!/usr/bin/env python3
"""Developer entry point: two commands on a fresh Debian/Ubuntu machine with Python 3.11.

    python3 dev.py demo   # set up, create an encrypted demo store, start the app
    python3 dev.py test   # set up, run the whole test suite and the layering check
    python3 dev.py i18n   # extract strings, update and compile the gettext catalogs

Everything goes into ./.venv; the demo store into ./demo-data (both ignored by git).
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
STAMP = VENV / ".lieta-installed"
DEMO_DIR = ROOT / "demo-data"
DEMO_USER = "demo"
DEMO_PASSPHRASE = "Demo-parole-2026"
DEMO_CLIENTS = "2000"
DEMO_CENTRAL = ROOT / "demo-central"  # the local central service's SQLite database
DEMO_SERVICE_URL = "http://127.0.0.1:8765"


def run(*cmd: str | Path, env: dict | None = None, check: bool = True) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=check).returncode


def ensure_venv() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Lieta needs Python 3.11 or newer.")
    if not (BIN / "python").exists():
        if subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            if os.geteuid() == 0 and shutil.which("apt-get"):
                run("apt-get", "install", "-y", "-q", f"python3.{sys.version_info.minor}-venv", check=False)
                run("apt-get", "install", "-y", "-q", "python3-venv", check=False)
                run(sys.executable, "-m", "venv", VENV)
            else:
                sys.exit("Python's venv module is missing: run 'sudo apt install python3-venv' and try again.")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        run(BIN / "python", "-m", "pip", "install", "-q", "--upgrade", "pip")
        run(BIN / "python", "-m", "pip", "install", "-q", "-e", ".[test]")
        STAMP.write_text(wanted)


def demo() -> int:
    ensure_venv()
    env = {**os.environ, "LIETA_DATA_DIR": str(DEMO_DIR), "LIETA_USER": DEMO_USER, "LIETA_PASSPHRASE": DEMO_PASSPHRASE}
    if not (DEMO_DIR / "lieta.db").exists():
        shutil.rmtree(DEMO_CENTRAL, ignore_errors=True)  # a new demo store needs a new service
        run(BIN / "lieta", "init", "--display-name", "Demo Lietotāja", "--role", "social_worker", "--role", "head",
            "--role", "administrator", env=env)
        run(BIN / "lieta", "seed-demo", "--clients", DEMO_CLIENTS, "--seed", "1", env=env)
    DEMO_CENTRAL.mkdir(mode=0o700, exist_ok=True)
    database_url = f"sqlite:///{DEMO_CENTRAL / 'central.db'}"
    run(BIN / "python", "-m", "sync.demo", DEMO_DIR, DEMO_SERVICE_URL, database_url, env=env)
    print(f"\nDemo store: {DEMO_DIR}\n  user:       {DEMO_USER}\n  passphrase: {DEMO_PASSPHRASE}\n"
          f"Central service: {DEMO_SERVICE_URL} (database {DEMO_CENTRAL})\n", flush=True)
    service = subprocess.Popen([str(BIN / "lieta-server"), "--database-url", database_url, "serve", "--port",
                                DEMO_SERVICE_URL.rsplit(":", 1)[1]], cwd=ROOT)
    try:
        time.sleep(1.5)  # the service is up before the app's first sync
        run(BIN / "lieta", "sync", env=env, check=False)
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and \
                not os.environ.get("QT_QPA_PLATFORM"):
            print("No screen found (DISPLAY is not set); try the command line, e.g.\n"
                  f"  LIETA_DATA_DIR={DEMO_DIR} LIETA_USER={DEMO_USER} LIETA_PASSPHRASE={DEMO_PASSPHRASE} "
                  ".venv/bin/lieta search berzins\n"
                  "and, with the service running (.venv/bin/lieta-server --database-url "
                  f"{database_url} serve --port 8765):  .venv/bin/lieta sync")
            return 0
        gui_env = {k: v for k, v in env.items() if k != "LIETA_PASSPHRASE"}
        return run(BIN / "lieta", env=gui_env, check=False)
    finally:
        service.terminate()
        service.wait(timeout=20)


def ensure_postgresql() -> None:
    """The central service's tests run against a real PostgreSQL: install the server when it is missing and
    we may (root with apt, as on CI); tests/conftest.py starts a throwaway cluster from it."""
    if glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("initdb") or os.environ.get("LIETA_TEST_PG_URL"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        run("apt-get", "install", "-y", "-q", "postgresql", check=False)
    else:
        print("PostgreSQL is not installed: run 'sudo apt install postgresql' (or set LIETA_TEST_PG_URL) — the "
              "central service's tests need it.", file=sys.stderr)


def test(extra: list[str]) -> int:
    ensure_venv()
    ensure_postgresql()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    code = run(BIN / "lint-imports", "--config", "pyproject.toml", env=env, check=False)
    return run(BIN / "python", "-m", "pytest", *extra, env=env, check=False) or code


def i18n() -> int:
    ensure_venv()
    pot = ROOT / "resources" / "locale" / "lieta.pot"
    run(BIN / "pybabel", "extract", "-F", "babel.cfg", "-k", "N_", "-k", "_", "--sort-by-file", "--no-wrap",
        "--project", "Lieta", "-o", pot, "app", "storage", "ui", "forms", "sync")
    for language in ("lv", "en"):
        po = ROOT / "resources" / "locale" / language / "LC_MESSAGES" / "lieta.po"
        if po.exists():
            run(BIN / "pybabel", "update", "--no-wrap", "--ignore-obsolete", "--no-fuzzy-matching", "-D", "lieta", "-i", pot, "-l", language,
                "-d", ROOT / "resources" / "locale")
        else:
            run(BIN / "pybabel", "init", "--no-wrap", "-D", "lieta", "-i", pot, "-l", language,
                "-d", ROOT / "resources" / "locale")
    return run(BIN / "pybabel", "compile", "-D", "lieta", "-d", ROOT / "resources" / "locale", check=False)


def main() -> int:
    command, extra = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("", [])
    if command == "demo":
        return demo()
    if command == "test":
        return test(extra)
    if command == "i18n":
        return i18n()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
