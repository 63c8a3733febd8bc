"""CSV export of the lists users see, in Swedish Excel's dialect (docs/architecture.md §8).

UTF-8 with a byte order mark (so Excel reads å, ä, ö), ``;`` between cells, CRLF between rows,
every cell in quotes (a quote inside a cell is doubled), numbers with a decimal comma, dates in
ISO form, nothing for None.

A spreadsheet must never run text written by a user as a formula (CSV injection). A text cell
that begins with ``=``, ``+``, ``-`` or ``@`` (also after spaces, tabs, line breaks or quotes), a
tab or a carriage return gets an apostrophe in front. So does every piece of the text after a
``,``, ``;``, tab or line break that begins that way: a spreadsheet that reads the file with ``,``
(or a tab) between cells, or a program that splits it on them, would see a cell beginning there.
``Plan,=cmd`` is written ``"Plan,'=cmd"``, which read with ``,`` gives the cells ``"Plan`` and
``'=cmd"``.

A view builds the same rows as its page, from the same selectors and filters, and hands them to
``csv_response``; a django-tables2 table goes through ``table_csv_response``.
"""

import csv
import datetime
import html
import re
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeData

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The start of the text or a separator a reader could split on (a CRLF counts once), followed by
# a piece that begins a formula once spaces, tabs, line breaks and quotes are skipped: the
# apostrophe goes right after the separator, at the start of the piece.
_FORMULA_PIECE = re.compile(r"""(^|[,;\t\n]|\r(?!\n))(?=[ \t\r\n"]*[=+\-@])""")


class SwedishExcel(csv.Dialect):
    delimiter = ";"
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_ALL


def _number(value):
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        value = Decimal(repr(value))
    text = format(value, "f")
    return text.replace(".", ",")


def cell(value):
    """One value as the text of its cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (Decimal, float)):
        return _number(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value) if isinstance(value, Promise) else value if isinstance(value, str) else str(value)
    return neutralise_formulas(text)


def neutralise_formulas(text):
    """``text`` with an apostrophe before every place a spreadsheet could start a formula."""
    text = _FORMULA_PIECE.sub(r"\1'", text)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text


class _Echo:
    """A file-like object whose write returns what it was given, for streaming csv.writer."""

    def write(self, value):
        return value


def _lines(header, rows):
    writer = csv.writer(_Echo(), dialect=SwedishExcel)
    yield (BOM + writer.writerow([cell(v) for v in header])).encode("utf-8")
    for row in rows:
        yield writer.writerow([cell(v) for v in row]).encode("utf-8")


def csv_response(*, filename, header, rows):
    """A streamed CSV download of ``rows`` under ``header``.

    The header is rendered at once (in the request's language); ``rows`` may be any iterable.
    """
    header = [str(h) if isinstance(h, Promise) else h for h in header]
    response = StreamingHttpResponse(_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _plain(value):
    """A table cell as text: the HTML a render method produced is reduced to its words."""
    if isinstance(value, SafeData):
        return html.unescape(strip_tags(str(value))).strip()
    return value


def table_csv_response(table, filename):
    """The rows of a django-tables2 table (every row, not one page), as ``as_values`` gives them:
    columns marked ``exclude_from_export`` and columns hidden from the user are left out."""
    hidden = [column.name for column in table.columns.iterall() if not column.visible]
    values = table.as_values(exclude_columns=hidden)
    # The placeholder a column shows for nothing ("—") is an empty cell in the data.
    defaults = [column.default for column in table.columns.iterall()
                if not (column.column.exclude_from_export or column.name in hidden)]
    header = next(values)
    rows = [[None if v == default else _plain(v) for v, default in zip(row, defaults)]
            for row in values]  # read now, while the request is open
    return csv_response(filename=filename, header=[_plain(h) for h in header], rows=rows)
