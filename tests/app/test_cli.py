"""The ``lieta`` command as a user runs it: a real process, a real encrypted data folder."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import EXIT_DAMAGED, EXIT_INVALID, EXIT_NO_STORE, EXIT_PERMISSION, EXIT_USAGE, EXIT_WRONG_PASSPHRASE
from tests.conftest import all_bytes, snapshot

LIETA = [sys.executable, "-m", "app"]
PASS = "Smoke-pass-2026!"


def lieta(data_dir: Path, *args: str, passphrase: str | None = PASS, user: str = "smoke", **env: str):
    environment = {**os.environ, "LIETA_DATA_DIR": str(data_dir), "LIETA_USER": user, "LIETA_LANG": "en", **env}
    environment.pop("LIETA_PASSPHRASE", None)
    if passphrase is not None:
        environment["LIETA_PASSPHRASE"] = passphrase
    return subprocess.run([*LIETA, *args], env=environment, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          cwd=Path(__file__).resolve().parents[2], timeout=300)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A store with 200 demo clients, made once for the read-only tests of this module."""
    data_dir = tmp_path_factory.mktemp("cli") / "data"
    assert lieta(data_dir, "init").returncode == 0
    result = lieta(data_dir, "seed-demo", "--clients", "200", "--seed", "5")
    assert result.returncode == 0, result.stderr
    return data_dir


def test_search_finds_the_same_clients_with_and_without_diacritics(seeded):
    with_marks = lieta(seeded, "search", "Bērziņ").stdout.splitlines()
    without = lieta(seeded, "search", "berzin").stdout.splitlines()
    assert with_marks and with_marks == without
    assert all("Bērziņ" in line.split("\t")[0] for line in with_marks)


def test_no_plaintext_personal_data_anywhere_in_the_data_folder(seeded):
    hits = lieta(seeded, "search", "berzin").stdout.splitlines()
    first = hits[0].split("\t")
    surname, code = first[0], first[2]
    everything = all_bytes(seeded)
    for secret in {surname, code, code.replace("-", ""), "Bērziņ", "Ozoliņ"}:
        assert secret.encode("utf-8") not in everything
        assert secret.encode("utf-16-le") not in everything


def test_file_is_not_readable_by_plain_sqlite(seeded):
    connection = sqlite3.connect(seeded / "lieta.db")
    with pytest.raises(sqlite3.DatabaseError):
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
    connection.close()


def test_wrong_passphrase_exits_with_its_own_code_and_changes_no_file(seeded):
    before = snapshot(seeded)
    result = lieta(seeded, "search", "x", passphrase="wrong-passphrase")
    assert result.returncode == EXIT_WRONG_PASSPHRASE
    assert "Wrong user name or passphrase" in result.stderr
    assert snapshot(seeded) == before


def test_unknown_user_looks_like_a_wrong_passphrase(seeded):
    result = lieta(seeded, "search", "x", user="nobody")
    assert result.returncode == EXIT_WRONG_PASSPHRASE


def test_doctor_reports_a_healthy_store(seeded):
    result = lieta(seeded, "doctor")
    assert result.returncode == 0, result.stdout
    assert "FAIL" not in result.stdout and "OK" in result.stdout


def test_messages_are_latvian_by_default(seeded):
    result = lieta(seeded, "search", "x", passphrase="wrong-passphrase", LIETA_LANG="")
    assert result.returncode == EXIT_WRONG_PASSPHRASE
    assert "Nepareizs" in result.stderr  # "Nepareizs lietotājvārds vai parole."


def test_usage_errors_have_their_own_code(tmp_path):
    assert lieta(tmp_path, "search").returncode == EXIT_USAGE
    assert lieta(tmp_path, "no-such-command").returncode == EXIT_USAGE
    result = lieta(tmp_path, "search", "x", passphrase=None)  # no passphrase and no terminal
    assert result.returncode == EXIT_USAGE


def test_commands_on_a_missing_store_say_how_to_create_one(tmp_path):
    result = lieta(tmp_path / "empty", "search", "x")
    assert result.returncode == EXIT_NO_STORE
    assert "lieta init" in result.stderr


