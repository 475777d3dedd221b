"""One gettext catalog for everything Lieta says; every translation keeps its placeholders."""

import gettext
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import i18n
from app.errors import ValidationError
from storage.errors import WrongPassphrase

LOCALE = Path(i18n.LOCALE_DIR)
LATVIAN_LETTERS = set("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ")


def fields(text: str) -> set[str]:
    return {name for _l, name, _s, _c in string.Formatter().parse(text) if name is not None}


def catalog(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "lieta.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_translation_keeps_its_placeholders(language):
    for message in catalog(language):
        if message.id and message.string:
            assert fields(message.string) == fields(message.id), message.id


def test_latvian_catalog_is_complete_and_written_with_diacritics():
    messages = [m for m in catalog("lv") if m.id]
    missing = [m.id for m in messages if not m.string]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:3]}"
    with_diacritics = sum(1 for m in messages if LATVIAN_LETTERS & set(m.string))
    assert with_diacritics > len(messages) * 0.5


def test_compiled_catalogs_match_their_sources():
    for language in ("lv", "en"):
        compiled = gettext.GNUTranslations((LOCALE / language / "LC_MESSAGES" / "lieta.mo").open("rb"))
        for message in catalog(language):
            if message.id and message.string and not message.fuzzy:
                assert compiled.gettext(message.id) == message.string, f"recompile: python3 dev.py i18n ({message.id})"


def test_every_string_in_the_code_is_in_the_catalog(tmp_path):
    pot = tmp_path / "lieta.pot"
    root = Path(__file__).resolve().parents[2]
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", "babel.cfg", "-k", "N_",
                    "-k", "_", "-o", str(pot), "app", "storage", "ui", "forms", "sync"], cwd=root, check=True)
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    known = {m.id for m in catalog("lv") if m.id}
    assert not wanted - known, f"run 'python3 dev.py i18n' and translate: {sorted(wanted - known)[:5]}"


def test_errors_render_in_the_chosen_language():
    error = WrongPassphrase()
    assert i18n.user_message(error, "en") == "Wrong user name or passphrase."
    assert i18n.user_message(error, "lv") != "Wrong user name or passphrase."
    invalid = ValidationError(field="personal_code")
    assert "personas kod" in i18n.user_message(invalid, "lv")  # the field label is translated too


def test_a_translation_that_drops_a_placeholder_falls_back_to_english(monkeypatch):
    class Broken(gettext.NullTranslations):
        def gettext(self, message):
            return re.sub(r"\{\w+\}", "", message) + " (broken)"

    monkeypatch.setitem(i18n._catalogs, "lv", Broken())
    assert i18n.gettext("Added {clients} demo clients.", "lv") == "Added {clients} demo clients."


def test_unknown_errors_never_show_their_text():
    assert "secret" not in i18n.user_message(RuntimeError("secret Bērziņš"), "en")


def test_no_translation_is_a_machine_guess():
    """pybabel's fuzzy matches pair new strings with unrelated old translations; they must never ship."""
    guessed = [m.id for language in ("lv", "en") for m in catalog(language) if m.id and m.fuzzy]
    assert not guessed, f"fuzzy entries: {guessed[:3]}"
