"""The guard reads text the way a reader sees it: invisible characters, every kind of dash,
spaces around the separator and fullwidth digits do not hide an identity number, while dates,
case numbers (diarienummer) and numbers with a wrong check digit are still never reported.

Every identity number here is generated with a correct (or deliberately wrong) check digit,
never a real person's number."""

import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from governance.privacy import PersonalDataKind, find_personal_data, is_valid_identity_number, luhn_ok

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58", "\ufe63", "\uff0d"]
FULLWIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}


def check_digit(nine):
    return next(str(d) for d in range(10) if luhn_ok(nine + str(d)))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


dates = st.dates(min_value=datetime.date(1901, 1, 1), max_value=datetime.date(2099, 12, 31))
serials = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


@st.composite
def numbers(draw):
    """(century, yymmdd, serial+check) of a valid personnummer."""
    date = draw(dates)
    yymmdd = date.strftime("%y%m%d")
    serial = draw(serials)
    return date.strftime("%Y")[:2], yymmdd, serial + check_digit(yymmdd + serial)


def identity_kinds(text):
    return [f.kind for f in find_personal_data(text) if f.kind == PersonalDataKind.IDENTITY_NUMBER]


@given(numbers(), st.sampled_from(DASHES), st.booleans())
def test_any_dash_is_a_separator(number, dash, long_form):
    century, date, last4 = number
    text = f"Barnet {century if long_form else ''}{date}{dash}{last4} har fått insatsen."
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == [PersonalDataKind.IDENTITY_NUMBER]
    # The finding points at the writer's own characters.
    assert text[findings[0].start:findings[0].end] == findings[0].matched
    assert findings[0].matched.endswith(last4)


@given(numbers(), st.lists(st.tuples(st.integers(min_value=0, max_value=20), st.sampled_from(ZERO_WIDTH)),
                          min_size=1, max_size=5))
def test_zero_width_characters_do_not_hide_a_number(number, insertions):
    century, date, last4 = number
    chars = list(f"{century}{date}-{last4}")
    for position, char in insertions:
        chars.insert(position % (len(chars) + 1), char)
    text = "Se " + "".join(chars) + " i akten."
    assert identity_kinds(text) == [PersonalDataKind.IDENTITY_NUMBER]
    finding = find_personal_data(text)[0]
    assert "*" in finding.masked and last4 not in finding.masked


@given(numbers(), st.sets(st.integers(min_value=0, max_value=11)))
def test_fullwidth_digits_do_not_hide_a_number(number, positions):
    century, date, last4 = number
    digits = list(century + date + last4)
    digits = [FULLWIDTH[d] if i in positions else d for i, d in enumerate(digits)]
    text = "".join(digits[:8]) + "-" + "".join(digits[8:])
    assert identity_kinds(f"Nr {text}.") == [PersonalDataKind.IDENTITY_NUMBER]
    assert is_valid_identity_number(text)


@given(numbers(), st.sampled_from(["-", "\u2013", "+"]), st.sampled_from([" ", "\u00a0", "  "[:1]]))
def test_spaces_around_the_separator(number, sep, space):
    _century, date, last4 = number
    assert identity_kinds(f"pnr {date}{space}{sep}{space}{last4}") == [PersonalDataKind.IDENTITY_NUMBER]


@given(dates, st.sampled_from(DASHES + [""]), st.sampled_from(["", "\u200b"]))
def test_dates_are_never_reported(date, dash, invisible):
    for text in (date.strftime(f"%Y{dash}%m{dash}%d"), date.strftime("%Y%m%d"),
                 f"{date:%Y}{invisible}{dash}{date:%m}{dash}{date:%d}",
                 "".join(FULLWIDTH[c] if c.isdigit() else c for c in date.isoformat())):
        assert find_personal_data(f"Beslut {text} i nämnden.") == []


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=99999),
       st.sampled_from(DASHES))
def test_diary_numbers_are_never_reported(year, serial, dash):
    for text in (f"SN {year}/{serial}", f"Dnr {year}{dash}{serial:04d}", f"Dnr {year}{dash}{serial:04d}"):
        assert identity_kinds(text) == []


@given(numbers(), st.integers(min_value=1, max_value=9), st.sampled_from(DASHES), st.sampled_from(["", "\u200b"]))
def test_a_wrong_check_digit_is_never_reported(number, offset, dash, invisible):
    century, date, last4 = number
    wrong = last4[:3] + str((int(last4[3]) + offset) % 10)
    assert identity_kinds(f"{century}{date}{invisible}{dash}{wrong}") == []
    assert identity_kinds(f"{date} {dash} {wrong}") == []


def test_examples():
    assert find_personal_data("2026-03-31") == []
    assert find_personal_data("20260331") == []
    assert find_personal_data("SN 2026/123") == []
    assert find_personal_data("Dnr 2025-0042") == []
    number = "811218" + "987" + check_digit("811218987")
    spelled = "１９" + number[:6] + " \u2014 " + number[6:8] + "\u200b" + number[8:]
    (finding,) = find_personal_data(f"Klient {spelled} fick beslut.")
    assert finding.matched == spelled
    assert finding.masked.endswith("**\u200b**")
