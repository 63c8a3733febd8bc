"""The one importer: every row checked, all or nothing, the same file twice writes nothing new,
a changed value is an update kept in history, scope applies row by row."""

from decimal import Decimal

import pytest

from scorecards import importers
from scorecards.importers.base import ImportRow
from scorecards.importers.measurements import Status, check_rows, import_measurements
from scorecards.models import Measurement
from tests.scorecards.import_helpers import HEADER, build_import_setup, csv_bytes, measurement_count, period, xlsx_bytes


@pytest.fixture
def setup(org, year_2026):
    return build_import_setup(org, year_2026)


def rows(*cells, comment_column=True):
    return [ImportRow(line=i + 2, unit_code=c[0], indicator_code=c[1], period=c[2], value=c[3],
                      comment=(c[4] if len(c) > 4 else "") if comment_column else None)
            for i, c in enumerate(cells)]


GOOD = (("FAM-01", "BUT-4M", "2026-01", "78,5", "Två förlängdes"), ("FAM-01", "BUT-4M", "2026-02", "81,0", ""),
        ("EKB-02", "U31402", "2026-01", "14,2", "Medel"), ("EKB-02", "N31001", "2026", "1 512", ""),
        ("FAM-01", "FAM-OWN", "2026-T1", "72", ""))


def test_a_good_file_is_written_whole(setup, controller):
    report = import_measurements(user=controller, rows=rows(*GOOD))
    assert report.ok and report.written
    assert report.counts[Status.NEW] == 5
    m = Measurement.objects.get(indicator=setup.but, unit__external_code="FAM-01", period=period(2026, "month", 1))
    assert m.value == Decimal("78.5")
    assert m.comment == "Två förlängdes"
    assert m.source == Measurement.Source.IMPORT
    assert m.author == controller
    assert Measurement.objects.get(indicator=setup.cost).value == Decimal("1512")


def test_the_sample_file_from_swedish_excel_imports(setup, controller):
    from tests.scorecards.test_import_readers import SAMPLE_BYTES

    report = importers.import_file(user=controller, data=SAMPLE_BYTES, filename="utfall.csv")
    assert report.ok, report.text_lines()
    assert measurement_count() == 4
    assert Measurement.objects.get(indicator=setup.wait, period=period(2026, "month", 2)).comment == \
        'Kortare efter att "en väg in" infördes'


def test_importing_the_same_file_twice_writes_nothing_new(setup, controller):
    data = csv_bytes([HEADER, *[list(r) for r in GOOD]])
    first = importers.import_file(user=controller, data=data)
    versions = dict(Measurement.objects.values_list("pk", "version"))
    second = importers.import_file(user=controller, data=data)
    assert first.written and second.ok and not second.written
    assert second.counts[Status.UNCHANGED] == 5
    assert dict(Measurement.objects.values_list("pk", "version")) == versions


def test_a_changed_value_is_an_update_kept_in_history(setup, controller):
    import_measurements(user=controller, rows=rows(GOOD[0]))
    report = import_measurements(user=controller, rows=rows(("FAM-01", "BUT-4M", "2026-01", "80", "Två förlängdes")))
    assert report.counts[Status.UPDATE] == 1
    (row,) = report.rows
    assert row.old_value == Decimal("78.5")
    m = Measurement.objects.get(indicator=setup.but, period=period(2026, "month", 1))
    assert (m.value, m.version) == (Decimal("80"), 2)
    if hasattr(m, "history"):  # django-simple-history, when the history helper has registered it
        assert sorted(h.value for h in m.history.all()) == [Decimal("78.5"), Decimal("80")]


