"""Writing a benchmark's table into docs/benchmarks.md: between its own markers, replacing the previous run."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, marker: str, report: str) -> None:
    """Put ``report`` between two ``marker`` lines in ``path`` (appended the first time)."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    section = f"{marker}\n{report}\n{marker}"
    if marker in existing:
        before, _, rest = existing.partition(marker)
        _, _, after = rest.partition(marker)
        path.write_text(before + section + after, encoding="utf-8")
    else:
        path.write_text(existing + ("\n" if existing else "") + section + "\n", encoding="utf-8")
