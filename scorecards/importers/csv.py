"""Measurement files as CSV, the way people in Swedish municipalities really save them: Excel's
"CSV (semikolonavgränsad)" with `;`, decimal comma, Windows-1252 or UTF-8 with a BOM, CRLF line
ends, quoted fields with doubled quotes, blank lines at the end; also `,` or tab separated files
from other programs and Excel's optional first line ``sep=;``."""

import csv
import io

from django.utils.translation import gettext as _

from scorecards.importers.base import FileRejected, bounded_records, check_size, decode_text, rows_from_records

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
    # strict: a quote that never closes is an error ("unexpected end of data"), not the rest of
    # the file silently read as one comment.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, quotechar='"', doublequote=True,
                        skipinitialspace=False, strict=True)

    def records():
        start = first_line_number
        try:
            for record in reader:
                # The row number a user sees: the record's first line (a quoted comment may span lines).
                end = first_line_number + reader.line_num
                if end - start > 1:
                    _check_swallowed_rows(record, start, separator)
                yield start, record
                start = end
        except csv.Error as error:
            if "unexpected end of data" in str(error) or "EOF" in str(error):
                raise FileRejected(_unclosed_quote(start)) from None
            if "expected after" in str(error):
                raise FileRejected(_("Row %(line)s has text right after a closing quote (\") in a cell. A cell that "
                                     "starts with a quote must end with one; write a quote inside a cell as two "
                                     "(\"\").") % {"line": start}) from None
            raise FileRejected(_("Row %(line)s could not be read as CSV: %(error)s")
                               % {"line": start, "error": error}) from None

    return rows_from_records(bounded_records(records()))


def _unclosed_quote(line):
    return _("Row %(line)s has a quote (\") that is never closed, so the rows after it would be read as part of "
             "that cell. Close the quote or remove it, and import the file again.") % {"line": line}


def _check_swallowed_rows(record, start, separator):
    """A quoted cell over several lines is a real multi-line comment, unless one of its lines
    looks like a whole row of its own (as many separators as the header has): then a quote was
    left open and swallowed the rows up to the next quote."""
    width = len(record)
    for cell in record:
        if "\n" not in cell and "\r" not in cell:
            continue
        for line in cell.splitlines()[1:]:
            if width > 1 and line.count(separator) >= width - 1:
                raise FileRejected(_unclosed_quote(start))
