"""The one personal-data guard: free text that may reach the board is checked here.

Board reports are public records (allmän handling) and social services are bound by secrecy
(OSL 26 kap.), so a comment, an activity update or a follow-up must not carry personal data.
Every layer that accepts such text calls ``require_no_personal_data`` (or shows the findings of
``find_personal_data`` as a warning while the writer types). A plain module: no ORM, no requests.

Which fields are guarded: every field declared in ``governance.extensions.board_text_fields``
(each app's ``AppConfig.ready()`` declares its models' fields); ``require_no_personal_data_in``
checks an instance's declared fields, and the declared fields carry the guard as a validator.

What is detected, exactly
-------------------------

The text is normalised first (``normalise``): each character to its NFKC form (fullwidth digits
become ASCII, a no-break space a space), zero-width characters (U+200B–U+200D, U+2060, U+FEFF)
dropped, every dash (U+2010–U+2015, U+2212, U+FE58, U+FE63, U+FF0D) read as ``-``. Findings
still report the writer's own characters and positions. Spaces around an identity number's
separator are allowed (``811218 - 9876``).

Personal identity numbers (personnummer) and co-ordination numbers (samordningsnummer):

- 10 digits ``YYMMDD-NNNN``, ``YYMMDD+NNNN`` (plus: the person is 100 or older), ``YYMMDD NNNN``
  or ``YYMMDDNNNN``; 12 digits ``YYYYMMDD-NNNN``, ``YYYYMMDD NNNN`` or ``YYYYMMDDNNNN`` with a
  year from 1800 to 2099. The dash may be any Unicode dash (Word turns ``-`` into ``–``); the
  space may be a no-break space. A plus sign is only read in the 10-digit form.
- The date must exist: February 29 only in a leap year. A 10-digit number has no century, so its
  date counts if it exists in 19YY or 20YY (``000229`` is fine: 2000 was a leap year).
- A co-ordination number is the same with 60 added to the day (61–91).
- The last digit must pass the Luhn check over the 10-digit form ``YYMMDDNNN``. A number that
  fails it is not reported: it is far more likely a case number (diarienummer) than a mistyped
  personnummer, and a guard that cries wolf is soon ignored. A date on its own (``2026-05-14``,
  ``20260514``), a case number (``2024-123456``) and an organisation number (month 20 or more)
  never pass.
- The digits must stand on their own: a match preceded or followed by another digit is part of a
  longer number (an OCR reference, an account number) and is not reported.

E-mail addresses: ``local@domain.tld`` with a dotted domain and a top-level domain of at least
two letters (Unicode letters allowed, so ``åsa@växjö.se`` counts).

Swedish phone numbers. A phone number has no check digit, so here precision beats recall:
municipal text is full of amounts, years, percentages, dates and period codes, and every false
alarm blocks a writer who did nothing wrong. The rules:

- Mobile: ``070``, ``072``, ``073``, ``076`` or ``079`` and seven more digits, written compactly
  (``0701234567``), or after a dash or a space in groups of two to seven digits separated by
  single spaces or dashes (``070-123 45 67``, ``070 123 45 67``, ``070-1234567``,
  ``070-12 34 567``). Other 07X series (M2M, paging, premium) are not mobiles for people.
- Landline: an area code (``08``, or ``0`` + a digit other than 0, 7 and 8 + one or two digits),
  then a dash (spaces around it allowed), then the subscriber number in groups separated by single
  spaces: 5–8 subscriber digits and 8–10 digits in all (``08-123 456 78``, ``031-12 34 56``,
  ``0451-123 45``). The dash is required: ``031 12 34 56`` and ``081234567`` are not detected,
  because a leading zero followed by spaced digit groups is also how tables of months or codes
  look (``01 02 03 04``), and a landline without its dash is rare in written Swedish.
- International: ``+46`` or ``0046``, an optional ``(0)``, then 7–9 national digits starting with
  1–9 in any grouping of spaces and dashes (``+46 70 123 45 67``, ``+46701234567``,
  ``+46 8 123 456 78``). A national number starting with 7 must be a mobile as above (9 digits).
- The whole run must be the number: it may not start right after a letter, a digit, a plus sign,
  a dash, a slash, a full stop or a comma, nor right after "digit + space" (the tail of an amount
  such as ``1 070 123``); and it may not be followed by a digit, or by a space, dash, full stop or
  comma and a digit (it would be part of a longer table of numbers or a decimal).

So ``1 234 567 kr``, ``45,5 %``, ``2026``, ``2026-05-14``, ``2026-T1``, ``2026-01`` and
``08-17`` (opening hours) are never phone numbers.

Findings are sorted by position and do not overlap. When the same characters fit two kinds, the
stronger evidence wins: an identity number (date + check digit) over an e-mail address over a
phone number. ``0701234569`` is a valid personnummer for someone born 2007-01-23 and is reported
as one, not as a phone number; either way it must go.

What is deliberately not detected
---------------------------------

Names, street addresses, postal codes, case details and free descriptions of a person ("the
14-year-old girl at the school in Norrby") are personal data too, but no rule finds them without
flagging half of every report: names are also streets, units, places and ordinary words
("Björk", "Lund", "Stig"), and five-digit postal codes look like amounts. Those remain the
writer's responsibility; the guard catches the identifiers that have a reliable shape.
"""

