"""Importing values from a CSV file saved by Swedish Excel, in Chromium, on the demo data: from
the scorecard page to the upload, the preview with each row's status, a file with a bad row that
is refused whole, and the confirm. Every page passes the axe-core check."""

import re
from decimal import Decimal

import pytest

from governance.models import OrgUnit
from scorecards.models import Measurement

pytestmark = pytest.mark.browser

HEADER = "enhetskod;indikatorkod;period;värde;kommentar"


def csv_file(*lines):
    text = "\r\n".join((HEADER, *lines)) + "\r\n\r\n"
    return {"name": "utfall.csv", "mimeType": "text/csv", "buffer": text.encode("cp1252")}


def test_unit_manager_imports_a_csv_file_after_a_preview(page, live_server, demo, login, assert_accessible):
    family = OrgUnit.objects.get(external_code="FAM-01")
    before = Measurement.objects.count()
    login("enhetschef")
    page.wait_for_url(re.compile(r"/styrkort/\d+/$"))

    # 1. From the scorecard page to the upload form.
    page.locator("#import-link").click()
    page.wait_for_url(f"{live_server.url}/importera/")
    assert_accessible("import page")

    # 2. A file with a row for another unit is refused whole, row by row.
    page.locator("#id_file").set_input_files(csv_file("FAM-01;BUT-4M;2026-01;79,5;Rättat värde",
                                                      "EKB-02;U31402;2026-01;14,2;"))
    page.locator("#import-upload").click()
    page.wait_for_url(re.compile(r"/importera/[\w-]+/$"))
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#row-3.row-error").count() == 1
    assert page.locator("#import-confirm").count() == 0
    assert_accessible("preview with an error")
    assert Measurement.objects.count() == before

    # 3. The corrected file: a changed value and a new one, previewed, then confirmed.
    page.locator("#import-again").click()
    page.wait_for_url(f"{live_server.url}/importera/")
    page.locator("#id_file").set_input_files(csv_file("FAM-01;BUT-4M;2026-01;79,5;Rättat värde",
                                                      "FAM-01;BUT-4M;2026-11;88,0;Åtgärder för öppenvården"))
    page.locator("#import-upload").click()
    page.wait_for_url(re.compile(r"/importera/[\w-]+/$"))
    assert page.locator('#row-2[data-status="update"]').count() == 1
    assert page.locator('#row-3[data-status="new"]').count() == 1
    assert_accessible("preview")
    page.locator("#import-confirm").click()
    page.wait_for_url(f"{live_server.url}/importera/")
    assert page.locator(".message-success").is_visible()

    january = Measurement.objects.get(unit=family, indicator__external_code="BUT-4M", period__kind="month",
                                      period__number=1, period__year__year=2026)
    assert (january.value, january.comment) == (Decimal("79.5"), "Rättat värde")
    november = Measurement.objects.get(unit=family, indicator__external_code="BUT-4M", period__kind="month",
                                       period__number=11, period__year__year=2026)
    assert november.comment == "Åtgärder för öppenvården"
    assert Measurement.objects.count() == before + 1
