"""The dashboard's page, map, exports and report against the cast, the query budget,
bad input and publication."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.distributions.conftest import pdf_text
from tests.factories import BeneficiaryFactory, make_project, province
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

EVERY_ROLE_READS = [
    ("admin", 200),
    ("officer", 200),
    ("analyst", 200),
    ("coordinator_a", 200),
    ("coordinator_b", 200),
    ("anonymous", 302),
]
URLS = [
    reverse("dashboard:index"),
    reverse("dashboard:map"),
    reverse("dashboard:export", args=["province", "csv"]),
    reverse("dashboard:export", args=["sex", "xlsx"]),
    reverse("dashboard:report"),
]


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(("who", "status"), EVERY_ROLE_READS)
@pytest.mark.parametrize("url", URLS)
def test_every_role_gets_its_dashboard(cast, client_for, who, status, url):
    response = client_for(cast[who]).get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", URLS)
def test_it_refuses_writes(client_for, officer, url):
    assert client_for(officer).post(url).status_code == 405


def test_a_coordinator_sees_nothing_of_another_centre(picture, client_for, coordinator_b):
    client = client_for(coordinator_b)
    html = client.get(reverse("dashboard:index")).content.decode()
    board = client.get(reverse("dashboard:index")).context["board"]
    assert board.figures["people_registered"].value == 2
    assert board.figures["amount_committed"].value == Decimal("12000.00")
    assert "26\u202f201" not in html and "43\u202f701" not in html  # centre A's amounts
    provinces = {row[0] for row in _csv(client.get(reverse("dashboard:export", args=["province", "csv"]))) if row}
    assert "Meknès" not in provinces and "Fès" in provinces
    assert "envelopes" not in board.tables
    # The filters cannot reach out of the scope: another centre's code is no parameter of theirs.
    other = client.get(reverse("dashboard:index"), {"centre": "test-meknes"}).context["board"]
    assert other.figures["people_registered"].value == 2


def test_an_analyst_sees_no_name_and_no_id_number_anywhere(picture, client_for, analyst, tmp_path):
    client = client_for(analyst)
    people = picture["people"].values()
    secrets = {p.cin for p in people} | {p.last_name_latin for p in people} | {p.first_name_latin for p in people}
    secrets |= {p.last_name_ar for p in people}
    html = client.get(reverse("dashboard:index")).content.decode()
    exported = "".join(
        client.get(reverse("dashboard:export", args=[table, "csv"])).content.decode("utf-8-sig")
        for table in ("region", "province", "centre", "sex", "trade", "operation", "envelopes", "headline")
    )
    report = pdf_text(client.get(reverse("dashboard:report")).content, tmp_path)
    for secret in secrets:
        assert secret not in html
        assert secret not in exported
        assert secret not in report


def test_its_queries_do_not_grow_with_the_data(picture, client_for, officer, coordinator_a, centre_a):
    client = client_for(officer)

    def fetch():
        assert client.get(reverse("dashboard:index"), {"year": 2025}).status_code == 200

    def grow():
        for n in range(30):
            case = BeneficiaryFactory(centre=centre_a, cin=f"XT9{n:05d}", sex="F" if n % 3 else "M")
            make_project(case, coordinator_a, status="approved", officer=officer)

    assert_constant_queries(fetch, grow, budget=40)


def test_the_map_costs_a_handful_of_queries_whatever_the_provinces(picture, client_for, officer, coordinator_a):
    client = client_for(officer)

    def fetch():
        response = client.get(reverse("dashboard:map"), {"measure": "committed"})
        assert response.status_code == 200
        assert response.content.decode().count("<path") == 75

    def grow():
        for n, code in enumerate(("01.511", "07.427", "06.141.01.60", "04.421")):
            case = BeneficiaryFactory(centre=coordinator_a.centre, province=province(code), cin=f"XT8{n:05d}")
            make_project(case, coordinator_a, status="approved", officer=officer)

    assert_constant_queries(fetch, grow, budget=6)


def test_the_exports_carry_the_filters_and_the_same_figures(picture, client_for, officer):
    client = client_for(officer)
    rows = _csv(client.get(reverse("dashboard:export", args=["sex", "csv"]), {"year": 2026}))
    header = max(i for i, row in enumerate(rows) if row and row[0] == "By sex")  # the title, then the header
    table = {row[0]: row for row in rows[header + 1 :]}
    assert table["Female"][1] == "1" and table["Male"][1] == "5"
    assert table["Total"][4] == "55701.00"  # committed, as on the page
    assert ["Period", "01/01/2026 – 31/12/2026"] in rows[:header]
    book = load_workbook(io.BytesIO(client.get(reverse("dashboard:export", args=["sex", "xlsx"])).content))
    sheet = book.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    total = next(row for row in values if row[0] == "Total")
    assert total[4] == 55701.0 and total[1] == 6


def test_publication_hides_small_cells_and_one_more(picture, client_for, officer, tmp_path):
    client = client_for(officer)
    rows = _csv(client.get(reverse("dashboard:export", args=["sex", "csv"]), {"publication": "1"}))
    table = {row[0]: row for row in rows if row}
    # One woman: hidden; then the men's count, or the total would give hers away.
    assert table["Female"][1] == "< 3"
    assert table["Male"][1] == "< 3"
    assert table["Total"][1] == "6"
    assert any("For publication" in row[0] for row in rows if row)
    page = client.get(reverse("dashboard:index"), {"publication": "1"})
    assert page.context["board"].figures["women"].suppressed
    assert "For publication" in page.content.decode()
    report = pdf_text(client.get(reverse("dashboard:report"), {"publication": "1"}).content, tmp_path)
    assert "pour publication" in report


@pytest.mark.parametrize(
    "params",
    [
        {"year": "²"},
        {"year": "1e9"},
        {"start": "31/02/2025", "end": "nope"},
        {"region": "zz", "province": "\x00", "centre": "../"},
        {"operation": "١٢", "sector": "'; drop table", "trade": "x" * 5000},
        {"sex": "X", "measure": "<script>", "layer": "moon"},
        {"start": "2025-06-01", "end": "2025-01-01"},
        {"end": "9999-12-31"},
        {"start": "0001-01-01", "end": "0001-01-01"},
    ],
)
def test_bad_parameters_are_field_errors_never_a_500(picture, client_for, officer, params):
    client = client_for(officer)
    for url in (reverse("dashboard:index"), reverse("dashboard:map"), reverse("dashboard:report")):
        assert client.get(url, params).status_code == 200
    page = client.get(reverse("dashboard:index"), params)
    if {"year", "region", "end"} & params.keys():
        assert page.context["form"].errors


def test_unknown_exports_are_404(client_for, officer):
    client = client_for(officer)
    assert client.get(reverse("dashboard:export", args=["nothing", "csv"])).status_code == 404
    assert client.get(reverse("dashboard:export", args=["sex", "exe"])).status_code == 404


def test_the_report_is_bilingual_with_the_pages_figures(picture, client_for, officer, tmp_path):
    response = client_for(officer).get(reverse("dashboard:report"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "Tableau de bord" in text and "لوحة القيادة" in text
    assert "55 701,00" in text.replace("\u202f", " ")
    assert "Personnes enregistrées" in text and "الأشخاص المسجلون" in text


def test_publication_leaves_no_small_figure_anywhere(picture, client_for, coordinator_b, officer):
    """Centre B has two people: in publication, neither the headline export, the funnel, the
    map nor the envelopes may show a figure about them."""
    client = client_for(coordinator_b)
    headline = {
        row[0]: row
        for row in _csv(client.get(reverse("dashboard:export", args=["headline", "csv"]), {"publication": "1"}))
        if row
    }
    assert headline["People registered"][1] == "< 3"
    assert headline["Amount committed"][1] == "< 3"
    page = client.get(reverse("dashboard:index"), {"publication": "1"})
    registered = next(step for step in page.context["board"].funnel if step["key"] == "people_registered")
    assert registered["suppressed"] and registered["width"] == 0
    # Links keep the page in publication mode.
    assert all("publication=1" in row.url for row in page.context["board"].tables["sex"].rows if row.url)
    hidden = [row for row in page.context["map"]["rows"] if row["hidden"]]
    assert hidden and all(row["display"] == "< 3" for row in hidden)
    envelopes = client_for(officer).get(reverse("dashboard:index"), {"publication": "1"}).context["board"]
    row = envelopes.tables["envelopes"].rows[0]
    assert row.values["projects"] == 3
    assert not row.suppressed  # three projects: shown


def test_publication_hides_one_more_map_shape(picture, client_for, officer, centre_a):
    """Two people in Tanger are hidden; with Meknès and Fès shown, the total less them would
    give Tanger back, so one of them is hidden too."""
    for n in range(2):
        BeneficiaryFactory(centre=centre_a, province=province("01.511"), cin=f"XT7{n:05d}")
    page = client_for(officer).get(reverse("dashboard:index"), {"publication": "1"})
    hidden = {row["label"] for row in page.context["map"]["rows"] if row["hidden"]}
    assert len(hidden) == 2 and "Tanger-Assilah" in hidden
