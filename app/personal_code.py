"""Latvian personal identity codes (personas kods): parsing, validation and synthetic demo codes.

Two formats exist (Law on the Natural Persons' Register, Art. 6(2) and transitional provision 4):

* **old** (issued up to 30 June 2017): ``DDMMYY-CNNNN``. The first six digits are the date of birth, ``C`` is
  the century (0 = 1800s, 1 = 1900s, 2 = 2000s) and the last digit is a check digit.
* **new** (from 1 July 2017): ``3``, then a digit 2-9, then nine random digits. The law defines no check
  digit; issued codes appear to satisfy the old mod-11 rule, so a failure is only a warning.

The hyphen after the sixth digit is optional on input; :attr:`PersonalCode.formatted` (with the hyphen) is the
canonical form for display and storage. Error messages never contain the code or any digit at all, because
exception text reaches logs and crash reports.
"""

from __future__ import annotations

import datetime
import random
import re
from dataclasses import dataclass, field
from typing import Literal

from app.errors import RequiredField, ValidationError
from storage.errors import N_

__all__ = [
    "PersonalCode",
    "parse_personal_code",
    "is_valid",
    "check_digit",
    "fake_old_code",
    "fake_new_code",
    "OLD_FORMAT_LAST_DATE",
]

FIELD = "personal_code"
#: The last day on which old-format codes were issued; no old code can carry a later date of birth.
OLD_FORMAT_LAST_DATE = datetime.date(2017, 6, 30)
WEIGHTS = (1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CENTURIES = {"0": 1800, "1": 1900, "2": 2000}

# Refusals, one per cause. They deliberately contain no digits at all (not even static ones), so no
# message can ever be mistaken for, or leak, a part of the code.
MSG_INVALID_CHARACTERS = N_("A personal code may contain only digits and a hyphen after the sixth digit.")
MSG_WRONG_LENGTH = N_("A personal code has exactly eleven digits.")
MSG_MISPLACED_HYPHEN = N_("The hyphen in a personal code belongs after the sixth digit.")
MSG_UNKNOWN_START = N_(
    "A personal code starts either with a day of the month (old format) or with a number from thirty-two "
    "to thirty-nine (new format)."
)
MSG_UNKNOWN_CENTURY = N_(
    "The seventh digit of an old-format personal code must be zero, one or two (the century of birth)."
)
MSG_IMPOSSIBLE_DATE = N_("The first six digits of an old-format personal code are not a real date of birth.")
MSG_DATE_TOO_LATE = N_(
    "The date of birth in this old-format personal code is later than the end of June two thousand "
    "seventeen, when old-format codes stopped being issued."
)
MSG_WRONG_CHECK_DIGIT = N_(
    "The last digit of the personal code does not match the others. Please check the code for a typing error."
)
# Warnings (the code is accepted).
MSG_NEW_CHECKSUM_WARNING = N_(
    "This new-format personal code does not pass the usual checksum. It was accepted because new-format "
    "codes have no legal check digit, but please check it for a typing error."
)

_SHAPE = re.compile(r"([0-9]{6})-?([0-9]{5})")


@dataclass(frozen=True)
class PersonalCode:
    """A parsed personal code. The code and the date of birth are left out of ``repr`` (personal data)."""

    digits: str = field(repr=False)  #: the 11 digits, without a hyphen
    format: Literal["old", "new"]
    birth_date: datetime.date | None = field(repr=False)  #: old format only
    checksum_ok: bool
    #: msgids (translate with ``app.i18n.gettext``) of problems that did not lead to a refusal
    warnings: tuple[str, ...] = ()

    @property
    def formatted(self) -> str:
        """The canonical form ``DDDDDD-DDDDD`` (hyphen after the sixth digit)."""
        return f"{self.digits[:6]}-{self.digits[6:]}"


def _refuse(msgid: str) -> ValidationError:
    return ValidationError(msgid, field=FIELD)


def check_digit(first_ten: str) -> int:
    """The mod-11 check digit of an old-format code: (1101 - sum of dᵢ·wᵢ) mod 11 mod 10.

    A remainder of 10 gives 0. ``first_ten`` must be exactly ten ASCII digits (else ``ValueError``).
    """
    if len(first_ten) != 10 or not first_ten.isascii() or not first_ten.isdigit():
        raise ValueError("check_digit needs exactly ten ASCII digits")
    total = sum(int(d) * w for d, w in zip(first_ten, WEIGHTS))
    return (1101 - total) % 11 % 10


def _digits_of(text: str) -> str:
    """The 11 digits of ``text``, or a refusal that says what is wrong with its shape."""
    stripped = text.strip()
    if not stripped:
        raise RequiredField(field=FIELD)
    match = _SHAPE.fullmatch(stripped)
    if match:
        return match.group(1) + match.group(2)
    if any(ch not in "0123456789-" for ch in stripped):
        raise _refuse(MSG_INVALID_CHARACTERS)
    digit_count = sum(ch != "-" for ch in stripped)
    if digit_count != 11:
        raise _refuse(MSG_WRONG_LENGTH)
    raise _refuse(MSG_MISPLACED_HYPHEN)


def parse_personal_code(text: str) -> PersonalCode:
    """Parse and validate a personal code, with or without the hyphen and surrounding whitespace.

    Raises :class:`app.errors.ValidationError` (``field="personal_code"``) with a cause-specific msgid.
    A new-format code that fails the mod-11 checksum is accepted with ``checksum_ok=False`` and a warning.
    """
    digits = _digits_of(text)
    checksum_ok = check_digit(digits[:10]) == int(digits[10])
    if int(digits[:2]) >= 32:
        if digits[0] != "3":
            raise _refuse(MSG_UNKNOWN_START)
        warnings = () if checksum_ok else (MSG_NEW_CHECKSUM_WARNING,)
        return PersonalCode(digits, "new", None, checksum_ok, warnings)

    century = CENTURIES.get(digits[6])
    if century is None:
        raise _refuse(MSG_UNKNOWN_CENTURY)
    try:
        birth_date = datetime.date(century + int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))
    except ValueError:
        raise _refuse(MSG_IMPOSSIBLE_DATE) from None
    if birth_date > OLD_FORMAT_LAST_DATE:
        raise _refuse(MSG_DATE_TOO_LATE)
    if not checksum_ok:
        raise _refuse(MSG_WRONG_CHECK_DIGIT)
    return PersonalCode(digits, "old", birth_date, True)


