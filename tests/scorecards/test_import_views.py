"""The import pages: upload → preview with each row's status → confirm, checked again on
confirm; all or nothing; who may use them."""

import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecards.models import ComparisonValue, Measurement
from tests.scorecards.import_helpers import HEADER, build_import_setup, csv_bytes, measurement_count, xlsx_bytes

GOOD = [["FAM-01", "BUT-4M", "2026-01", "78,5", "Två förlängdes"], ["FAM-01", "BUT-4M", "2026-02", "81,0", ""]]


@pytest.fixture
def setup(org, year_2026):
    return build_import_setup(org, year_2026)


def upload(client, data, name="utfall.csv"):
    return client.post(reverse("scorecards:import"), {"file": SimpleUploadedFile(name, data)})


def preview_url(response):
    assert response.status_code == 302, getattr(response, "content", b"")[:500]
    return response["Location"]


def test_the_import_page_has_an_accessible_file_field(client, setup, unit_manager):
    client.force_login(unit_manager)
    response = client.get(reverse("scorecards:import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_file">' in html
    assert 'aria-describedby="id_file_help"' in html
    assert 'enctype="multipart/form-data"' in html


def test_team_members_and_board_members_may_not_import(client, setup, team_member, board_member):
    for user in (team_member, board_member):
        client.force_login(user)
        assert client.get(reverse("scorecards:import")).status_code == 403
        assert upload(client, csv_bytes([HEADER, *GOOD])).status_code == 403
    assert measurement_count() == 0


def test_anonymous_users_are_sent_to_log_in(client, setup):
    response = client.get(reverse("scorecards:import"))
    assert response.status_code == 302 and "logga-in" in response["Location"]


def test_upload_preview_confirm_writes_the_values(client, setup, unit_manager):
    client.force_login(unit_manager)
    url = preview_url(upload(client, csv_bytes([HEADER, *GOOD])))
    preview = client.get(url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'id="row-2"' in html and 'id="row-3"' in html
    assert 'data-status="new"' in html
    assert 'id="import-confirm"' in html
    assert measurement_count() == 0  # the preview keeps nothing
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', html).group(1)
    response = client.post(url, {"sha256": sha})
    assert response.status_code == 302 and response["Location"] == reverse("scorecards:import")
    assert measurement_count() == 2
    assert Measurement.objects.get(period__number=1, period__kind="month").value == Decimal("78.5")
    # The upload is gone from the session once imported.
    assert client.get(url).status_code == 404


def test_confirm_in_the_background_runs_the_same_import_as_a_job_with_its_report(client, setup, unit_manager):
    from governance.jobs import Job, JobStatus

    client.force_login(unit_manager)
    url = preview_url(upload(client, csv_bytes([HEADER, *GOOD])))
    html = client.get(url).content.decode()
    assert 'id="import-background"' in html
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', html).group(1)
    response = client.post(url, {"sha256": sha, "background": "1"})
    job = Job.objects.get()
    # Without a broker the job runs at once; the user lands on its page with the report to download.
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert job.user == unit_manager and job.status == JobStatus.DONE
    assert measurement_count() == 2
    report = client.get(reverse("job-result", args=[job.pk]))
    assert report.status_code == 200
    text = b"".join(report.streaming_content if report.streaming else [report.content]).decode()
    assert text.startswith("Inläst: inget var fel") and text.count("Nytt värde") == 2
    assert client.get(url).status_code == 404


def test_a_background_import_checks_the_file_again_and_writes_nothing_when_a_row_went_bad(client, setup,
                                                                                           unit_manager):
    from governance.jobs import Job

    client.force_login(unit_manager)
    url = preview_url(upload(client, csv_bytes([HEADER, *GOOD])))
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', client.get(url).content.decode()).group(1)
    # Between the preview and the confirm the indicator leaves the unit's scorecard.
    setup.family_card.indicator_links.filter(indicator=setup.but).delete()
    client.post(url, {"sha256": sha, "background": "1"})
    assert measurement_count() == 0
    assert bytes(Job.objects.get().result).decode().startswith("Ingenting lästes in.")


def test_a_file_with_a_bad_row_shows_the_row_report_and_no_confirm_button(client, setup, unit_manager):
    client.force_login(unit_manager)
    data = csv_bytes([HEADER, *GOOD, ["FAM-01", "BUT-4M", "2026-03", "tolv", ""]])
    response = client.get(preview_url(upload(client, data)))
    html = response.content.decode()
    assert 'id="error-summary"' in html and 'href="#row-4"' in html
    assert 'class="row-error"' in html
    assert "tolv" in html
    assert 'id="import-confirm"' not in html
    assert measurement_count() == 0


def test_confirm_checks_again_and_writes_nothing_when_things_changed(client, setup, unit_manager, org):
    client.force_login(unit_manager)
    url = preview_url(upload(client, csv_bytes([HEADER, *GOOD])))
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', client.get(url).content.decode()).group(1)
    setup.but.external_code = "BUT-4M-NY"  # renamed between the preview and the confirm
    setup.but.save()
    response = client.post(url, {"sha256": sha})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert measurement_count() == 0


def test_confirm_with_another_hash_writes_nothing(client, setup, unit_manager):
    client.force_login(unit_manager)
    url = preview_url(upload(client, csv_bytes([HEADER, *GOOD])))
    response = client.post(url, {"sha256": "0" * 64})
    assert response.status_code == 302 and response["Location"] == url
    assert measurement_count() == 0


def test_a_preview_of_another_session_is_not_found(client, setup, unit_manager, controller):
    client.force_login(unit_manager)
    url = preview_url(upload(client, csv_bytes([HEADER, *GOOD])))
    client.force_login(controller)
    assert client.get(url).status_code == 404
    assert client.post(url, {"sha256": "x"}).status_code == 404


def test_too_large_files_are_refused_on_the_form(client, setup, unit_manager, settings):
    settings.TILLIT_IMPORT_MAX_BYTES = 50
    client.force_login(unit_manager)
    response = upload(client, csv_bytes([HEADER, *GOOD]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_file_errors"' in html and 'aria-invalid="true"' in html
    assert "MB" in html


def test_an_empty_upload_is_an_error_on_the_form(client, setup, unit_manager):
    client.force_login(unit_manager)
    response = client.post(reverse("scorecards:import"), {})
    assert response.status_code == 200
    assert 'id="id_file_errors"' in response.content.decode()


@pytest.mark.parametrize("data,name", [(b"PK\x03\x04garbage", "utfall.xlsx"), (b"\x00\x01\x02", "x.csv"),
                                       (b"{not json", "kolada.json")])
def test_broken_files_give_a_clear_error_never_a_server_error(client, setup, controller, data, name):
    client.force_login(controller)
    response = client.get(preview_url(upload(client, data, name)))
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert measurement_count() == 0


def test_an_excel_file_goes_through_the_same_steps(client, setup, controller):
    client.force_login(controller)
    data = xlsx_bytes([HEADER, ["EKB-02", "N31001", 2026, "1 512", None], ["FAM-01", "BUT-4M", "2026-01", 78.5, None]])
    url = preview_url(upload(client, data, "utfall.xlsx"))
    html = client.get(url).content.decode()
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', html).group(1)
    client.post(url, {"sha256": sha})
    assert measurement_count() == 2


def test_a_file_with_nothing_new_says_so(client, setup, controller):
    client.force_login(controller)
    data = csv_bytes([HEADER, *GOOD])
    url = preview_url(upload(client, data))
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', client.get(url).content.decode()).group(1)
    client.post(url, {"sha256": sha})
    html = client.get(preview_url(upload(client, data))).content.decode()
    assert 'id="import-confirm"' not in html
    assert 'data-status="unchanged"' in html


def test_a_controller_imports_a_kolada_file_in_the_browser(client, setup, controller):
    client.force_login(controller)
    data = json.dumps({"values": [
        {"kpi": "N31001", "municipality": "1283", "period": 2026, "values": [{"gender": "T", "value": 1490.0}]},
        {"kpi": "N31001", "municipality": "0000", "period": 2026, "values": [{"gender": "T", "value": 1700.0}]},
    ], "count": 2, "next_page": None}).encode()
    url = preview_url(upload(client, data, "kolada.json"))
    html = client.get(url).content.decode()
    assert 'id="kolada-measurements"' in html and "Riket" in html
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', html).group(1)
    assert client.post(url, {"sha256": sha}).status_code == 302
    assert Measurement.objects.get(indicator=setup.cost).value == Decimal("1490")
    assert ComparisonValue.objects.count() == 2


def test_a_unit_manager_cannot_import_kolada(client, setup, unit_manager):
    client.force_login(unit_manager)
    data = b'{"values": [{"kpi": "N31001", "municipality": "1283", "period": 2026, "values": [{"gender": "T", "value": 1}]}]}'
    response = client.get(preview_url(upload(client, data, "kolada.json")))
    assert 'id="error-summary"' in response.content.decode()
    assert ComparisonValue.objects.count() == 0 and measurement_count() == 0


def test_the_menu_and_the_scorecard_page_link_to_the_import(client, setup, unit_manager, team_member):
    client.force_login(unit_manager)
    url = reverse("scorecards:import")
    html = client.get(reverse("scorecards:scorecard", args=[setup.family_card.pk])).content.decode()
    assert f'href="{url}"' in html and 'id="import-link"' in html
    client.force_login(team_member)
    html = client.get(reverse("scorecards:team")).content.decode()
    assert f'href="{url}"' not in html