def test_weak_passphrase_and_bad_login_are_invalid_input(tmp_path):
    assert lieta(tmp_path / "a", "init", passphrase="short").returncode == EXIT_INVALID
    assert lieta(tmp_path / "b", "init", user="Bad Login").returncode == EXIT_INVALID
    assert not (tmp_path / "a" / "lieta.db").exists()


def test_user_add_passwd_remove_round_trip(tmp_path):
    data = tmp_path / "users"
    assert lieta(data, "init").returncode == 0
    added = lieta(data, "user", "add", "janis", "--name", "Jānis Liepiņš", "--role", "social_worker",
                  LIETA_NEW_PASSPHRASE="Janis-parole-2026")
    assert added.returncode == 0, added.stderr
    assert lieta(data, "search", "x", user="janis", passphrase="Janis-parole-2026").returncode == 0
    # a social worker may not add users
    denied = lieta(data, "user", "add", "x2", "--name", "X", user="janis", passphrase="Janis-parole-2026",
                   LIETA_NEW_PASSPHRASE="Another-pass-1")
    assert denied.returncode == EXIT_PERMISSION
    changed = lieta(data, "user", "passwd", user="janis", passphrase="Janis-parole-2026",
                    LIETA_NEW_PASSPHRASE="Jauna-parole-2027")
    assert changed.returncode == 0, changed.stderr
    assert lieta(data, "search", "x", user="janis", passphrase="Janis-parole-2026").returncode == EXIT_WRONG_PASSPHRASE
    assert lieta(data, "search", "x", user="janis", passphrase="Jauna-parole-2027").returncode == 0
    assert lieta(data, "user", "remove", "janis").returncode == 0
    assert lieta(data, "search", "x", user="janis", passphrase="Jauna-parole-2027").returncode == EXIT_WRONG_PASSPHRASE


def test_backup_and_restore_from_the_command_line(tmp_path):
    data = tmp_path / "br"
    assert lieta(data, "init").returncode == 0
    assert lieta(data, "seed-demo", "--clients", "5").returncode == 0
    backup = lieta(data, "backup")
    assert backup.returncode == 0, backup.stderr
    path = backup.stdout.strip().split(": ", 1)[1]
    assert lieta(data, "seed-demo", "--clients", "5", "--seed", "2").returncode == 0
    count_after = len(lieta(data, "search", "priedkalnes", "--limit", "1000").stdout.splitlines())
    restored = lieta(data, "restore", path)
    assert restored.returncode == 0, restored.stderr
    count_restored = len(lieta(data, "search", "priedkalnes", "--limit", "1000").stdout.splitlines())
    assert count_restored < count_after
    assert "lietabackup" in lieta(data, "backups").stdout


def test_restore_of_a_damaged_backup_changes_nothing(tmp_path):
    data = tmp_path / "bad"
    assert lieta(data, "init").returncode == 0
    bogus = tmp_path / "bogus.lietabackup"
    bogus.write_bytes(b"LIETABK1" + b"\x00\x00\x00\x02{}" + b"garbage")
    before = snapshot(data)
    result = lieta(data, "restore", str(bogus))
    assert result.returncode != 0
    assert snapshot(data) == before


def test_plaintext_file_in_place_of_the_store_is_refused(tmp_path):
    data = tmp_path / "plain"
    assert lieta(data, "init").returncode == 0
    (data / "lieta.db").unlink()
    for sidecar in data.glob("lieta.db-*"):
        sidecar.unlink()
    sqlite3.connect(data / "lieta.db").execute("CREATE TABLE t(x)").connection.commit()
    result = lieta(data, "search", "x")
    assert result.returncode == EXIT_DAMAGED
    assert "unencrypted" in result.stderr


def test_lieta_alone_opens_the_desktop_without_loading_the_commands(monkeypatch, tmp_path):
    from app import cli

    opened = []
    monkeypatch.setattr(cli, "build_parser", lambda: (_ for _ in ()).throw(AssertionError("full parser built")))
    monkeypatch.setattr(cli, "cmd_gui", lambda args: opened.append((args.data_dir, args.user)) or 0)
    assert cli.main(["--data-dir", str(tmp_path), "--user", "anna"]) == 0
    assert opened == [(tmp_path, "anna")]
