"""Where Lieta keeps its files. One function decides; ``LIETA_DATA_DIR`` overrides it.

Tests and the portable build set only that variable (ARCHITECTURE.md example 7).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Lieta"


def default_data_dir() -> Path:
    override = os.environ.get("LIETA_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


@dataclass(frozen=True)
class StorePaths:
    """The files of one case store. Everything here is encrypted or holds no personal data."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "lieta.db"

    @property
    def key_slots(self) -> Path:
        return self.root / "keyslots.json"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    def sidecars(self) -> list[Path]:
        """SQLite's companion files of the database (WAL and shared memory)."""
        return [self.database.with_name(self.database.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
