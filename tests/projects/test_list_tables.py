"""The project and envelope lists as tables: sorting, total rows, CSV/XLSX exports, the
envelope's readable change history and "waiting since" on HQ's queues (issue 12)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from projects.models import LifeProject, ProjectTransition
from projects.services import commitment_create
from reintegration.money import format_amount
from reintegration.tables import Column, to_csv
from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

EXPORT_CAST = [
    ("admin", 200),
    ("officer", 200),
    ("analyst", 403),
    ("coordinator_a", 200),
    ("coordinator_b", 200),
    ("anonymous", 302),
]


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def three_projects(centre_a, coordinator_a):
    """Three drafts of centre A: 12 000, 5 000 and 32 000 DH."""
    projects = []
    for price, cash in (("10000.00", "2000.00"), ("4000.00", "1000.00"), ("30000.00", "2000.00")):
        case = BeneficiaryFactory(centre=centre_a, phone="0612345678")
        projects.append(make_project(case, coordinator_a, lines=(("Four", "1", price),), cash=cash))
    return projects


# --- The project list --------------------------------------------------------------------


def test_it_sorts_by_a_whitelisted_column_and_keeps_the_filters(client_for, officer, three_projects):
    response = client_for(officer).get(reverse("projects:list"), {"status": "draft", "sort": "-total"})
    assert [p.total for p in response.context["page"].object_list] == [
        Decimal("32000.00"),
        Decimal("12000.00"),
        Decimal("5000.00"),
    ]
    html = response.content.decode()
    # The sorted column says so; its link turns the order around and keeps the filter.
    assert 'aria-sort="descending"' in html
    assert 'href="?status=draft&amp;sort=total"' in html
    assert 'href="?status=draft&amp;sort=person"' in html


def test_it_ignores_a_sort_key_outside_the_whitelist(client_for, officer, three_projects):
    response = client_for(officer).get(reverse("projects:list"), {"sort": "beneficiary__cin"})
    assert response.status_code == 200
    assert response.context["sorting"].key == "created"


def test_the_total_row_sums_the_whole_filtered_set_not_the_page(client_for, officer, centre_a, coordinator_a):
    for _ in range(27):
        make_project(BeneficiaryFactory(centre=centre_a), coordinator_a)
    response = client_for(officer).get(reverse("projects:list"))
    assert len(response.context["page"].object_list) == 25
    assert response.context["total"] == Decimal("12000.00") * 27


def test_the_total_row_follows_the_filters(client_for, officer, three_projects, officer_approves):
    officer_approves(three_projects[0])
    response = client_for(officer).get(reverse("projects:list"), {"status": "approved"})
    assert response.context["total"] == Decimal("12000.00")


@pytest.fixture
def officer_approves(coordinator_a, officer):
    from projects.services import project_transition

    def approve(project):
        project_transition(project=project, target="submitted", by=coordinator_a)
        project_transition(project=project, target="approved", by=officer)

    return approve


@pytest.mark.parametrize(("who", "status"), EXPORT_CAST)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_project_export_for_the_cast(cast, client_for, three_projects, who, status, fmt):
    response = client_for(cast[who]).get(reverse("projects:export", args=[fmt]))
    assert response.status_code == status


def test_an_unknown_export_format_is_a_404(client_for, officer):
    assert client_for(officer).get(reverse("projects:export", args=["pdf"])).status_code == 404


def test_the_csv_has_the_filtered_rows_their_total_and_no_cin_nor_phone(client_for, officer, three_projects):
    response = client_for(officer).get(reverse("projects:export", args=["csv"]), {"sort": "total"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    rows = _csv(response)
    total_at = rows[0].index("Total")
    assert [row[total_at] for row in rows[1:]] == ["5000.00", "12000.00", "32000.00", "49000.00"]
    assert rows[-1][0] == "Total"
    text = response.content.decode()
    for project in three_projects:
        assert project.beneficiary.cin not in text
        assert "612345678" not in text


def test_the_xlsx_writes_amounts_as_numbers(client_for, officer, three_projects):
    rows = _xlsx(client_for(officer).get(reverse("projects:export", args=["xlsx"]), {"sort": "-total"}))
    total_at = rows[0].index("Total")
    assert rows[1][total_at] == 32000
    assert rows[-1][0] == "Total" and rows[-1][total_at] == 49000


def test_a_coordinator_exports_only_their_centres_projects(client_for, coordinator_b, three_projects, centre_b):
    theirs = make_project(BeneficiaryFactory(centre=centre_b), coordinator_b)
    rows = _csv(client_for(coordinator_b).get(reverse("projects:export", args=["csv"])))
    assert [row[0] for row in rows[1:-1]] == [theirs.number]


def test_a_formula_in_a_name_is_written_as_text(client_for, officer, centre_a, coordinator_a):
    case = BeneficiaryFactory(centre=centre_a, first_name_latin="=HYPERLINK(1)", last_name_latin="@SUM")
    make_project(case, coordinator_a)
    rows = _csv(client_for(officer).get(reverse("projects:export", args=["csv"])))
    assert rows[1][2].startswith("'=")
    sheet = _xlsx(client_for(officer).get(reverse("projects:export", args=["xlsx"])))
    assert sheet[1][2].startswith("'=")


def test_the_writer_guards_every_formula_start():
    columns = [Column("Name", lambda row: row)]
    lines = to_csv(columns, ["=1+1", "+33", "-2", "@A1", "plain"]).decode("utf-8-sig").split()
    assert lines[1:] == ["'=1+1", "'+33", "'-2", "'@A1", "plain"]


def test_the_list_and_its_export_cost_the_same_for_1_and_30_projects(client_for, officer, centre_a, coordinator_a):
    make_project(BeneficiaryFactory(centre=centre_a), coordinator_a)
    client = client_for(officer)

    def fetch():
        assert client.get(reverse("projects:list"), {"sort": "-total"}).status_code == 200
        assert client.get(reverse("projects:export", args=["xlsx"])).status_code == 200

    def grow():
        for _ in range(29):
            make_project(BeneficiaryFactory(centre=centre_a), coordinator_a)

    assert_constant_queries(fetch, grow, budget=24)


# --- Envelopes -----------------------------------------------------------------------------

ENVELOPE_EXPORT_CAST = [
    ("admin", 200),
    ("officer", 200),
    ("analyst", 200),
    ("coordinator_a", 403),
    ("coordinator_b", 403),
    ("anonymous", 302),
]
ENVELOPE_PROJECTS_CAST = [*ENVELOPE_EXPORT_CAST[:2], ("analyst", 403), *ENVELOPE_EXPORT_CAST[3:]]


@pytest.mark.parametrize(("who", "status"), ENVELOPE_EXPORT_CAST)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_envelope_export_for_the_cast(cast, client_for, envelope, who, status, fmt):
    assert client_for(cast[who]).get(reverse("envelopes:export", args=[fmt])).status_code == status


@pytest.mark.parametrize(("who", "status"), ENVELOPE_PROJECTS_CAST)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_envelope_projects_export_for_the_cast(cast, client_for, envelope, who, status, fmt):
    response = client_for(cast[who]).get(reverse("envelopes:projects_export", args=[envelope.pk, fmt]))
    assert response.status_code == status


def test_the_envelope_list_sorts_and_totals_the_filtered_set(client_for, officer):
    EnvelopeFactory(name="A", amount=Decimal("100000.00"), fiscal_year=2025)
    EnvelopeFactory(name="B", amount=Decimal("250000.00"), fiscal_year=2025)
    EnvelopeFactory(name="C", amount=Decimal("70000.00"), fiscal_year=2024)
    response = client_for(officer).get(reverse("envelopes:list"), {"fiscal_year": "2025", "sort": "-amount"})
    assert [e.name for e in response.context["page"].object_list] == ["B", "A"]
    assert response.context["totals"]["amount"] == Decimal("350000.00")
    assert response.context["totals"]["available"] == Decimal("350000.00")
    rows = _csv(client_for(officer).get(reverse("envelopes:export", args=["csv"]), {"fiscal_year": "2025"}))
    assert [row[0] for row in rows[1:]] == ["B", "A", "Total"]
    assert rows[-1][rows[0].index("Amount")] == "350000.00"


def test_the_envelope_projects_table_totals_and_exports(client_for, officer, envelope, approved):
    commitment_create(project=approved, envelope=envelope, by=officer)
    client = client_for(officer)
    response = client.get(reverse("envelopes:detail", args=[envelope.pk]), {"sort": "-amount"})
    assert response.context["commitments_total"] == approved.total
    assert 'aria-sort="descending"' in response.content.decode()
    rows = _csv(client.get(reverse("envelopes:projects_export", args=[envelope.pk, "csv"])))
    assert rows[1][0] == approved.number
    assert rows[-1][-1] == str(approved.total)
    assert approved.beneficiary.cin not in str(rows)


def test_the_envelope_pages_cost_the_same_with_1_and_30_projects(
    client_for, officer, envelope, centre_a, coordinator_a
):
    def fund_one():
        case = BeneficiaryFactory(centre=centre_a)
        project = make_project(case, coordinator_a, status="approved", officer=officer)
        commitment_create(project=project, envelope=envelope, by=officer)

    fund_one()
    client = client_for(officer)

    def fetch():
        assert client.get(reverse("envelopes:list")).status_code == 200
        assert client.get(reverse("envelopes:detail", args=[envelope.pk]), {"sort": "person"}).status_code == 200
        assert client.get(reverse("envelopes:projects_export", args=[envelope.pk, "xlsx"])).status_code == 200

    def grow():
        for _ in range(29):
            fund_one()

    envelope.amount = Decimal("10000000.00")
    envelope.save(update_fields=["amount"])
    assert_constant_queries(fetch, grow, budget=40)


def test_the_change_history_reads_as_field_old_new(client_for, officer, envelope):
    envelope.amount = Decimal("150000.00")
    envelope.is_active = False
    envelope.save()
    response = client_for(officer).get(reverse("envelopes:detail", args=[envelope.pk]))
    newest = response.context["history"][0]
    assert [change.label for change in newest.changes] == ["Amount", "Open for new commitments"]
    amount, active = newest.changes
    assert (amount.old, amount.new) == (format_amount(Decimal("100000.00")), format_amount(Decimal("150000.00")))
    assert (active.old, active.new) == ("Yes", "No")
    assert response.context["history"][-1].created
    html = response.content.decode()
    assert f'<span class="fw-semibold">Amount</span>: <span class="text-nowrap" dir="auto">{amount.old}</span>' in html


# --- Waiting since, on HQ's home ---------------------------------------------------------


def test_hq_queues_say_since_when_each_project_waits(client_for, officer, case_a, coordinator_a):
    project = make_project(case_a, coordinator_a, status="submitted")
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    ProjectTransition.objects.filter(project=project, target="submitted").update(at=ten_days_ago)
    response = client_for(officer).get(reverse("home"))
    (waiting,) = response.context["awaiting_approval"]["items"]
    assert timezone.localtime(waiting.waiting_since).date() == timezone.localtime(ten_days_ago).date()
    assert "10 days" in response.content.decode()


def test_waiting_since_falls_back_on_the_milestone(client_for, admin_user, case_a, coordinator_a):
    project = make_project(case_a, coordinator_a, status="submitted")
    ProjectTransition.objects.filter(project=project).delete()
    LifeProject.objects.filter(pk=project.pk).update(submitted_on=timezone.localdate() - datetime.timedelta(days=3))
    response = client_for(admin_user).get(reverse("home"))
    assert "3 days" in response.content.decode()


def test_the_home_queues_cost_the_same_for_1_and_12_projects(client_for, officer, centre_a, coordinator_a):
    make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status="submitted")
    client = client_for(officer)

    def fetch():
        assert client.get(reverse("home")).status_code == 200

    def grow():
        for _ in range(11):
            make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status="submitted")

    assert_constant_queries(fetch, grow, budget=30)
