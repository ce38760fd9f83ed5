import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.choices import CaseStatus
from beneficiaries.models import CaseExport
from tests.factories import BeneficiaryFactory, ProgramFactory, province
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = reverse("beneficiaries:list")


def names(response) -> list[str]:
    return [case.last_name_latin for case in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("officer", 200), ("analyst", 403), ("coordinator_a", 200), ("anonymous", 302)],
)
def test_the_list_for_the_cast(cast, client_for, who, status):
    assert client_for(cast[who]).get(URL).status_code == status


def test_a_coordinator_lists_only_their_centre(client_for, coordinator_a, centre_a, centre_b):
    BeneficiaryFactory(centre=centre_a, last_name_latin="Mine")
    BeneficiaryFactory(centre=centre_b, last_name_latin="Theirs")
    assert names(client_for(coordinator_a).get(URL)) == ["Mine"]


def test_hq_lists_every_centre(client_for, officer, centre_a, centre_b):
    BeneficiaryFactory(centre=centre_a, last_name_latin="Alpha")
    BeneficiaryFactory(centre=centre_b, last_name_latin="Beta")
    assert names(client_for(officer).get(URL)) == ["Alpha", "Beta"]


@pytest.mark.parametrize(
    "query",
    ["mohamed", "Muhammad el alaoui", "MOHAMMED ALAWI", "محمد", "مُحمّد العلوي", "علوي", "moha", "xt-000 777"],
)
def test_it_finds_a_person_by_any_spelling_or_the_cin(client_for, officer, centre_a, query):
    BeneficiaryFactory(centre=centre_a, cin="XT000777")
    BeneficiaryFactory(
        centre=centre_a,
        cin="XT000888",
        first_name_ar="يوسف",
        last_name_ar="بناني",
        first_name_latin="Youssef",
        last_name_latin="Bennani",
    )
    assert names(client_for(officer).get(URL, {"q": query})) == ["El Alaoui"]


def test_it_filters_and_keeps_the_filters_in_the_url(client_for, officer, centre_a, centre_b):
    program = ProgramFactory()
    BeneficiaryFactory(
        centre=centre_a,
        last_name_latin="Match",
        sex="F",
        program=program,
        release_date=datetime.date(2021, 5, 1),
        province=province("03.061"),
    )
    BeneficiaryFactory(
        centre=centre_a, last_name_latin="Man", sex="M", program=program, release_date=datetime.date(2021, 5, 1)
    )
    BeneficiaryFactory(
        centre=centre_b, last_name_latin="Other year", sex="F", program=program, release_date=datetime.date(2022, 5, 1)
    )
    params = {"sex": "F", "release_year": "2021", "program": program.pk, "centre": centre_a.pk}
    assert names(client_for(officer).get(URL, params)) == ["Match"]


def test_the_page_links_keep_the_filters(client_for, officer, centre_a):
    BeneficiaryFactory.create_batch(26, centre=centre_a, sex="F")
    html = client_for(officer).get(URL, {"sex": "F", "q": "alaoui"}).content.decode()
    assert 'href="?sex=F&amp;q=alaoui&amp;page=2"' in html


def test_archived_files_are_hidden_unless_asked_for(client_for, officer, centre_a):
    BeneficiaryFactory(centre=centre_a, last_name_latin="Live")
    BeneficiaryFactory(centre=centre_a, last_name_latin="Old", status=CaseStatus.ARCHIVED)
    client = client_for(officer)
    assert names(client.get(URL)) == ["Live"]
    assert names(client.get(URL, {"status": "archived"})) == ["Old"]


def test_it_sorts_by_release_date(client_for, officer, centre_a):
    BeneficiaryFactory(centre=centre_a, last_name_latin="Earlier", release_date=datetime.date(2020, 1, 1))
    BeneficiaryFactory(centre=centre_a, last_name_latin="Later", release_date=datetime.date(2024, 1, 1))
    assert names(client_for(officer).get(URL, {"sort": "release"})) == ["Later", "Earlier"]


def test_it_paginates_by_25(client_for, officer, centre_a):
    BeneficiaryFactory.create_batch(30, centre=centre_a)
    response = client_for(officer).get(URL, {"page": 2})
    assert len(response.context["page"].object_list) == 5


def test_a_short_list_is_counted_exactly(client_for, officer, centre_a):
    BeneficiaryFactory.create_batch(30, centre=centre_a)
    response = client_for(officer).get(URL)
    html = response.content.decode()
    assert "1–25 of 30" in html
    assert "1 / 2" in html
    assert 'href="?page=2">Last</a>' in html


