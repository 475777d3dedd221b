"""Errors that carry a user-facing message without personal data.

Every error Lieta shows a user is a :class:`LietaError`. Its ``msgid`` is English source text marked for
translation; ``app.i18n.user_message`` renders it in the user's language. Parameters must never hold personal
data (names, personal codes, addresses): exception text ends up in logs and crash reports.
"""

from __future__ import annotations


def N_(msgid: str) -> str:
    """Mark a string for translation without translating it (gettext extraction keyword)."""
    return msgid


class LietaError(Exception):
    """Base of all errors whose message is fit to show a user."""

    msgid: str = N_("Something went wrong.")
    #: a stable, machine-readable identifier (CLI exit codes, tests, the sync protocol)
    code: str = "error"

    def __init__(self, msgid: str | None = None, /, **params: object) -> None:
        if msgid is not None:
            self.msgid = msgid
        self.params = params
        super().__init__(self.english())

    def english(self) -> str:
        try:
            return self.msgid.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.msgid


class StoreError(LietaError):
    code = "store"


class StoreNotFound(StoreError):
    code = "store_not_found"
    msgid = N_("No case store exists in this data folder yet. Create one with 'lieta init'.")


class StoreExists(StoreError):
    code = "store_exists"
    msgid = N_("A case store already exists in this data folder.")


class WrongPassphrase(StoreError):
    code = "wrong_passphrase"
    msgid = N_("Wrong user name or passphrase.")


class UnknownUser(WrongPassphrase):
    """Deliberately indistinguishable from a wrong passphrase for the person at the keyboard."""

    code = "wrong_passphrase"


class LastUser(StoreError):
    code = "last_user"
    msgid = N_("The last user of this laptop cannot be removed: nobody could open the store.")


class DamagedStore(StoreError):
    code = "damaged_store"
    msgid = N_(
        "The case store is damaged and cannot be opened ({detail}). Restore the latest backup with "
        "'lieta restore' or ask the main office for help."
    )


class PlaintextStoreRefused(StoreError):
    code = "plaintext_store"
    msgid = N_(
        "The file is an unencrypted SQLite database. Lieta refuses to open or write plaintext client data."
    )


class StoreLocked(StoreError):
    code = "store_locked"
    msgid = N_("The case store is locked. Unlock it with your passphrase.")


class FinalRecordError(StoreError):
    code = "final_record"
    msgid = N_("This record is final ({entity}) and cannot be changed or deleted; add a correction instead.")


class DiskFull(StoreError):
    code = "disk_full"
    msgid = N_("The disk is full. Nothing was saved; free some space and try again.")
