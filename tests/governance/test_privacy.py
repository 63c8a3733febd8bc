"""The one personal-data guard: identity numbers with their check digit, e-mail addresses and
phone numbers are found; dates, case numbers, amounts and period codes are not.

Every identity number here is either one of Skatteverket's published test numbers or generated
by ``with_check_digit`` below, never a real person's number."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from governance.privacy import (
    Finding,
    PersonalDataKind,
    find_personal_data,
    is_valid_identity_number,
    luhn_ok,
    require_no_personal_data,
)

IDENTITY = PersonalDataKind.IDENTITY_NUMBER
COORDINATION = PersonalDataKind.COORDINATION_NUMBER
EMAIL = PersonalDataKind.EMAIL
PHONE = PersonalDataKind.PHONE


@pytest.fixture(autouse=True)
def english_messages():
    """The messages are asserted in their English source form; Swedish is checked separately."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_the_message_is_swedish_by_default():
    from django.utils import translation

    with translation.override("sv"):
        with pytest.raises(ValidationError) as error:
            require_no_personal_data("Ring 070-123 45 67")
        message = str(error.value.messages[0])
    assert "telefonnummer" in message and "allmänna handlingar" in message


def check_digit(nine):
    """Skatteverket's rule, written out independently of the module: weights 2,1,2,1,… over
    YYMMDDNNN, digit sums of the products, and the digit that rounds the sum up to a ten."""
    total = 0
    for index, char in enumerate(nine):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def with_check_digit(yymmdd, serial="123", century="", sep="-"):
    """A number such as ``19810915-1235`` whose last digit is right."""
    return f"{century}{yymmdd}{sep}{serial}{check_digit(yymmdd + serial)}"


def with_wrong_check_digit(yymmdd, serial="123", century="", sep="-", offset=1):
    right = int(check_digit(yymmdd + serial))
    return f"{century}{yymmdd}{sep}{serial}{(right + offset) % 10}"


def kinds(text):
    return [finding.kind for finding in find_personal_data(text)]


def matches(text):
    return [finding.matched for finding in find_personal_data(text)]


# --- luhn_ok -----------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["8112189876", "1212121212", "79927398713", "0", "18", "4539578763621486"])
def test_luhn_accepts_a_correct_check_digit(digits):
    assert luhn_ok(digits)


@pytest.mark.parametrize("digits", ["8112189875", "1212121213", "79927398710", "1", "19"])
def test_luhn_rejects_a_wrong_check_digit(digits):
    assert not luhn_ok(digits)


@pytest.mark.parametrize("text", ["", "811218-9876", "81121898a6", " 8112189876", "８１１２１８９８７６", "²"])
def test_luhn_rejects_anything_but_ascii_digits(text):
    assert not luhn_ok(text)


def test_the_test_helper_agrees_with_skatteverkets_published_test_numbers():
    assert with_check_digit("121212", "121") == "121212-1212"
    assert with_check_digit("811218", "987") == "811218-9876"


# --- is_valid_identity_number ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "19121212-1212",
        "121212-1212",
        "811218-9876",
        "8112189876",
        "811218 9876",
        "811218+9876",
        "19811218-9876",
        "198112189876",
        "19811218 9876",
        "811218\u20139876",  # en dash, as Word writes it
        "811218\u00a09876",  # no-break space
        "  811218-9876\n",
    ],
)
def test_valid_identity_numbers_in_every_accepted_spelling_are_valid(text):
    assert is_valid_identity_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",  # wrong check digit
        "19811218+9876",  # a plus sign only belongs in the 10-digit form
        "99811218-9876",  # no such century
        "17811218-9876",
        "811218-98765",
        "1811218-9876",
        "811218--9876",
        "811218/9876",
        "pnr 811218-9876",
        "",
        "   ",
        "abc",
        None,
        8112189876,
    ],
)
def test_anything_else_is_not_a_valid_identity_number(text):
    assert not is_valid_identity_number(text)


def test_a_co_ordination_number_is_a_valid_identity_number():
    assert is_valid_identity_number(with_check_digit("811278", "987"))  # 18th + 60


# --- Personal identity numbers in text ----------------------------------------------------------


