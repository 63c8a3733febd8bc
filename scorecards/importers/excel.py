"""Measurement files as Excel workbooks (.xlsx): the first sheet, the header on the first row
that is not empty. Cells may hold numbers or numbers stored as text ("78,5"), periods as text or
as dates (Excel turns "2026-03" into a date as it is typed), and the last rows may be empty."""

import io
import zipfile

from django.utils.translation import gettext as _

from scorecards.importers.base import MAX_RECORDS, FileRejected, bounded_records, check_size, rows_from_records

# An .xlsx is a zip of XML; refuse one that unpacks to far more than any real measurement file
# (50 000 rows of five columns are some 20 MB of sheet XML).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# A part may pack this many times smaller than it unpacks only while it is small: real sheets
# pack 5-20 times, a sheet of nothing but empty rows (or a zip bomb) hundreds of times.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
# Columns read from each row; the sheet's declared dimension (up to XFD, 16 384) is not trusted.
MAX_COLUMNS = 50
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format


def read_excel(data):
    """ImportRows from the bytes of an .xlsx file. Raises FileRejected."""
    from openpyxl import load_workbook

    check_size(data)
    if data.startswith(OLE_MAGIC):
        raise FileRejected(_("The file is in the old Excel format (.xls). Open it in Excel and save it as an Excel "
                             "workbook (.xlsx) or as CSV, then import that file."))
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise FileRejected(_("The file is not an Excel workbook (.xlsx). Save it from Excel as .xlsx or as CSV."))
    try:
        with zipfile.ZipFile(buffer) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected(_("The file is not an Excel workbook (.xlsx). Save it from Excel as .xlsx or as CSV.")) from None
    unpacked = sum(info.file_size for info in members)
    bomb = any(info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1)
               for info in members)
    if unpacked > MAX_UNPACKED_BYTES or bomb:
        raise FileRejected(_("The workbook is too large when unpacked; split it into smaller files."))
    buffer.seek(0)
    try:
        workbook = load_workbook(buffer, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException, XML errors) for broken files
        raise FileRejected(_("The workbook could not be read. Open it in Excel, save it again as .xlsx and try "
                             "once more.")) from None
    try:
        if not workbook.worksheets:
            raise FileRejected(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        try:
            # Bounded whatever the sheet declares: at most MAX_RECORDS + 1 rows (openpyxl fills in
            # every empty row up to the last one the sheet names) of MAX_COLUMNS cells, in time.
            cells = sheet.iter_rows(max_row=MAX_RECORDS + 1, max_col=MAX_COLUMNS, values_only=True)
            return rows_from_records(bounded_records(enumerate(cells, start=1)))
        except FileRejected:
            raise
        except Exception:
            raise FileRejected(_("The workbook could not be read. Open it in Excel, save it again as .xlsx and try "
                                 "once more.")) from None
    finally:
        workbook.close()
