"""Importing measurements from files: CSV and Excel (docs/architecture.md §8 layout: unit external code,
indicator external code, period, value, comment) and saved Kolada JSON answers.

Readers turn bytes into rows and never touch the database (``csv.read_csv``,
``excel.read_excel``, ``kolada.read_kolada``); ``measurements.import_measurements`` and
``kolada.import_kolada`` check and write, all or nothing. ``import_file`` picks the reader from
the file itself and is what the web page, the API and the management commands call.
"""

from scorecards.importers.base import FileRejected, ImportRow, max_bytes, size_error  # noqa: F401

KIND_CSV, KIND_EXCEL, KIND_KOLADA = "csv", "excel", "kolada"
ZIP_MAGIC = b"PK\x03\x04"


def detect_kind(data, filename=""):
    """Which reader a file needs, from its first bytes and, failing that, its name."""
    from scorecards.importers.excel import OLE_MAGIC

    name = (filename or "").lower()
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC) or name.endswith((".xlsx", ".xlsm", ".xls")):
        return KIND_EXCEL
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith(".json") or head.startswith((b"{", b"[")):
        return KIND_KOLADA
    return KIND_CSV


def read_measurement_rows(data, filename=""):
    """ImportRows of a CSV or Excel file. Raises FileRejected."""
    return _reader(detect_kind(data, filename))(data)


def import_file(*, user, data, filename="", dry_run=False, source=None, kind=None):
    """Read and import one file; returns an ImportReport or a KoladaReport (``report.kind``).
    A file that cannot be read gives a report with ``file_errors`` and nothing written. A Kolada
    file by a user who may not import it raises PermissionDenied."""
    from scorecards.importers.kolada import KoladaReport, import_kolada, read_kolada
    from scorecards.importers.measurements import ImportReport, import_measurements
    from scorecards.models import Measurement

    kind = kind or detect_kind(data, filename)
    if kind == KIND_KOLADA:
        try:
            kolada_file = read_kolada(data)
        except FileRejected as error:
            return KoladaReport(file_errors=error.messages, dry_run=dry_run)
        return import_kolada(user=user, kolada_file=kolada_file, dry_run=dry_run)
    try:
        rows = _reader(kind)(data)
    except FileRejected as error:
        return ImportReport(file_errors=error.messages, dry_run=dry_run)
    return import_measurements(user=user, rows=rows, dry_run=dry_run, source=source or Measurement.Source.IMPORT)


def _reader(kind):
    from scorecards.importers.csv import read_csv
    from scorecards.importers.excel import read_excel

    return read_excel if kind == KIND_EXCEL else read_csv