import dataclasses
import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class PersonalDataKind(TextChoices):
    IDENTITY_NUMBER = "identity_number", _("personal identity number")
    COORDINATION_NUMBER = "coordination_number", _("co-ordination number")
    EMAIL = "email", _("e-mail address")
    PHONE = "phone", _("phone number")


# One full sentence per kind, because Swedish needs "ett personnummer" but "en e-postadress".
MESSAGES = {
    PersonalDataKind.IDENTITY_NUMBER: _(
        "The text seems to contain a personal identity number (%(match)s). Board reports are "
        "public records: remove personal data before you submit."
    ),
    PersonalDataKind.COORDINATION_NUMBER: _(
        "The text seems to contain a co-ordination number (%(match)s). Board reports are "
        "public records: remove personal data before you submit."
    ),
    PersonalDataKind.EMAIL: _(
        "The text seems to contain an e-mail address (%(match)s). Board reports are "
        "public records: remove personal data before you submit."
    ),
    PersonalDataKind.PHONE: _(
        "The text seems to contain a phone number (%(match)s). Board reports are "
        "public records: remove personal data before you submit."
    ),
}

ERROR_CODE = "personal_data"


@dataclass(frozen=True)
class Finding:
    """One piece of personal data in a text: ``text[start:end] == matched``."""

    kind: PersonalDataKind
    start: int
    end: int
    matched: str
    masked: str

    @property
    def message(self):
        """The warning for the writer, in the active language, showing only the masked match."""
        return MESSAGES[self.kind] % {"match": self.masked}


# --- Character classes ----------------------------------------------------------------------

# Hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, minus sign.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2212"
# Space, no-break space, narrow no-break space (Swedish thousands separator in Word).
_SPACES = " \u00a0\u202f"
_DASH = f"[{_DASHES}]"
_SPACE = f"[{_SPACES}]"


# --- Identity and co-ordination numbers --------------------------------------------------------

_IDENTITY = re.compile(
    rf"(?<!\d)(?P<century>\d{{2}})?(?P<date>\d{{6}})"
    rf"(?:{_SPACE}?(?P<sep>[{_DASHES}+]){_SPACE}?|(?P<space>{_SPACE}))?(?P<serial>\d{{4}})(?!\d)"
)