@pytest.mark.parametrize(
    "number,masked",
    [
        ("19121212-1212", "19121212-****"),
        ("811218-9876", "811218-****"),
        ("8112189876", "811218****"),
        ("811218 9876", "811218 ****"),
        ("811218+9876", "811218+****"),
        ("19811218-9876", "19811218-****"),
        ("198112189876", "19811218****"),
        ("19811218 9876", "19811218 ****"),
        ("20260514-" + with_check_digit("260514", "123", sep="")[-4:], "20260514-****"),
        ("18991231-" + with_check_digit("991231", "123", sep="")[-4:], "18991231-****"),
    ],
)
def test_a_valid_personal_identity_number_is_found_and_masked(number, masked):
    text = f"Klienten {number} har fått beslut."
    [finding] = find_personal_data(text)
    assert finding.kind == IDENTITY
    assert finding.matched == number
    assert text[finding.start : finding.end] == number
    assert finding.masked == masked
    assert number not in finding.message


@pytest.mark.parametrize("yymmdd", ["000101", "991231", "450615", "070123", "260514"])
@pytest.mark.parametrize("century", ["", "19", "20"])
@pytest.mark.parametrize("sep", ["-", "", " "])
def test_generated_identity_numbers_are_found_in_every_spelling(yymmdd, century, sep):
    number = with_check_digit(yymmdd, "456", century=century, sep=sep)
    assert [(f.kind, f.matched) for f in find_personal_data(f"({number})")] == [(IDENTITY, number)]


@pytest.mark.parametrize("offset", range(1, 10))
@pytest.mark.parametrize("century,sep", [("", "-"), ("", ""), ("", "+"), ("", " "), ("19", "-"), ("19", "")])
def test_a_number_with_a_wrong_check_digit_is_not_a_finding(offset, century, sep):
    number = with_wrong_check_digit("811218", "987", century=century, sep=sep, offset=offset)
    assert find_personal_data(f"Ärende {number} avslutat.") == []


@pytest.mark.parametrize(
    "century,yymmdd",
    [
        ("19", "810230"),  # February 30
        ("", "810230"),
        ("19", "810431"),  # April 31
        ("", "810631"),
        ("", "811301"),  # month 13
        ("", "810001"),  # month 0
        ("", "810100"),  # day 0
        ("", "810132"),  # day 32
        ("20", "230229"),  # 2023 was no leap year
        ("", "230229"),  # neither was 1923
        ("19", "000229"),  # 1900 was no leap year (divisible by 100, not by 400)
        ("18", "000229"),
        ("", "212000"),  # an organisation number: "month" 20 and up
        ("", "556036"),
    ],
)
def test_an_impossible_date_with_a_correct_check_digit_is_not_a_finding(century, yymmdd):
    number = with_check_digit(yymmdd, "123", century=century)
    assert luhn_ok(number[-11:].replace("-", ""))
    assert find_personal_data(number) == []
    assert not is_valid_identity_number(number)


@pytest.mark.parametrize(
    "century,yymmdd",
    [
        ("20", "240229"),
        ("19", "960229"),
        ("20", "000229"),  # 2000 was a leap year
        ("", "000229"),  # a 10-digit number counts if its date exists in either century
        ("", "960229"),
        ("", "240229"),
    ],
)
def test_february_29_counts_in_a_leap_year(century, yymmdd):
    number = with_check_digit(yymmdd, "123", century=century)
    assert kinds(number) == [IDENTITY]


# --- Co-ordination numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("yymmdd", ["811278", "810161", "810191", "000289", "960289", "121272"])
@pytest.mark.parametrize("twelve_digits,sep", [(False, "-"), (False, ""), (False, "+"), (True, "-"), (True, "")])
def test_a_co_ordination_number_is_found_as_one(yymmdd, twelve_digits, sep):
    century = ("19" if yymmdd[:2] > "30" else "20") if twelve_digits else ""
    number = with_check_digit(yymmdd, "345", century=century, sep=sep)
    [finding] = find_personal_data(f"Samordningsnummer: {number}.")
    assert (finding.kind, finding.matched) == (COORDINATION, number)
    assert finding.masked.endswith("****")


@pytest.mark.parametrize(
    "yymmdd",
    [
        "811260",  # day 60 is day 0
        "811292",  # day 92 is day 32
        "810290",  # February 30 + 60
        "230289",  # February 29 + 60 in a year that was never a leap year
        "811232",  # day 32 is neither a day nor a co-ordination day
        "811250",
    ],
)
def test_an_impossible_co_ordination_day_is_not_a_finding(yymmdd):
    assert find_personal_data(with_check_digit(yymmdd, "345")) == []