@pytest.mark.parametrize("bad,needle", [
    (("XXX-99", "BUT-4M", "2026-03", "1"), "XXX-99"),
    (("FAM-01", "NOPE", "2026-03", "1"), "NOPE"),
    (("FAM-01", "BUT-4M", "2026-03", "tolv"), "tolv"),
    (("FAM-01", "BUT-4M", "2031-03", "1"), "2031"),
    (("FAM-01", "BUT-4M", "2026-Q1", "1"), "2026-Q1"),
    (("FAM-01", "BUT-4M", "2026-T1", "1"), ""),  # a monthly indicator given a tertial
    (("EKB-02", "BUT-4M", "2026-03", "1"), ""),  # not in that unit's scorecard
    (("", "BUT-4M", "2026-03", "1"), ""),
    (("FAM-01", "BUT-4M", "2026-03", "1", "Ring 19121212-1212"), ""),  # personal data in a comment
    (("FAM-01", "BUT-4M", "2026-03", "1,23456"), ""),  # more decimals than stored
])
def test_one_bad_row_rejects_the_whole_file_and_names_the_row(setup, controller, bad, needle):
    before = measurement_count()
    report = import_measurements(user=controller, rows=rows(*GOOD, bad))
    assert not report.ok and not report.written
    assert measurement_count() == before == 0
    (error_row,) = report.error_rows
    assert error_row.line == len(GOOD) + 2
    assert error_row.errors
    assert needle in " ".join(error_row.errors)


def test_a_duplicate_row_is_an_error_pointing_at_the_first(setup, controller):
    report = import_measurements(user=controller, rows=rows(GOOD[0], GOOD[1], ("FAM-01", "BUT-4M", "2026-1", "79")))
    assert [r.line for r in report.error_rows] == [4]
    assert "2" in report.error_rows[0].errors[0]
    assert measurement_count() == 0


def test_rows_outside_the_users_scope_are_reported_as_such(setup, unit_manager):
    report = import_measurements(user=unit_manager, rows=rows(GOOD[0], GOOD[2]))
    assert not report.ok
    (row,) = report.error_rows
    assert row.line == 3 and row.unit_code == "EKB-02"
    assert measurement_count() == 0


def test_a_unit_manager_imports_the_units_own_rows(setup, unit_manager):
    report = import_measurements(user=unit_manager, rows=rows(GOOD[0], GOOD[4]))
    assert report.ok and report.written
    assert measurement_count() == 2


def test_a_team_member_may_not_import(setup, team_member):
    report = import_measurements(user=team_member, rows=rows(GOOD[0]))
    assert not report.ok
    assert measurement_count() == 0


def test_an_unknown_or_unreadable_unit_is_not_revealed(setup, unit_manager, org):
    report = import_measurements(user=unit_manager, rows=rows(("HT-01", "BUT-4M", "2026-01", "1")))
    assert not report.ok
    assert "HT-01" in report.error_rows[0].errors[0]
    assert "Hemtjänst" not in " ".join(report.error_rows[0].errors)


def test_a_dry_run_reports_but_keeps_nothing(setup, controller):
    report = import_measurements(user=controller, rows=rows(*GOOD), dry_run=True)
    assert report.ok and not report.written
    assert report.changes == 5
    assert measurement_count() == 0


def test_an_empty_value_without_comment_is_skipped_with_comment_records_a_missing_value(setup, controller):
    report = import_measurements(user=controller, rows=rows(("FAM-01", "BUT-4M", "2026-01", "", ""),
                                                            ("FAM-01", "BUT-4M", "2026-02", " ", "Systemet låg nere")))
    assert [r.status for r in report.rows] == [Status.SKIP, Status.NEW]
    (m,) = Measurement.objects.all()
    assert m.value is None and m.comment == "Systemet låg nere"


def test_a_file_without_comment_column_keeps_stored_comments(setup, controller):
    import_measurements(user=controller, rows=rows(GOOD[0]))
    report = import_measurements(user=controller, rows=rows(("FAM-01", "BUT-4M", "2026-01", "79"), comment_column=False))
    assert report.counts[Status.UPDATE] == 1
    m = Measurement.objects.get()
    assert (m.value, m.comment) == (Decimal("79"), "Två förlängdes")


# A percentage (BUT-4M) must lie in 0-100, so the thousands separators and the minus sign are typed
# into the cost per inhabitant (SEK, yearly, N31001 of EKB-02), where such numbers are plausible.
SEK_YEAR = ("EKB-02", "N31001", "2026")
PERCENT_MONTH = ("FAM-01", "BUT-4M", "2026-01")