def is_valid(text: str) -> bool:
    """True if :func:`parse_personal_code` accepts ``text`` (a new code with a checksum warning counts)."""
    try:
        parse_personal_code(text)
    except ValidationError:
        return False
    return True


# --- synthetic demo data -------------------------------------------------------------------------------


def _random_digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def fake_old_code(birth_date: datetime.date, rng: random.Random) -> str:
    """A made-up, valid old-format code (formatted) for ``birth_date``; deterministic given ``rng``.

    Only dates from 1 January 1800 to 30 June 2017 have old-format codes (else ``ValueError``).
    """
    if not datetime.date(1800, 1, 1) <= birth_date <= OLD_FORMAT_LAST_DATE:
        raise ValueError("old-format codes exist only for dates of birth from 1800 to 30 June 2017")
    century_digit = str(birth_date.year // 100 - 18)
    date_part = f"{birth_date.day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
    first_ten = date_part + century_digit + _random_digits(rng, 3)
    return f"{first_ten[:6]}-{first_ten[6:]}{check_digit(first_ten)}"


def fake_new_code(rng: random.Random) -> str:
    """A made-up new-format code (formatted): ``3``, a digit 2-9, random digits, and a last digit that
    makes it pass the mod-11 checksum as issued codes appear to. Deterministic given ``rng``."""
    first_ten = "3" + str(rng.randint(2, 9)) + _random_digits(rng, 8)
    return f"{first_ten[:6]}-{first_ten[6:]}{check_digit(first_ten)}"
