"""Shared fixtures: real SQLCipher stores in temporary folders, fast (floor) Argon2id parameters."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests use the Argon2id floor (19 MiB, 2 passes) instead of the ~0.5 s calibration.
os.environ["LIETA_KDF_PROFILE"] = "minimum"

PASSPHRASE = "Pareiza-parole-2026!"
LOGIN = "anna"


@pytest.fixture
def lv():
    """Latvian, the default language; a test may switch to English and is switched back."""
    from app.i18n import set_language

    set_language("lv")
    yield
    set_language("lv")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the real user's data folder."""
    monkeypatch.setenv("LIETA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LIETA_PASSPHRASE", raising=False)
    monkeypatch.delenv("LIETA_USER", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path):
    """An unlocked, empty store whose first user is ``anna`` (social worker and administrator)."""
    from storage.store import Store

    opened = Store.create(
        data_dir, LOGIN, PASSPHRASE, display_name="Anna Kalniņa", roles=["social_worker", "administrator"]
    )
    yield opened
    if not opened.locked:
        opened.lock()


def all_bytes(folder: Path) -> bytes:
    """Every byte of every file under ``folder`` (to prove no plaintext leaks anywhere)."""
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
