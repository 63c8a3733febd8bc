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


# A measurement file of more rows than this is previewed and imported as a background job
# (scorecards/jobs.py): checking and writing 5 000 rows takes about two seconds on the benchmark
# machine (docs/benchmarks.md, "Measurement import"), and the preview page of more rows is long to
# render and to read. ``TILLIT_IMPORT_BACKGROUND_ROWS`` overrides it.
DEFAULT_BACKGROUND_ROWS = 5_000


def background_rows():
    from django.conf import settings

    return int(getattr(settings, "TILLIT_IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))


def estimated_rows(data, filename="", kind=None):
    """The data rows a measurement file holds, estimated without reading it: the lines of a CSV
    file (a comment over several lines counts more), the rows an .xlsx sheet declares (or, when it
    declares none, its unpacked size at some 100 bytes a row). Only decides where the import runs;
    the reader checks the real rows. ``kind``: the reader the caller chose (an endpoint for one
    kind of file), else the one the file's bytes ask for."""
    kind = kind or detect_kind(data, filename)
    if kind == KIND_KOLADA:
        return 0
    if kind == KIND_CSV:
        return max(0, sum(1 for line in data.splitlines() if line.strip()) - 1)
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [info for info in archive.infolist() if info.filename.startswith("xl/worksheets/")]
            if not sheets:
                return 0
            first = min(sheets, key=lambda info: info.filename)
            with archive.open(first) as sheet:
                head = sheet.read(4096)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return 0
    import re

    match = re.search(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
    if match:
        return max(0, int(match[1]) - 1)
    return first.file_size // 100


def runs_in_background(data, filename="", kind=None):
    """Whether a file is a measurement file big enough to be previewed and imported as a job (a
    Kolada answer never is: it holds a few values per KPI and year)."""
    return estimated_rows(data, filename, kind) > background_rows()


def read_measurement_rows(data, filename=""):
    """ImportRows of a CSV or Excel file. Raises FileRejected."""
    return _reader(detect_kind(data, filename))(data)


def import_file(*, user, data, filename="", dry_run=False, source=None, kind=None, progress=None):
    """Read and import one file; returns an ImportReport or a KoladaReport (``report.kind``).
    A file that cannot be read gives a report with ``file_errors`` and nothing written. A Kolada
    file by a user who may not import it raises PermissionDenied. ``progress`` is passed to
    ``import_measurements`` (measurement files only)."""
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
    return import_measurements(user=user, rows=rows, dry_run=dry_run, source=source or Measurement.Source.IMPORT,
                               progress=progress)


def _reader(kind):
    from scorecards.importers.csv import read_csv
    from scorecards.importers.excel import read_excel

    return read_excel if kind == KIND_EXCEL else read_csv
