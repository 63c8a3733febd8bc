"""Measurement files as CSV, the way people in Swedish municipalities really save them: Excel's
"CSV (semikolonavgränsad)" with `;`, decimal comma, Windows-1252 or UTF-8 with a BOM, CRLF line
ends, quoted fields with doubled quotes, blank lines at the end; also `,` or tab separated files
from other programs and Excel's optional first line ``sep=;``."""

import csv
import io

from django.utils.translation import gettext as _

from scorecards.importers.base import FileRejected, check_size, decode_text, rows_from_records

SEPARATORS = (";", ",", "\t")


def sniff_separator(line):
    """The separator of a header line: the most frequent of ; , and tab outside quotes (a tie,
    also none at all, means ``;``, the Swedish default)."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(SEPARATORS, key=lambda s: (counts[s], s == ";"))
    return best if counts[best] else ";"


def read_csv(data):
    """ImportRows from the bytes of a CSV file. Raises FileRejected."""
    check_size(data)
    text = decode_text(data)
    if "\x00" in text:
        raise FileRejected(_("The file is not a CSV text file. Save it from Excel as “CSV (semikolonavgränsad)” "
                             "or upload the .xlsx file itself."))
    lines = text.splitlines()
    first_line_number = 1
    separator = None
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) >= 5:
        # Excel's hint line: "sep=;" names the separator and is not data.
        separator = lines[0].strip()[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
        first_line_number = 2
    if separator is None:
        header_line = next((line for line in text.splitlines() if line.strip()), "")
        separator = sniff_separator(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', doublequote=True,
                        skipinitialspace=False, strict=False)

    def records():
        start = first_line_number
        try:
            for record in reader:
                # The row number a user sees: the record's first line (a quoted comment may span lines).
                yield start, record
                start = first_line_number + reader.line_num
        except csv.Error as error:
            raise FileRejected(_("Row %(line)s could not be read as CSV: %(error)s")
                               % {"line": start, "error": error}) from None

    return rows_from_records(records())
