"""Tests of app.personal_code: the documented examples, the refusal causes and the generators."""

from __future__ import annotations

import datetime
import random
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app import personal_code as pc
from app.errors import RequiredField, ValidationError
from app.personal_code import (
    PersonalCode,
    check_digit,
    fake_new_code,
    fake_old_code,
    is_valid,
    parse_personal_code,
)

REFUSAL_MSGIDS = [
    pc.MSG_INVALID_CHARACTERS,
    pc.MSG_WRONG_LENGTH,
    pc.MSG_MISPLACED_HYPHEN,
    pc.MSG_UNKNOWN_START,
    pc.MSG_UNKNOWN_CENTURY,
    pc.MSG_IMPOSSIBLE_DATE,
    pc.MSG_DATE_TOO_LATE,
    pc.MSG_WRONG_CHECK_DIGIT,
]

old_birth_dates = st.dates(min_value=datetime.date(1800, 1, 1), max_value=pc.OLD_FORMAT_LAST_DATE)
rngs = st.integers(min_value=0, max_value=2**32).map(random.Random)


def refusal(text: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        parse_personal_code(text)
    assert info.value.field == "personal_code"
    return info.value


def assert_no_code_digits(error: ValidationError, text: str) -> None:
    """Neither the rendered message nor str(error) may contain the code or any digit of it."""
    for message in (str(error), error.english(), error.msgid):
        assert not re.search(r"[0-9]", message), message
        for run in re.findall(r"[0-9]+", text):
            assert run not in message
    for value in error.params.values():
        assert not re.search(r"[0-9]", str(value))


# --- documented examples ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "birth_date"),
    [
        ("050385-12347", datetime.date(1985, 3, 5)),
        ("311299-10462", datetime.date(1999, 12, 31)),
        ("240652-11121", datetime.date(1952, 6, 24)),
        ("290204-25170", datetime.date(2004, 2, 29)),  # leap day; residue 10 gives check digit 0
    ],
)
def test_valid_old_codes(text: str, birth_date: datetime.date) -> None:
    code = parse_personal_code(text)
    assert code == PersonalCode(text.replace("-", ""), "old", birth_date, True, ())
    assert code.formatted == text
    assert is_valid(text)


def test_residue_ten_gives_check_digit_zero() -> None:
    total = sum(int(d) * w for d, w in zip("2902042517", pc.WEIGHTS))
    assert (1101 - total) % 11 == 10
    assert check_digit("2902042517") == 0


@pytest.mark.parametrize("text", ["324801-97654", "385720-44134"])
def test_valid_new_codes(text: str) -> None:
    code = parse_personal_code(text)
    assert code.format == "new"
    assert code.birth_date is None
    assert code.checksum_ok is True
    assert code.warnings == ()
    assert code.formatted == text


def test_new_code_failing_mod11_is_accepted_with_a_warning() -> None:
    code = parse_personal_code("324801-97650")
    assert code.format == "new"
    assert code.checksum_ok is False
    assert code.warnings == (pc.MSG_NEW_CHECKSUM_WARNING,)
    assert not re.search(r"[0-9]", pc.MSG_NEW_CHECKSUM_WARNING)
    assert is_valid("324801-97650")


@pytest.mark.parametrize(
    ("text", "msgid"),
    [
        ("050385-12348", pc.MSG_WRONG_CHECK_DIGIT),
        ("290201-23454", pc.MSG_IMPOSSIBLE_DATE),  # 29 Feb 2001, checksum correct
        ("010190-34564", pc.MSG_UNKNOWN_CENTURY),
        ("311390-12340", pc.MSG_IMPOSSIBLE_DATE),  # starts "31" so old format; month 13
        ("000185-12345", pc.MSG_IMPOSSIBLE_DATE),  # day 0
        ("050385-1234", pc.MSG_WRONG_LENGTH),
        ("050385-123478", pc.MSG_WRONG_LENGTH),
        ("0503851234", pc.MSG_WRONG_LENGTH),
        ("05O385-12347", pc.MSG_INVALID_CHARACTERS),  # letter O
        ("abcdef-ghijk", pc.MSG_INVALID_CHARACTERS),
        ("050385 12347", pc.MSG_INVALID_CHARACTERS),
        ("050385/12347", pc.MSG_INVALID_CHARACTERS),
        ("050385.12347", pc.MSG_INVALID_CHARACTERS),
        ("050385–12347", pc.MSG_INVALID_CHARACTERS),  # en dash
        ("０５０３８５-１２３４７", pc.MSG_INVALID_CHARACTERS),  # full-width digits
        ("٠٥٠٣٨٥-١٢٣٤٧", pc.MSG_INVALID_CHARACTERS),  # Arabic-Indic digits
        ("0503-8512347", pc.MSG_MISPLACED_HYPHEN),
        ("-05038512347", pc.MSG_MISPLACED_HYPHEN),
        ("050385--12347", pc.MSG_MISPLACED_HYPHEN),
        ("450385-12347", pc.MSG_UNKNOWN_START),
        ("994801-97654", pc.MSG_UNKNOWN_START),
    ],
)
def test_refusals_name_their_cause(text: str, msgid: str) -> None:
    error = refusal(text)
    assert error.msgid == msgid
    assert_no_code_digits(error, text)
    assert not is_valid(text)