# --- Dates, case numbers, amounts and period codes ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mötet hölls 2026-05-14.",
        "Mötet hölls 20260514.",
        "2026-05-14 10:00",
        "14/5 2026",
        "Dnr 2024-123456",
        "Dnr SN 2024/123-4",
        "KS 2026-000123",
        "Ärende 2024-1234",
        "Faktura 123456-1234",  # no date: month 34
        "Bankgiro 5050-1055",
        "Plusgiro 90 01 22-3",
        "Org.nr 212000-1355",
        "Postnummer 114 55 Stockholm",
        "Kostnaden blev 1 234 567 kr.",
        "Budget 12 345 678 kr",
        "Budget 0,7 mnkr",
        "Utfall 1 070 123 kr",
        "Andelen ökade till 45,5 %.",
        "+46 % jämfört med i fjol",
        "Ökning med 12 %",
        "Perioden 2026-T1",
        "Perioden 2026-01",
        "Perioden 202601",
        "T1 2026",
        "År 2026",
        "Åren 2019–2026",
        "Öppet 08-17",
        "Öppet kl. 08.00–17.00",
        "Månaderna 01 02 03 04 05 06",
        "Summa: 0,070 123 45 67",
        "Version 1.0.70-123",
    ],
)
def test_dates_case_numbers_amounts_and_period_codes_are_not_findings(text):
    assert find_personal_data(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "1" + "8112189876",
        "8112189876" + "1",
        "OCR 1198112189876",
        "19811218-98761",
        "0811218-9876",
        "Konto 12345678112189876",
        "81121898760000",
        "9" + "19121212-1212",
    ],
)
def test_digits_inside_a_longer_digit_run_are_not_findings(text):
    assert kinds(text) == []


def test_a_number_next_to_letters_and_punctuation_is_still_found():
    assert matches("pnr:811218-9876, (19121212-1212)") == ["811218-9876", "19121212-1212"]


# --- E-mail addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,address,masked",
    [
        ("Mejla anna.svensson@kommun.se om du undrar.", "anna.svensson@kommun.se", "a***@kommun.se"),
        ("Skriv till kalle_anka@mail.example.com.", "kalle_anka@mail.example.com", "k***@mail.example.com"),
        ("a+tag@example.org", "a+tag@example.org", "a***@example.org"),
        ("<ANNA@KOMMUN.SE>", "ANNA@KOMMUN.SE", "A***@KOMMUN.SE"),
        ("åsa.öberg@växjö.se", "åsa.öberg@växjö.se", "å***@växjö.se"),
        ("e-post: per-olof@soc-forvaltningen.stockholm.se;", "per-olof@soc-forvaltningen.stockholm.se",
         "p***@soc-forvaltningen.stockholm.se"),
    ],
)
def test_an_email_address_is_found_and_masked(text, address, masked):
    [finding] = find_personal_data(text)
    assert (finding.kind, finding.matched, finding.masked) == (EMAIL, address, masked)


@pytest.mark.parametrize(
    "text",
    [
        "@kommun",
        "anna@",
        "anna@kommun",
        "anna@kommun.",
        "anna@.se",
        "anna @ kommun.se",
        "anna at kommun dot se",
        "Mötet @ 10:00",
        "kommun.se",
        "@socialnamnden",
        "anna@kommun.s",
    ],
)
def test_things_that_only_look_like_an_email_address_are_not_findings(text):
    assert kinds(text) == []


# --- Phone numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "070-123 45 67",
        "0701234567",
        "070 123 45 67",
        "070-1234567",
        "070-123 4567",
        "070-12 34 567",
        "070-123-45-67",
        "072-123 45 67",
        "073-123 45 67",
        "076-123 45 67",
        "079-123 45 67",
        "070\u2013123 45 67",
        "070-123\u00a045\u00a067",
        "+46 70 123 45 67",
        "+46701234567",
        "+46 (0)70-123 45 67",
        "+46-70-123 45 67",
        "0046 70 123 45 67",
        "08-123 456 78",
        "08-12 34 56",
        "08-12345678",
        "08 - 123 456 78",
        "031-12 34 56",
        "031-123456",
        "040-12 34 56",
        "0451-123 45",
        "0920-123 45",
        "+46 8 123 456 78",
        "+46 31 12 34 56",
        "+4631123456",
        "0046 (0)31 12 34 56",
    ],
)
def test_common_spellings_of_a_swedish_phone_number_are_found(number):
    text = f"Ring {number} efter kl. 13."
    [finding] = find_personal_data(text)
    assert (finding.kind, finding.matched) == (PHONE, number)
    assert finding.masked.count("*") == 4