def test_a_long_list_says_more_than_it_counted_and_has_no_last_page(client_for, officer, centre_a, monkeypatch):
    """Past ``COUNT_UP_TO`` rows (10,000; 12 here) the list is not counted to its end: it says
    "more than", which is true, and offers no last page, which it does not know."""
    monkeypatch.setattr("beneficiaries.views.cases.COUNT_UP_TO", 12)
    BeneficiaryFactory.create_batch(30, centre=centre_a)
    client = client_for(officer)
    with CaptureQueriesContext(connection) as captured:
        first = client.get(URL)
    html = first.content.decode()
    assert "1–25 of more than 25" in html  # the first page's rows all counted: more than 25
    assert ">Last</a>" not in html
    assert 'href="?page=2" rel="next"' in html
    assert len(first.context["page"].object_list) == 25
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 26" in counts[0].upper()  # no more than the page needs to know a next one exists
    second = client.get(URL, {"page": 2})
    assert "26–30 of 30" in second.content.decode()  # the end reached: counted exactly
    assert len(second.context["page"].object_list) == 5


def test_a_long_list_past_the_cap_still_lists_the_same_rows_in_order(client_for, officer, centre_a, monkeypatch):
    monkeypatch.setattr("beneficiaries.views.cases.COUNT_UP_TO", 5)
    for i in range(30):
        BeneficiaryFactory(centre=centre_a, last_name_latin=f"Name {i:02d}")
    client = client_for(officer)
    listed = names(client.get(URL)) + names(client.get(URL, {"page": 2}))
    assert listed == [f"Name {i:02d}" for i in range(30)]
    assert "1–25 of more than 25" in client.get(URL).content.decode()


@pytest.mark.parametrize("year", ["soon", "0", "99999", "1e9", "2021.5"])
def test_a_bad_filter_value_shows_an_error_not_a_crash(client_for, officer, year):
    response = client_for(officer).get(URL, {"release_year": year, "page": "x"})
    assert response.status_code == 200
    assert "release_year" in response.context["filterset"].form.errors
    assert client_for(officer).get(reverse("beneficiaries:export"), {"release_year": year}).status_code == 200


def test_the_cin_is_masked_for_the_program_officer(client_for, officer, coordinator_a, centre_a):
    BeneficiaryFactory(centre=centre_a, cin="XT123456")
    assert "XT••••56" in client_for(officer).get(URL).content.decode()
    assert "XT123456" not in client_for(officer).get(URL).content.decode()
    assert "XT123456" in client_for(coordinator_a).get(URL).content.decode()


def test_the_list_costs_the_same_for_1_and_50_rows(client_for, officer, centre_a):
    BeneficiaryFactory(centre=centre_a)
    client = client_for(officer)

    def fetch():
        assert client.get(URL, {"q": "alaoui"}).status_code == 200

    assert_constant_queries(fetch, lambda: BeneficiaryFactory.create_batch(49, centre=centre_a), budget=10)


# --- CSV export -----------------------------------------------------------------


def export(client, **params):
    response = client.get(reverse("beneficiaries:export"), params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("officer", 200), ("analyst", 403), ("coordinator_a", 200), ("anonymous", 302)],
)
def test_the_export_for_the_cast(cast, client_for, who, status):
    assert client_for(cast[who]).get(reverse("beneficiaries:export")).status_code == status


def test_the_export_follows_the_filters_and_masks_for_the_officer(client_for, officer, centre_a):
    BeneficiaryFactory(centre=centre_a, cin="XT123456", sex="F", first_name_ar="فاطمة", first_name_latin="Fatima")
    BeneficiaryFactory(centre=centre_a, sex="M")
    rows = export(client_for(officer), sex="F", q="Fatima")
    assert len(rows) == 2
    assert rows[1][2] == "فاطمة" and rows[1][5] == "XT••••56"
    log = CaseExport.objects.get()
    assert log.user == officer and log.rows == 1
    # The filters are kept, the searched name is not.
    assert "sex=F" in log.filters and "q=*" in log.filters and "Fatima" not in log.filters


def test_a_coordinator_exports_only_their_centre(client_for, coordinator_a, centre_a, centre_b):
    BeneficiaryFactory(centre=centre_a, cin="XT000001")
    BeneficiaryFactory(centre=centre_b, cin="XT000002")
    rows = export(client_for(coordinator_a))
    assert [row[5] for row in rows[1:]] == ["XT000001"]


def test_the_export_does_not_let_a_spreadsheet_run_a_formula(client_for, officer, centre_a):
    BeneficiaryFactory(centre=centre_a, last_name_latin='=HYPERLINK("http://x")', address="+212")
    rows = export(client_for(officer))
    assert rows[1][3] == '\'=HYPERLINK("http://x")'