def luhn_ok(digits: str) -> bool:
    """True if the ASCII digit string ``digits`` ends in a correct Luhn check digit."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _date_exists(year, month, day):
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _identity_kind(match):
    """The kind of a textual match of ``_IDENTITY``, or None if it is not a valid number."""
    century, date, sep, serial = match.group("century", "date", "sep", "serial")
    if century and sep == "+":
        return None
    if not luhn_ok(date + serial):
        return None
    yy, month, day = int(date[:2]), int(date[2:4]), int(date[4:6])
    kind = PersonalDataKind.IDENTITY_NUMBER
    if day > 60:
        kind, day = PersonalDataKind.COORDINATION_NUMBER, day - 60
    if century:
        if not 18 <= int(century) <= 20:
            return None
        years = [int(century) * 100 + yy]
    else:
        years = [1900 + yy, 2000 + yy]
    if any(_date_exists(year, month, day) for year in years):
        return kind
    return None


def is_valid_identity_number(text) -> bool:
    """True if ``text`` (surrounding whitespace aside) is exactly one valid personal identity
    number or co-ordination number, in any of the spellings described in the module docstring."""
    if not isinstance(text, str):
        return False
    text = normalise(text)[0].strip()
    match = _IDENTITY.fullmatch(text)
    return bool(match) and _identity_kind(match) is not None


# --- Phone numbers -----------------------------------------------------------------------------

# Not glued to a word, a longer number, a date ("2026-05-14") or a decimal; not the tail of an
# amount written with thousands separators ("1 070 123").
_PHONE_START = rf"(?<![\w+/.,{_DASHES}])(?<!\d{_SPACE})"
# Not followed by more digits of a longer number, a table of numbers or a decimal.
_PHONE_END = rf"(?!\d|[{_SPACES}{_DASHES}.,]\d)"
_AREA_SEP = rf"{_SPACE}?{_DASH}{_SPACE}?"

_MOBILE = re.compile(
    rf"{_PHONE_START}07[02369]"
    rf"(?:\d{{7}}|(?:{_AREA_SEP}|{_SPACE})\d{{2,7}}(?:[{_SPACES}{_DASHES}]\d{{2,4}})*)"
    rf"{_PHONE_END}"
)
_LANDLINE = re.compile(
    rf"{_PHONE_START}(?P<area>08|0[1-69]\d{{1,2}}){_AREA_SEP}"
    rf"(?P<number>\d{{2,8}}(?:{_SPACE}\d{{2,4}})*){_PHONE_END}"
)
_INTERNATIONAL = re.compile(
    rf"(?<![\w+])(?:\+|00)46{_SPACE}?(?:{_DASH}{_SPACE}?)?(?:\(0\){_SPACE}?)?"
    rf"(?P<number>[1-9]\d{{0,8}}(?:(?:{_AREA_SEP}|{_SPACE})\d{{1,4}})*){_PHONE_END}"
)
_MOBILE_SERIES = ("70", "72", "73", "76", "79")


def _digits(text):
    return "".join(char for char in text if char.isdigit())


def _phone_ok(match):
    if match.re is _MOBILE:
        return len(_digits(match.group())) == 10
    national = _digits(match.group("number"))
    if match.re is _LANDLINE:
        return 5 <= len(national) <= 8 and 8 <= len(match.group("area")) + len(national) <= 10
    if national.startswith("7"):
        return len(national) == 9 and national[:2] in _MOBILE_SERIES
    return 7 <= len(national) <= 9


# --- E-mail addresses --------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w%+-]+(?:\.[\w%+-]+)*"
    r"@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,}"
    r"(?![\w-]|\.[^\W_])"
)


# --- Normalising ----------------------------------------------------------------------------

# Invisible characters that Word, web forms and copy-paste put between digits.
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# Every kind of dash: hyphen to horizontal bar, minus sign, small and fullwidth hyphen-minus.
_ANY_DASH = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")


def normalise(text):
    """``(normalised, origin)``: the text as the patterns read it, and for each of its characters
    the index of the character of ``text`` it came from.

    Each character is brought to its NFKC form (fullwidth digits become ASCII digits, a no-break
    space a space), zero-width characters are dropped and every dash becomes ``-``. Working
    character by character keeps the way back, so a finding reports the writer's own characters
    and positions."""
    pieces, origin = [], []
    for index, char in enumerate(text):
        if char in _ZERO_WIDTH:
            continue
        piece = "-" if char in _ANY_DASH else unicodedata.normalize("NFKC", char)
        piece = "".join("-" if c in _ANY_DASH else c for c in piece if c not in _ZERO_WIDTH)
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return "".join(pieces), origin


# --- Finding -----------------------------------------------------------------------------------


def _mask_last_four_digits(text):
    """'19811218-9876' -> '19811218-****', '070-123 45 67' -> '070-123 ** **'."""
    chars = list(text)
    hidden = 0
    for index in range(len(chars) - 1, -1, -1):
        if hidden == 4:
            break
        if chars[index].isdigit():
            chars[index] = "*"
            hidden += 1
    return "".join(chars)


def _mask_email(text):
    local, _at, domain = text.partition("@")
    return f"{local[0]}***@{domain}"


def _finding(kind, match, masked):
    return Finding(kind=kind, start=match.start(), end=match.end(), matched=match.group(), masked=masked)


def _identity_findings(text):
    for match in _IDENTITY.finditer(text):
        kind = _identity_kind(match)
        if kind is not None:
            yield _finding(kind, match, _mask_last_four_digits(match.group()))


def _email_findings(text):
    for match in _EMAIL.finditer(text):
        yield _finding(PersonalDataKind.EMAIL, match, _mask_email(match.group()))


def _phone_findings(text):
    for pattern in (_MOBILE, _LANDLINE, _INTERNATIONAL):
        for match in pattern.finditer(text):
            if _phone_ok(match):
                yield _finding(PersonalDataKind.PHONE, match, _mask_last_four_digits(match.group()))


def find_personal_data(text) -> list[Finding]:
    """Every personal identity number, co-ordination number, e-mail address and phone number in
    ``text``, sorted by position and never overlapping. ``None`` and ``""`` give ``[]``."""
    if not text:
        return []
    text = str(text)
    normalised, origin = normalise(text)
    found = []
    # Strongest evidence first: a later kind may not claim characters an earlier one took.
    for finder in (_identity_findings, _email_findings, _phone_findings):
        for finding in finder(normalised):
            if all(finding.end <= other.start or finding.start >= other.end for other in found):
                found.append(finding)
    return sorted((_in_original(text, origin, finding) for finding in found), key=lambda finding: finding.start)


def _in_original(text, origin, finding):
    """The finding of the normalised text as a finding of ``text``: the writer's characters."""
    start, end = origin[finding.start], origin[finding.end - 1] + 1
    matched = text[start:end]
    masked = _mask_email(matched) if finding.kind == PersonalDataKind.EMAIL else _mask_last_four_digits(matched)
    return dataclasses.replace(finding, start=start, end=end, matched=matched, masked=masked)