@pytest.mark.parametrize(
    "number,masked",
    [
        ("070-123 45 67", "070-123 ** **"),
        ("0701234567", "070123****"),
        ("+46 70 123 45 67", "+46 70 123 ** **"),
        ("08-123 456 78", "08-123 4** **"),
        ("0451-123 45", "0451-1** **"),
    ],
)
def test_a_phone_number_is_masked_by_its_last_four_digits(number, masked):
    [finding] = find_personal_data(number)
    assert finding.masked == masked


@pytest.mark.parametrize(
    "text",
    [
        "031 12 34 56",  # a landline needs its dash: documented precision rule
        "081234567",
        "071-123 45 67",  # machine-to-machine series
        "077-123 45 67",  # shared-cost series
        "070-123 45 6",  # too short
        "070-123 45 678",  # too long
        "070-123 45 67 89",  # part of a longer table of numbers
        "0701234567 0701234568",
        "070-123 45 67,5",
        "A070-123 45 67",  # part of a code
        "12 070 123 45 67",  # the tail of an amount
        "2026-070-123 45 67",
        "08-12 34",  # subscriber number too short
        "08-123 456 789",  # too long in all
        "012-345 67 89 10",
        "031-12-34-56",  # dashes inside a landline look like a date
        "01-12-2026",
        "05-14",
        "+46 1234",
        "+46 12 345 678 901",
        "+46 71 123 45 67",
        "+46 70 123 45 6",
        "+46 0 123 45 67",
        "1+46 70 123 45 67",
    ],
)
def test_near_misses_are_not_phone_numbers(text):
    assert kinds(text) == []


def test_a_valid_personal_identity_number_is_not_also_reported_as_a_phone_number():
    number = with_check_digit("070123", "456", sep="")  # born 2007-01-23, also shaped like a mobile
    assert number == "0701234569"
    [finding] = find_personal_data(f"Tel {number}")
    assert finding.kind == IDENTITY


def test_a_mobile_shaped_number_with_a_wrong_check_digit_is_a_phone_number():
    assert kinds("Tel 0701234567") == [PHONE]


# --- Several findings --------------------------------------------------------------------------


def test_several_findings_come_in_order_with_their_masks():
    coordination = with_check_digit("811278", "987", century="19")
    text = (
        f"Mamman (nås på anna.svensson@kommun.se eller 070-123 45 67) och barnet 19121212-1212 "
        f"flyttade. Pappan har samordningsnummer {coordination}, tel. 08-123 456 78."
    )
    findings = find_personal_data(text)
    assert [(f.kind, f.masked) for f in findings] == [
        (EMAIL, "a***@kommun.se"),
        (PHONE, "070-123 ** **"),
        (IDENTITY, "19121212-****"),
        (COORDINATION, "19811278-****"),
        (PHONE, "08-123 4** **"),
    ]
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert all(text[f.start : f.end] == f.matched for f in findings)


def test_the_same_number_twice_is_found_twice():
    assert matches("811218-9876 och 811218-9876") == ["811218-9876", "811218-9876"]


def test_a_number_inside_an_email_address_is_reported_once():
    assert len(find_personal_data("8112189876@example.se")) == 1


@pytest.mark.parametrize("text", [None, "", "Inga personuppgifter här.", "   \n\t"])
def test_empty_or_harmless_text_has_no_findings(text):
    assert find_personal_data(text) == []


def test_a_finding_is_frozen():
    [finding] = find_personal_data("811218-9876")
    assert isinstance(finding, Finding)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 0


def test_the_kinds_have_english_msgids_as_labels():
    with translation.override("en"):
        assert [str(kind.label) for kind in PersonalDataKind] == [
            "personal identity number",
            "co-ordination number",
            "e-mail address",
            "phone number",
        ]


# --- The guard ---------------------------------------------------------------------------------


def test_the_guard_passes_text_without_personal_data():
    assert require_no_personal_data("Vi har anställt två socionomer under 2026-T1.") is None
    require_no_personal_data(comment="Budget 1 234 567 kr", title="Mål 2026-01")


@pytest.mark.parametrize("text", [None, ""])
def test_the_guard_passes_empty_text(text):
    require_no_personal_data(text)
    require_no_personal_data(comment=text)
    require_no_personal_data()


