"""This laptop's settings: each declared once, typed, with a default and a translatable label (ARCHITECTURE.md
example 7).

Settings belong to the laptop, not to a user, and hold no personal data, so they live beside the store as
``settings.json`` (``storage.paths.StorePaths.settings`` under the one data folder that ``LIETA_DATA_DIR``
overrides) and are readable before anyone unlocks — the unlock window speaks the chosen language. A missing
key takes its default, a value out of range falls back to the default, a key this version does not know is
ignored (and written back untouched, so a newer version's settings survive), and a file that cannot be read is
set aside under a new name: a settings file is never a reason to refuse opening the case store.

The central service's address is deliberately *not* here: an enrolled laptop keeps it in the store's sync state,
beside the TLS certificate it pinned at enrolment. :func:`change_server_address` changes that one copy.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping


from app.errors import ValidationError
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES
from storage.errors import N_
from storage.fileio import atomic_write_bytes
from storage.paths import StorePaths, default_data_dir

log = logging.getLogger(__name__)

SERVER_FIELD = N_("central service address")
#: hosts on which a plain-http service is accepted (the embedded demo service); the sync engine says the same
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "testserver"})


# -- the declarations ------------------------------------------------------------------------------------------------
def _choice(allowed: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value not in allowed:
            raise ValueError("not one of the choices")
        return value
    return parse


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError("not a whole number in range")
        return value
    return parse


def _text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if not isinstance(value, str) or len(value) > max_length:
            raise ValueError("not a short text")
        return value.strip()
    return parse


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("not true or false")
    return value


@dataclass(frozen=True)
class Setting:
    key: str
    label: str  # msgid
    default: Any
    parse: Callable[[Any], Any]  # the stored value, or ValueError


SETTINGS: tuple[Setting, ...] = (
    Setting("language", N_("Language"), DEFAULT_LANGUAGE, _choice(LANGUAGES)),
    Setting("autolock_minutes", N_("Lock after this many minutes without use"), 5, _whole(1, 120)),
    Setting("printer", N_("Printer"), "", _text(200)),  # "" = the system's default printer
    Setting("large_print", N_("Large print by default"), False, _flag),
)
DECLARED = {setting.key: setting for setting in SETTINGS}
AUTOLOCK_RANGE = (1, 120)


class Settings(Mapping[str, Any]):
    """The values of every declared setting (attribute or key access); immutable — :meth:`replace` makes a new one."""

    def __init__(self, values: Mapping[str, Any] | None = None, *, unknown: Mapping[str, Any] | None = None) -> None:
        given = dict(values or {})
        self._values = {s.key: given.get(s.key, s.default) for s in SETTINGS}
        self._unknown = dict(unknown or {})

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["_values"][key]
        except KeyError:
            raise AttributeError(key) from None

    def __repr__(self) -> str:
        return f"Settings({self._values!r})"

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes``; a value a setting does not accept is refused with the setting's label."""
        values = dict(self._values)
        for key, value in changes.items():
            setting = DECLARED.get(key)
            if setting is None:
                raise KeyError(key)
            try:
                values[key] = setting.parse(value)
            except ValueError:
                raise ValidationError(field=key, field_msg=setting.label) from None
        return Settings(values, unknown=self._unknown)

    def to_json(self) -> bytes:
        return (json.dumps({**self._unknown, **self._values}, ensure_ascii=False, indent=2, sort_keys=True)
                + "\n").encode()


def defaults() -> Settings:
    return Settings()


# -- the file --------------------------------------------------------------------------------------------------------
def settings_file(data_dir: Path | None = None) -> Path:
    return StorePaths(Path(data_dir) if data_dir is not None else default_data_dir()).settings


def load_settings(data_dir: Path | None = None) -> Settings:
    """The laptop's settings; never raises for a missing, damaged or outdated file (see the module text)."""
    path = settings_file(data_dir)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return defaults()
    except OSError as exc:
        log.warning("settings file unreadable (%s); using defaults", type(exc).__name__)
        return defaults()
    try:
        stored = json.loads(raw.decode("utf-8"))
        if not isinstance(stored, dict):
            raise ValueError("not an object")
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        set_aside(path)
        return defaults()
    values = {}
    for setting in SETTINGS:
        if setting.key not in stored:
            continue
        try:
            values[setting.key] = setting.parse(stored[setting.key])
        except ValueError:
            log.warning("setting %s has an invalid value; using its default", setting.key)
    unknown = {key: value for key, value in stored.items() if key not in DECLARED}
    return Settings(values, unknown=unknown)


def set_aside(path: Path) -> Path | None:
    """Rename a damaged settings file (kept for whoever wants to look at it) so the defaults can be saved."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
    try:
        path.rename(target)
    except OSError as exc:
        log.warning("damaged settings file could not be set aside (%s)", type(exc).__name__)
        return None
    log.warning("damaged settings file set aside as %s; using defaults", target.name)
    return target


def save_settings(settings: Settings, data_dir: Path | None = None) -> Path:
    """Write the settings atomically (a crash leaves the old file or the new one)."""
    path = settings_file(data_dir)
    atomic_write_bytes(path, settings.to_json(), mode=0o600)
    return path


# -- the central service's address (kept in the store's sync state: app.laptop) ---------------------------------------
def valid_server_url(value: str) -> str:
    """``https://host[:port][/path]``, or plain ``http://`` on this computer itself; without a trailing slash."""
    text = (value or "").strip().rstrip("/")
    try:
        parts = urllib.parse.urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        host, parts = "", None
    secure = parts is not None and parts.scheme == "https"
    local = parts is not None and parts.scheme == "http" and host in LOOPBACK
    if not host or not (secure or local) or parts.username or parts.password or parts.query or parts.fragment \
            or any(char.isspace() for char in text):
        raise ValidationError(N_("Enter the central service address as https://name-or-address (plain http:// "
                                 "only for a service on this computer)."), field="server_url",
                              field_msg=SERVER_FIELD)
    return text
