"""Every string the reports show has a Latvian translation, in the catalog or in the list waiting to be merged."""

import string
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from app import i18n

ROOT = Path(__file__).resolve().parents[3]
PENDING = ROOT / "docs" / "reports-strings-lv.txt"
LATVIAN_LETTERS = set("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ")


def fields(text: str) -> set[str]:
    return {name for _l, name, _s, _c in string.Formatter().parse(text) if name is not None}


def pending() -> dict[str, str]:
    return dict(line.split("\t") for line in PENDING.read_text(encoding="utf-8").splitlines() if line)


def test_every_report_string_is_translated_or_waiting_to_be_merged(tmp_path):
    pot = tmp_path / "reports.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", "babel.cfg", "-k", "N_",
                    "-k", "_", "-o", str(pot), "app/reports", "app/cli_reports.py"], cwd=ROOT, check=True)
    with pot.open("rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    with (Path(i18n.LOCALE_DIR) / "lv" / "LC_MESSAGES" / "lieta.po").open("rb") as handle:
        translated = {m.id for m in read_po(handle, locale="lv") if m.id and m.string and not m.fuzzy}
    assert not wanted - translated - set(pending())


def test_pending_translations_keep_their_placeholders_and_are_written_with_diacritics():
    translations = pending()
    assert len(translations) > 100
    for msgid, latvian in translations.items():
        assert latvian.strip() and fields(latvian) == fields(msgid), msgid
    assert sum(1 for latvian in translations.values() if LATVIAN_LETTERS & set(latvian)) > len(translations) / 2