def test_old_code_dated_after_june_2017_is_refused() -> None:
    for first_ten in ("0107172123", "0101992000"):  # 1 July 2017; 1 Jan 2099 (future)
        text = f"{first_ten[:6]}-{first_ten[6:]}{check_digit(first_ten)}"
        assert refusal(text).msgid == pc.MSG_DATE_TOO_LATE
    last = f"300617-2123{check_digit('3006172123')}"
    assert parse_personal_code(last).birth_date == datetime.date(2017, 6, 30)


def test_century_digits() -> None:
    for digit, year in (("0", 1885), ("1", 1985), ("2", 2005)):
        first_ten = f"0503{year % 100:02d}{digit}123"
        code = parse_personal_code(first_ten + str(check_digit(first_ten)))
        assert code.birth_date == datetime.date(year, 3, 5)


def test_leap_years() -> None:
    def code_for(ddmmyy: str, century: str) -> str:
        first_ten = ddmmyy + century + "123"
        return first_ten + str(check_digit(first_ten))

    assert parse_personal_code(code_for("290204", "2")).birth_date == datetime.date(2004, 2, 29)
    assert parse_personal_code(code_for("290200", "2")).birth_date == datetime.date(2000, 2, 29)
    assert refusal(code_for("290201", "2")).msgid == pc.MSG_IMPOSSIBLE_DATE
    assert refusal(code_for("290000", "1")).msgid == pc.MSG_IMPOSSIBLE_DATE  # 1900 is no leap year
    assert refusal(code_for("310485", "1")).msgid == pc.MSG_IMPOSSIBLE_DATE  # 31 April


def test_day_thirty_and_thirty_one_are_old_format() -> None:
    assert parse_personal_code("311299-10462").format == "old"
    first_ten = "3012991046"
    assert parse_personal_code(first_ten + str(check_digit(first_ten))).format == "old"


def test_hyphen_and_whitespace_are_optional() -> None:
    expected = parse_personal_code("050385-12347")
    for text in ("05038512347", "  050385-12347 ", "\t05038512347\n"):
        assert parse_personal_code(text) == expected
    assert parse_personal_code("32480197654").formatted == "324801-97654"


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_is_required(text: str) -> None:
    error = refusal(text)
    assert isinstance(error, RequiredField)


def test_refusal_msgids_are_distinct_and_digit_free() -> None:
    assert len(set(REFUSAL_MSGIDS)) == len(REFUSAL_MSGIDS)
    assert pc.MSG_NEW_CHECKSUM_WARNING not in REFUSAL_MSGIDS
    for msgid in REFUSAL_MSGIDS:
        assert not re.search(r"[0-9]", msgid)


def test_repr_hides_the_code_and_birth_date() -> None:
    text = repr(parse_personal_code("050385-12347"))
    assert "050385" not in text and "12347" not in text and "1985" not in text


def test_check_digit_rejects_bad_input() -> None:
    for bad in ("123456789", "12345678901", "12345678a0", "１２３４５６７８９０"):
        with pytest.raises(ValueError):
            check_digit(bad)
    assert check_digit("0503851234") == 7


# --- generators ------------------------------------------------------------------------------------------


@given(old_birth_dates, st.integers(min_value=0, max_value=2**32))
def test_fake_old_code_parses_with_its_birth_date(birth_date: datetime.date, seed: int) -> None:
    text = fake_old_code(birth_date, random.Random(seed))
    assert re.fullmatch(r"[0-9]{6}-[0-9]{5}", text)
    code = parse_personal_code(text)
    assert code.format == "old"
    assert code.birth_date == birth_date
    assert code.checksum_ok is True
    assert code.warnings == ()
    assert code.formatted == text
    assert fake_old_code(birth_date, random.Random(seed)) == text  # deterministic