def test_the_guard_names_the_masked_number_and_says_why():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        require_no_personal_data("Barnet 19121212-1212 placerades.")
    [message] = caught.value.messages
    assert message == (
        "The text seems to contain a personal identity number (19121212-****). Board reports are "
        "public records: remove personal data before you submit."
    )
    assert "1212-1212" not in message
    assert caught.value.error_list[0].code == "personal_data"


@pytest.mark.parametrize(
    "text,words",
    [
        (with_check_digit("811278", "987"), "co-ordination number (811278-****)"),
        ("anna@kommun.se", "an e-mail address (a***@kommun.se)"),
        ("070-123 45 67", "a phone number (070-123 ** **)"),
    ],
)
def test_the_guard_message_names_the_kind(text, words):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        require_no_personal_data(text)
    assert words in caught.value.messages[0]


def test_the_guard_gives_one_message_per_distinct_finding():
    with pytest.raises(ValidationError) as caught:
        require_no_personal_data("811218-9876, 811218-9876 och 070-123 45 67")
    assert len(caught.value.messages) == 2


def test_the_guard_puts_each_message_under_its_own_field():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        require_no_personal_data(
            title="Uppföljning T1",
            comment="Ring 070-123 45 67",
            description="Klient 811218-9876, mejl anna@kommun.se",
            note=None,
        )
    errors = caught.value.message_dict
    assert set(errors) == {"comment", "description"}
    assert errors["comment"] == [
        "The text seems to contain a phone number (070-123 ** **). Board reports are public records: "
        "remove personal data before you submit."
    ]
    assert len(errors["description"]) == 2
    assert "811218-****" in errors["description"][0] and "a***@kommun.se" in errors["description"][1]


def test_a_positional_text_beside_fields_lands_under_non_field_errors():
    with pytest.raises(ValidationError) as caught:
        require_no_personal_data("811218-9876", comment="anna@kommun.se")
    assert set(caught.value.message_dict) == {"comment", NON_FIELD_ERRORS}


def test_the_guard_error_is_usable_by_a_form():
    from django import forms

    class CommentForm(forms.Form):
        comment = forms.CharField()

        def clean(self):
            require_no_personal_data(**self.cleaned_data)
            return self.cleaned_data

    form = CommentForm({"comment": "Ring 070-123 45 67"})
    assert not form.is_valid()
    assert "070-123 ** **" in form.errors["comment"][0]


def test_a_finding_carries_the_warning_to_show_the_writer():
    [finding] = find_personal_data("811218-9876")
    with translation.override("en"):
        assert finding.message.startswith("The text seems to contain a personal identity number (811218-****).")


# --- Properties --------------------------------------------------------------------------------

DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))
SERIALS = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


@given(DATES, SERIALS, st.integers(min_value=0, max_value=9), st.sampled_from(["-", "+", " ", ""]), st.booleans())
def test_a_ten_digit_number_with_a_real_date_is_found_exactly_when_its_check_digit_is_right(
    date, serial, last, sep, coordination
):
    day = date.day + 60 if coordination else date.day
    nine = f"{date:%y%m}{day:02d}{serial}"
    number = f"{nine[:6]}{sep}{serial}{last}"
    identities = [
        f for f in find_personal_data(f"Anteckning: {number}.") if f.kind in (IDENTITY, COORDINATION)
    ]
    expected_kind = COORDINATION if coordination else IDENTITY
    if str(last) == check_digit(nine):
        assert [(f.kind, f.matched) for f in identities] == [(expected_kind, number)]
    else:
        assert identities == []
    assert is_valid_identity_number(number) is (str(last) == check_digit(nine))


@given(DATES, SERIALS)
def test_a_twelve_digit_number_is_found_exactly_like_its_ten_digit_form(date, serial):
    nine = f"{date:%y%m%d}{serial}"
    ten = nine[:6] + "-" + serial + check_digit(nine)
    assert kinds(f"{date:%Y}"[:2] + ten) == kinds(ten) == [IDENTITY]


@given(st.text(alphabet="0123456789 -+@.,:()abcåse\u2013\u00a0", max_size=60))
def test_findings_are_sorted_disjoint_and_point_at_their_text(text):
    findings = find_personal_data(text)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.matched
        if finding.kind == EMAIL:
            local, _, domain = finding.matched.partition("@")
            assert finding.masked == f"{local[0]}***@{domain}"
        else:
            assert len(finding.masked) == len(finding.matched) and finding.masked.count("*") == 4
        if finding.kind in (IDENTITY, COORDINATION):
            assert is_valid_identity_number(finding.matched)
    for before, after in zip(findings, findings[1:]):
        assert before.end <= after.start
