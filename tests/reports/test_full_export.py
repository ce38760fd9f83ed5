"""HQ's national export (``reports.full_export``): a sheet per entity with the database's counts,
what each role's file holds (no one named for an analyst, the CIN masked for an officer, full
for an administrator), formulas escaped, the CSV variant, cancelling, and its start page as the
cast gets it."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from beneficiaries.cin import mask_cin
from beneficiaries.models import Beneficiary, CaseExport
from distributions.models import Event, Handover, HandoverItem
from jobs.models import Job
from jobs.services import job_cancel
from jobs.tasks import job_run
from projects.models import Commitment, Envelope, EnvelopeFunder, EquipmentLine, FollowUpVisit, LifeProject
from reports import full_export
from tests.core.test_every_create_form_once import twice
from tests.distributions.conftest import (  # noqa: F401 — shared fixtures
    delivered,
    envelope,
    event,
    funded_project,
    planned,
    private_media,
    project_a,
)
from tests.factories import BeneficiaryFactory
from tests.html_forms import read_form
from tests.jobs.conftest import immediate  # noqa: F401 — a shared fixture

pytestmark = pytest.mark.django_db

# Fictitious people, distinctive enough that finding one in a file means the file names them.
AMINA = {
    "first_name_latin": "Hnia",
    "last_name_latin": "Zerhounia",
    "first_name_ar": "هنية",
    "last_name_ar": "الزرهونية",
    "cin": "XT582046",
    "phone": "+212661728394",
    "address": "Derb Lalla Aouda 17, Meknès",
    "birth_date": datetime.date(1987, 9, 23),
}
YASMINA_CIN = "XT246810"  # project_a's person (tests/distributions/conftest.py)
FORMULA = '=HYPERLINK("http://example.invalid","x")'

# What each sheet counts, in the workbook's order.
MODELS = [
    Beneficiary,
    LifeProject,
    EquipmentLine,
    Envelope,
    EnvelopeFunder,
    Commitment,
    Event,
    Handover,
    HandoverItem,
    FollowUpVisit,
]


@pytest.fixture
def national(centre_a, centre_b, coordinator_b, officer, envelope, delivered):  # noqa: F811
    """Yasmina's bakery handed over in centre A (three items), Hnia funded in centre B, and a
    person of centre B whose name a spreadsheet would run as a formula."""
    funded_project(centre_b, coordinator_b, officer, envelope, **AMINA)
    BeneficiaryFactory(centre=centre_b, first_name_latin=FORMULA, last_name_latin="@SUM(A1)", cin="")


def export(user, fmt=full_export.XLSX) -> Job:
    job = full_export.full_export_start(by=user, fmt=fmt)
    assert job_run.call(job_id=job.pk) == "succeeded", Job.objects.get(pk=job.pk).error
    job.refresh_from_db()
    return job


def workbook(job: Job):
    with job.result.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def cells(book) -> list[str]:
    return [str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row]


def header(sheet) -> list[str]:
    return [cell.value for cell in next(sheet.iter_rows(max_row=1))]


def column(sheet, label: str) -> list:
    index = header(sheet).index(label)
    return [row[index] for row in sheet.iter_rows(min_row=2, values_only=True)]


# --- The file -----------------------------------------------------------------------------


def test_it_writes_a_sheet_per_entity_with_the_databases_rows(national, officer):
    job = export(officer)
    book = workbook(job)
    assert [sheet.max_row - 1 for sheet in book.worksheets] == [model.objects.count() for model in MODELS]
    with translation.override(officer.language):  # the job's language: its starter's
        titles = [str(model._meta.verbose_name_plural).capitalize()[:31] for model in MODELS]
    assert [sheet.title for sheet in book.worksheets] == titles
    assert Beneficiary.objects.count() == 3 and HandoverItem.objects.count() == 3  # not empty sheets
    assert job.result_name.startswith("national-export-") and job.result_name.endswith(".xlsx")
    assert (job.done, job.total) == (sum(model.objects.count() for model in MODELS),) * 2
    assert job.centre is None and job.params == {"format": "xlsx", "about": "XLSX"}


def test_dates_are_dates_and_amounts_numbers_with_two_decimals(national, officer, project_a):  # noqa: F811
    book = workbook(export(officer))
    cases = book.worksheets[0]
    births = column(cases, "Date of birth")
    assert datetime.datetime(1987, 9, 23) in births
    row = births.index(datetime.datetime(1987, 9, 23)) + 2
    assert cases.cell(row=row, column=header(cases).index("Date of birth") + 1).number_format == "dd/mm/yyyy"
    projects = book.worksheets[1]
    totals = dict(zip(column(projects, "Project"), column(projects, "Total"), strict=True))
    assert totals[project_a.number] == 26201.0
    amount = projects.cell(row=2, column=header(projects).index("Total") + 1)
    assert amount.number_format == "#,##0.00" and isinstance(amount.value, float)
    lines = book.worksheets[2]
    for label, field in (("Item in French", "item_fr"), ("Item in Arabic", "item_ar")):
        written = sorted(value or "" for value in column(lines, label))  # an empty text is an empty cell
        assert written == sorted(EquipmentLine.objects.values_list(field, flat=True))


def test_an_officer_sees_names_in_both_scripts_and_the_cin_masked(national, officer):
    values = cells(workbook(export(officer)))
    for name in ("Hnia", "Zerhounia", "هنية", "الزرهونية", AMINA["address"]):
        assert name in values
    assert "06 61 72 83 94" in values  # the phone as staff read it
    assert mask_cin(AMINA["cin"]) in values and mask_cin(YASMINA_CIN) in values
    assert not any(cin in value for value in values for cin in (AMINA["cin"], YASMINA_CIN))


def test_an_administrator_sees_the_full_cin(national, admin_user):
    values = cells(workbook(export(admin_user)))
    assert AMINA["cin"] in values and YASMINA_CIN in values


def test_an_analysts_file_names_no_one(national, analyst):
    book = workbook(export(analyst))
    values = cells(book)
    identifying = [
        *("Hnia", "Zerhounia", "هنية", "الزرهونية", "Yasmina", "Idrissi", "ياسمينة", "الإدريسي"),
        *(AMINA["cin"], mask_cin(AMINA["cin"]), YASMINA_CIN, mask_cin(YASMINA_CIN)),
        *("661728394", "06 61 72 83 94", "Lalla Aouda", "HYPERLINK"),
    ]
    shown = [word for word in identifying if any(word in value for value in values)]
    assert not shown
    cases = book.worksheets[0]
    assert "Date of birth" not in header(cases) and "CIN" not in header(cases)
    assert 1987 in column(cases, "Year of birth")
    assert set(column(cases, "File number")) == {case.number for case in Beneficiary.objects.all()}
    assert "Project description" not in header(book.worksheets[1])
    assert [sheet.max_row - 1 for sheet in book.worksheets] == [model.objects.count() for model in MODELS]


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text(national, officer):
    values = cells(workbook(export(officer)))
    assert "'" + FORMULA in values and "'@SUM(A1)" in values
    assert FORMULA not in values


def test_the_csv_variant_is_a_zip_of_one_file_per_sheet(national, officer, client_for):
    job = export(officer, full_export.CSV)
    assert job.result_name.endswith(".zip")
    download = client_for(officer).get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip" and job.result_name in download["Content-Disposition"]
    with job.result.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = [sheet.name for sheet in full_export.sheets_for(officer)]
    assert archive.namelist() == [f"{name}.csv" for name in names]
    for name, model in zip(names, MODELS, strict=True):
        raw = archive.read(f"{name}.csv")
        assert raw.startswith("\ufeff".encode())  # UTF-8 with a byte-order mark, for the Arabic
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert len(rows) - 1 == model.objects.count(), name
    cases = list(csv.DictReader(io.StringIO(archive.read("case-files.csv").decode("utf-8-sig"))))
    hnia = next(row for row in cases if row["CIN"] == mask_cin(AMINA["cin"]))
    assert (hnia["Date of birth"], hnia["Last name (Arabic)"]) == ("23/09/1987", "الزرهونية")
    assert any(row["First name (Latin script)"] == "'" + FORMULA for row in cases)
    projects = list(csv.DictReader(io.StringIO(archive.read("life-projects.csv").decode("utf-8-sig"))))
    assert {row["Total"] for row in projects} == {"26201.00"}


def test_its_headers_are_in_the_starters_language(national, officer):
    type(officer).objects.filter(pk=officer.pk).update(language="fr")
    officer.refresh_from_db()
    sheet = workbook(export(officer)).worksheets[0]
    with translation.override("fr"):
        assert header(sheet)[0] == gettext("File number")
        assert set(column(sheet, gettext("Sex"))) == {gettext("Male"), gettext("Female")}


def test_it_reads_each_sheet_in_one_query_whatever_the_rows(centre_a, officer):
    def queries() -> int:
        job = full_export.full_export_start(by=officer)
        with CaptureQueriesContext(connection) as captured:
            job_run.call(job_id=job.pk)
        return len(captured)

    BeneficiaryFactory(centre=centre_a)
    few = queries()
    BeneficiaryFactory.create_batch(20, centre=centre_a)
    assert queries() == few


def test_it_records_the_export_in_the_log(national, officer):
    export(officer, full_export.CSV)
    logged = CaseExport.objects.get()
    assert (logged.user, logged.filters, logged.rows) == (officer, "export=national&format=csv", 3)


def test_a_cancelled_export_keeps_no_result_and_no_file(national, officer, monkeypatch):
    monkeypatch.setattr(full_export, "PROGRESS_EVERY", 2)
    real_progress, opened = full_export.job_progress, []

    def progress_then_cancel(job, done, total):
        if done == 2:
            job_cancel(job=Job.objects.get(pk=job.pk), by=officer)
        return real_progress(job, done, total)

    real_temporary = full_export.tempfile.TemporaryFile

    def temporary(*args, **kwargs):
        opened.append(real_temporary(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(full_export, "job_progress", progress_then_cancel)
    monkeypatch.setattr(full_export.tempfile, "TemporaryFile", temporary)
    job = full_export.full_export_start(by=officer)
    assert job_run.call(job_id=job.pk) == "cancelled"
    job.refresh_from_db()
    assert not job.result and not job.result_name and job.done == 2
    assert len(opened) == 1 and opened[0].closed  # the temporary file went with the job
    assert not CaseExport.objects.exists()


def test_only_its_starter_and_administrators_see_an_export(client_for, officer, admin_user, analyst):
    from tests.factories import UserFactory

    colleague = UserFactory(username="other.officer")
    by_admin = Job.objects.create(kind=full_export.KIND, started_by=admin_user, params={"format": "xlsx"})
    by_officer = Job.objects.create(kind=full_export.KIND, started_by=officer, params={"format": "xlsx"})
    by_analyst = Job.objects.create(kind=full_export.KIND, started_by=analyst, params={"format": "xlsx"})
    expected = {
        officer: {by_officer},
        colleague: set(),
        analyst: {by_analyst},
        admin_user: {by_admin, by_officer, by_analyst},
    }
    for user, jobs in expected.items():
        assert set(Job.objects.visible_to(user)) == jobs, user.username
    assert client_for(officer).get(reverse("jobs:detail", args=[by_admin.pk])).status_code == 404


def test_a_role_changed_since_the_start_fails_the_job(officer, centre_a):
    job = full_export.full_export_start(by=officer)
    type(officer).objects.filter(pk=officer.pk).update(role="coordinator", centre=centre_a)
    assert job_run.call(job_id=job.pk) == "failed"
    assert not Job.objects.get(pk=job.pk).result


# --- The start page -------------------------------------------------------------------------

PAGE = [
    ("admin", 200),
    ("officer", 200),
    ("analyst", 200),
    ("coordinator_a", 403),
    ("coordinator_b", 403),
    ("anonymous", 302),
]


@pytest.mark.parametrize(("role", "expected"), PAGE)
def test_the_start_page_as_the_cast_gets_it(cast, client_for, role, expected):
    response = client_for(cast[role]).get(reverse("dashboard:full_export"))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("role", "expected"), PAGE)
def test_starting_it_as_the_cast(cast, client_for, role, expected):
    response = client_for(cast[role]).post(reverse("dashboard:full_export"), {"format": "csv"})
    if expected == 200:
        job = Job.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
        assert (job.kind, job.started_by, job.centre, job.params["format"]) == ("full_export", cast[role], None, "csv")
    else:
        assert response.status_code == expected and not Job.objects.exists()


def test_the_page_says_what_the_file_holds_for_each_role(client_for, officer, analyst, admin_user):
    def page(user) -> str:
        return client_for(user).get(reverse("dashboard:full_export")).content.decode()

    analyst_page, officer_page, admin_page = page(analyst), page(officer), page(admin_user)
    assert "no name, no ID number (CIN)" in analyst_page and "Year of birth" in analyst_page
    assert "<dd" in analyst_page and ">CIN<" not in analyst_page and "Date of birth" not in analyst_page
    assert "masked" in officer_page and "AB••••56" in officer_page
    assert "full ID number (CIN)" in admin_page
    for user in (analyst, officer, admin_user):
        response = client_for(user).get(reverse("dashboard:full_export"))
        assert read_form(response)["format"] == "xlsx"  # the default, ticked
        assert 'novalidate=""' in response.content.decode()


def test_the_form_as_rendered_starts_one_job_even_sent_twice(officer):
    answers = twice(officer, reverse("dashboard:full_export"), format="xlsx")
    job = Job.objects.get()
    assert answers[0]["Location"] == reverse("jobs:detail", args=[job.pk]) and job.params["format"] == "xlsx"


def test_a_format_it_does_not_make_is_refused_at_its_field(client_for, officer):
    response = client_for(officer).post(reverse("dashboard:full_export"), {"format": "pdf"})
    assert response.status_code == 200 and response.context["form"].errors["format"]
    assert not Job.objects.exists()


def test_the_whole_journey_ends_with_the_file_to_download(
    national,
    client_for,
    officer,
    immediate,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    client = client_for(officer)
    data = read_form(client.get(reverse("dashboard:full_export")))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:full_export"), data)
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) and job.status == "succeeded", job.error
    assert reverse("jobs:download", args=[job.pk]) in client.get(response["Location"]).content.decode()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f'filename="{job.result_name}"' in download["Content-Disposition"]
    assert load_workbook(io.BytesIO(content)).worksheets[0].max_row == 4


@pytest.mark.parametrize(
    ("role", "shown"), [("officer", True), ("analyst", True), ("admin", True), ("coordinator_a", False)]
)
def test_the_dashboard_links_to_it_for_hq(cast, client_for, role, shown):
    html = client_for(cast[role]).get(reverse("dashboard:index")).content.decode()
    assert (reverse("dashboard:full_export") in html) is shown


def test_amounts_are_read_as_written(national, officer):
    """A sum of the file's amounts is the database's (two decimals, no float drift on the way)."""
    book = workbook(export(officer))
    lines = book.worksheets[2]
    written = sum(Decimal(str(value)) for value in column(lines, "Amount"))
    assert written == sum(EquipmentLine.objects.values_list("amount", flat=True))