@pytest.mark.parametrize("target,typed,expected", [
    (SEK_YEAR, "1\u00a0234,5", "1234.5"), (SEK_YEAR, "1\u2009234,5", "1234.5"), (SEK_YEAR, "\u221212,5", "-12.5"),
    (PERCENT_MONTH, "78.5", "78.5"), (PERCENT_MONTH, "12 %", "12"), (PERCENT_MONTH, 78.5, "78.5"),
    (PERCENT_MONTH, 0.30000000000000004, "0.3"), (PERCENT_MONTH, 12, "12")])
def test_numbers_as_swedes_and_excel_write_them(setup, controller, target, typed, expected):
    report = import_measurements(user=controller, rows=rows((*target, typed)))
    assert report.ok, report.text_lines()
    assert Measurement.objects.get().value == Decimal(expected)


def test_an_excel_file_with_numbers_as_text_and_empty_last_rows_imports(setup, controller):
    data = xlsx_bytes([HEADER, ["FAM-01", "BUT-4M", "2026-01", 78.5, "Två"], ["FAM-01", "BUT-4M", "2026-02", "81,0", None],
                       ["EKB-02", "N31001", 2026, "1 512", None]])
    report = importers.import_file(user=controller, data=data, filename="utfall.xlsx")
    assert report.ok, report.text_lines()
    assert measurement_count() == 3


def test_a_windows_1252_file_imports_with_its_comments(setup, controller):
    data = csv_bytes([HEADER, ["FAM-01", "BUT-4M", "2026-01", "78,5", "Väntan på BUP-utlåtande"]], encoding="cp1252")
    report = importers.import_file(user=controller, data=data)
    assert report.ok
    assert Measurement.objects.get().comment == "Väntan på BUP-utlåtande"


def test_a_broken_file_gives_a_file_error_and_writes_nothing(setup, controller):
    report = importers.import_file(user=controller, data=b"PK\x03\x04broken", filename="x.xlsx")
    assert report.file_errors and not report.ok
    report = importers.import_file(user=controller, data=csv_bytes([["enhet", "värde"], ["FAM-01", "1"]]))
    assert report.file_errors
    assert measurement_count() == 0


def test_a_row_that_fails_while_writing_rolls_back_the_rows_before_it(setup, controller, monkeypatch):
    from scorecards import services

    real = services.measurements_record_batch
    calls = []

    def flaky(**kwargs):
        # The values are written, then the recorder reports the file's third row (its key) wrong.
        calls.append(1)
        saved, errors = real(**kwargs)
        assert measurement_count() == len(kwargs["items"])
        return saved, {**errors, kwargs["items"][2]["key"]: ["Boom"]}

    monkeypatch.setattr(services, "measurements_record_batch", flaky)
    report = import_measurements(user=controller, rows=rows(*GOOD))
    assert calls == [1]  # one batch for the whole file
    assert not report.ok and not report.written
    assert [(r.line, r.errors) for r in report.error_rows] == [(4, ["Boom"])]
    assert measurement_count() == 0


def test_checking_uses_a_bounded_number_of_queries(setup, controller, django_assert_max_num_queries):
    many = [("FAM-01", "BUT-4M", f"2026-{m:02d}", str(m)) for m in range(1, 13)]
    with django_assert_max_num_queries(8 + 2 * len(many)):
        report = check_rows(user=controller, rows=rows(*many))
    assert report.ok


def test_report_as_dict_is_plain_data(setup, controller):
    report = import_measurements(user=controller, rows=rows(GOOD[0], ("FAM-01", "X", "2026-01", "1")), dry_run=True)
    data = report.as_dict()
    assert data["ok"] is False and data["written"] is False
    assert data["rows"][1]["status"] == "error" and data["rows"][1]["row"] == 3
    assert data["rows"][0]["value"] == "78.5"


def test_codes_are_matched_without_regard_to_case(setup, controller):
    report = import_measurements(user=controller, rows=rows(("fam-01", "but-4m", "2026-01", "1")))
    assert report.ok, report.text_lines()
    assert Measurement.objects.get().unit.external_code == "FAM-01"
