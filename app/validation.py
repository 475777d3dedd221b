"""Small, strict input checks shared by the services. Each raises a ValidationError naming the field."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Iterable

from app.errors import RequiredField, ValidationError
from storage.errors import N_

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()-]{5,20}$")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?")
_DATETIME_LV = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\.? (\d{1,2}):(\d{2})")
#: old laptops' clocks drift: a moment this far "in the future" is still accepted as now
CLOCK_SLACK = dt.timedelta(minutes=5)


def text(value: object, field: str, *, required: bool = True, max_length: int = 10_000) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RequiredField(field=field)
        return None
    if not isinstance(value, str):
        raise ValidationError(field=field)
    cleaned = value.strip()
    if len(cleaned) > max_length:
        raise ValidationError(N_("'{field_msg}' is too long (at most {limit} characters)."), field=field, limit=max_length)
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in cleaned):
        raise ValidationError(N_("'{field_msg}' contains control characters."), field=field)
    return cleaned


def name(value: object, field: str) -> str:
    cleaned = text(value, field, max_length=120)
    assert cleaned is not None
    if not any(ch.isalpha() for ch in cleaned) or any(ch.isdigit() for ch in cleaned):
        raise ValidationError(N_("'{field_msg}' must be a name written in letters."), field=field)
    return cleaned


def date(value: object, field: str, *, required: bool = True, not_after: dt.date | None = None,
         not_before: dt.date | None = None) -> dt.date | None:
    """Accepts a date, ISO ``YYYY-MM-DD`` or Latvian ``DD.MM.YYYY``; refuses impossible dates."""
    if value is None or value == "":
        if required:
            raise RequiredField(field=field)
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    elif isinstance(value, str):
        parsed = _parse_date(value.strip(), field)
    else:
        raise ValidationError(field=field)
    if not_after and parsed > not_after:
        raise ValidationError(N_("'{field_msg}' cannot be in the future."), field=field)
    if not_before and parsed < not_before:
        raise ValidationError(N_("'{field_msg}' is too early."), field=field)
    return parsed


def _parse_date(raw: str, field: str) -> dt.date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return dt.date.fromisoformat(raw)
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\.?", raw)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(N_("'{field_msg}' is not a real calendar date."), field=field) from None
    raise ValidationError(N_("'{field_msg}' must be a date like 31.12.2026."), field=field)


def choice(value: object, field: str, allowed: Iterable[str], *, required: bool = True) -> str | None:
    if value is None or value == "":
        if required:
            raise RequiredField(field=field)
        return None
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValidationError(N_("'{field_msg}' must be one of: {options}."), field=field, options=", ".join(allowed))
    return str(value)


def choices(values: Iterable[str] | None, field: str, allowed: Iterable[str]) -> list[str]:
    allowed = tuple(allowed)
    result = []
    for value in values or ():
        result.append(choice(value, field, allowed))
    return sorted(set(result), key=result.index)


def email(value: object, field: str = "email") -> str | None:
    cleaned = text(value, field, required=False, max_length=200)
    if cleaned and not EMAIL.match(cleaned):
        raise ValidationError(N_("'{field_msg}' is not a valid e-mail address."), field=field)
    return cleaned


def phone(value: object, field: str = "phone") -> str | None:
    cleaned = text(value, field, required=False, max_length=40)
    if cleaned and not PHONE.match(cleaned):
        raise ValidationError(N_("'{field_msg}' is not a valid phone number."), field=field)
    return cleaned


def integer(value: object, field: str, *, minimum: int | None = None, maximum: int | None = None,
            required: bool = True) -> int | None:
    if value is None or value == "":
        if required:
            raise RequiredField(field=field)
        return None
    if isinstance(value, bool):
        raise ValidationError(N_("'{field_msg}' must be a whole number."), field=field)
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValidationError(N_("'{field_msg}' must be a whole number."), field=field) from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ValidationError(N_("'{field_msg}' is out of range."), field=field)
    return number


def money_cents(value: object, field: str = "amount", *, required: bool = True) -> int | None:
    """EUR as entered ('123,45', '123.45', 123.45) to integer cents; refuses negatives and fractions of a cent."""
    if value is None or value == "":
        if required:
            raise RequiredField(field=field)
        return None
    raw = str(value).strip().replace(" ", "").replace(",", ".")
    match = re.fullmatch(r"(\d{1,9})(?:\.(\d{1,2}))?", raw)
    if not match:
        raise ValidationError(N_("'{field_msg}' must be an amount in euros, e.g. 123,45."), field=field)
    whole, frac = match.groups()
    return int(whole) * 100 + int((frac or "0").ljust(2, "0"))


def identifier(value: object, field: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationError(N_("'{field_msg}' is not a valid record id."), field=field) from None


def moment(value: object, field: str, *, now: dt.datetime, required: bool = True) -> dt.datetime | None:
    """A point in time, timezone-aware; not later than ``now`` plus the clock slack.

    Accepts an aware datetime, a naive one (taken as this laptop's local time), ISO ``2026-11-23 10:15`` or
    Latvian ``23.11.2026 10:15``.
    """
    if value is None or value == "":
        if required:
            raise RequiredField(field=field)
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        parsed = _parse_moment(value.strip(), field)
    else:
        raise ValidationError(field=field)
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()  # naive: the laptop's local time
    parsed = parsed.astimezone(dt.timezone.utc)
    if parsed > now + CLOCK_SLACK:
        raise ValidationError(N_("'{field_msg}' cannot be in the future."), field=field)
    return parsed


def _parse_moment(raw: str, field: str) -> dt.datetime:
    try:
        match = _DATETIME.fullmatch(raw)
        if match:
            day, hour, minute, second = match.groups()
            return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(int(hour), int(minute), int(second or 0)))
        match = _DATETIME_LV.fullmatch(raw)
        if match:
            d, m, y, hour, minute = (int(g) for g in match.groups())
            return dt.datetime(y, m, d, hour, minute)
    except ValueError:
        raise ValidationError(N_("'{field_msg}' is not a real calendar date and time."), field=field) from None
    raise ValidationError(N_("'{field_msg}' must be a date and time like 31.12.2026 14:30."), field=field)


# -- shared look-ups (also used by visits, assistance and records) -------------------------------------------