# --- The guard ---------------------------------------------------------------------------------


def _errors(text):
    errors, seen = [], set()
    for finding in find_personal_data(text):
        if (finding.kind, finding.masked) not in seen:
            seen.add((finding.kind, finding.masked))
            errors.append(
                ValidationError(MESSAGES[finding.kind], code=ERROR_CODE, params={"match": finding.masked})
            )
    return errors


def require_no_personal_data(text=None, /, **fields) -> None:
    """Raise ValidationError if the text, or any of the named fields, holds personal data.

    ``require_no_personal_data(comment)`` raises a plain ValidationError with one message per
    finding. ``require_no_personal_data(comment=comment, title=title)`` raises one with an error
    dict keyed by field name, so a form shows each message under its own field; a positional text
    given as well lands under ``NON_FIELD_ERRORS``. ``None`` and empty texts always pass. The
    messages show only the masked match (``19811218-****``), never the whole number.
    """
    general = _errors(text)
    per_field = {name: errors for name, value in fields.items() if (errors := _errors(value))}
    if per_field:
        if general:
            per_field[NON_FIELD_ERRORS] = general
        raise ValidationError(per_field)
    if general:
        raise ValidationError(general)


def no_personal_data_validator(value) -> None:
    """A field validator: the guard on one value (attached by ``governance.extensions``)."""
    errors = _errors(value) if isinstance(value, str) else []
    if errors:
        raise ValidationError(errors)


def require_no_personal_data_in(instance) -> None:
    """Raise ValidationError (keyed by field) if any field of ``instance`` that is declared in
    ``governance.extensions.board_text_fields`` holds personal data."""
    from governance.extensions import board_text_fields

    require_no_personal_data(**{name: getattr(instance, name, None)
                                for name in board_text_fields.fields_for(type(instance))})
