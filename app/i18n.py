"""One gettext catalog for all of Lieta's own strings: errors, CLI, documents and UI.

Source strings are English; Latvian is the first language. Catalogs live in ``resources/locale``
(``.po`` edited by people, ``.mo`` compiled with ``python dev.py i18n``). Runtime uses only the standard
library's gettext, so loading costs no third-party import.
"""

from __future__ import annotations

import gettext as _gettext
import string
from pathlib import Path

from storage.errors import LietaError, N_

DOMAIN = "lieta"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "resources" / "locale"
LANGUAGES = ("lv", "en")
DEFAULT_LANGUAGE = "lv"

__all__ = ["N_", "_", "gettext", "ngettext", "set_language", "current_language", "user_message"]

_catalogs: dict[str, _gettext.NullTranslations] = {}
_language = DEFAULT_LANGUAGE


def _catalog(language: str) -> _gettext.NullTranslations:
    if language not in _catalogs:
        _catalogs[language] = _gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True
        )
    return _catalogs[language]


def set_language(language: str) -> None:
    """Switch the language of everything rendered from now on ('lv' or 'en')."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _language = language


def current_language() -> str:
    return _language


def _fields(text: str) -> set[str]:
    try:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<malformed>"}


def gettext(msgid: str, language: str | None = None) -> str:
    """Translate ``msgid``; a translation that lost or invented a ``{placeholder}`` falls back to English."""
    translated = _catalog(language or _language).gettext(msgid)
    if translated is not msgid and _fields(translated) != _fields(msgid):
        return msgid
    return translated


def ngettext(singular: str, plural: str, n: int, language: str | None = None) -> str:
    translated = _catalog(language or _language).ngettext(singular, plural, n)
    source = singular if n == 1 else plural
    if _fields(translated) != _fields(source):
        return source
    return translated


_ = gettext


def user_message(error: BaseException, language: str | None = None) -> str:
    """The text to show a user for ``error``: translated for Lieta's own errors, generic otherwise."""
    if isinstance(error, LietaError):
        text = gettext(error.msgid, language)
        params = {
            key: gettext(value, language) if isinstance(value, str) and key.endswith("_msg") else value
            for key, value in error.params.items()
        }
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return gettext(LietaError.msgid, language)