def test_fake_old_code_refuses_dates_without_old_codes() -> None:
    rng = random.Random(0)
    for birth_date in (datetime.date(2017, 7, 1), datetime.date(1799, 12, 31), datetime.date(2100, 1, 1)):
        with pytest.raises(ValueError):
            fake_old_code(birth_date, rng)


@given(st.integers(min_value=0, max_value=2**32))
def test_fake_new_code_parses_as_new_and_passes_mod11(seed: int) -> None:
    text = fake_new_code(random.Random(seed))
    assert re.fullmatch(r"3[2-9][0-9]{4}-[0-9]{5}", text)
    code = parse_personal_code(text)
    assert code.format == "new"
    assert code.birth_date is None
    assert code.checksum_ok is True
    assert code.warnings == ()
    assert fake_new_code(random.Random(seed)) == text  # deterministic


def test_fake_new_codes_use_every_second_digit_from_two_to_nine() -> None:
    rng = random.Random(42)
    assert {fake_new_code(rng)[1] for _ in range(500)} == set("23456789")


# --- properties ------------------------------------------------------------------------------------------


@given(old_birth_dates, rngs, st.integers(min_value=0, max_value=9))
def test_changing_the_last_digit_of_an_old_code_is_always_caught(
    birth_date: datetime.date, rng: random.Random, new_digit: int
) -> None:
    digits = fake_old_code(birth_date, rng).replace("-", "")
    assume(str(new_digit) != digits[10])
    error = refusal(digits[:10] + str(new_digit))
    assert error.msgid == pc.MSG_WRONG_CHECK_DIGIT
    assert_no_code_digits(error, digits)


@given(old_birth_dates, rngs, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_changing_one_of_the_first_ten_digits_is_caught_unless_check_digit_is_zero(
    birth_date: datetime.date, rng: random.Random, position: int, delta: int
) -> None:
    digits = fake_old_code(birth_date, rng).replace("-", "")
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1 :]
    try:
        code = parse_personal_code(changed)
    except ValidationError as error:
        assert error.msgid in REFUSAL_MSGIDS
        assert_no_code_digits(error, changed)
        return
    assert code.digits == changed and code.digits != digits
    # Every weight is non-zero mod 11, so the residue always changes; only residues 0 and 10 share the
    # check digit 0. So the mod-11 rule still holds only in that collision (another valid code).
    if code.checksum_ok:
        assert digits[10] == "0"
    else:
        # First two digits of 32-39 (e.g. 22 -> 32, 30 -> 35) make a new-format code: accepted, warned.
        assert code.format == "new"
        assert code.warnings == (pc.MSG_NEW_CHECKSUM_WARNING,)


@given(st.one_of(st.builds(fake_old_code, old_birth_dates, rngs), rngs.map(fake_new_code)))
def test_formatted_round_trips(text: str) -> None:
    code = parse_personal_code(text)
    assert parse_personal_code(code.formatted) == code
    assert parse_personal_code(code.digits) == code
    assert code.formatted == text


@given(st.integers(min_value=2, max_value=9), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_structurally_valid_new_code_is_accepted(second: int, rest: str) -> None:
    digits = f"3{second}{rest}"
    code = parse_personal_code(digits)
    assert code.format == "new"
    assert code.checksum_ok is (check_digit(digits[:10]) == int(digits[10]))
    assert code.warnings == (() if code.checksum_ok else (pc.MSG_NEW_CHECKSUM_WARNING,))


@given(st.text(max_size=20))
def test_arbitrary_text_is_parsed_or_refused_without_leaking_digits(text: str) -> None:
    try:
        code = parse_personal_code(text)
    except ValidationError as error:
        assert error.field == "personal_code"
        assert_no_code_digits(error, text)
        assert not is_valid(text)
    else:
        assert re.fullmatch(r"[0-9]{11}", code.digits)
        assert is_valid(text)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_any_eleven_digits_parse_or_refuse_without_leaking(digits: str) -> None:
    try:
        code = parse_personal_code(digits)
    except ValidationError as error:
        assert error.msgid in REFUSAL_MSGIDS
        assert_no_code_digits(error, digits)
    else:
        assert code.digits == digits
        if code.format == "old":
            assert code.checksum_ok and code.birth_date is not None
