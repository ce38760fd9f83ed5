from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from projects.choices import ProjectStatus
from projects.models import EquipmentLine, LifeProject, StandardKit
from tests.cast import READS_CASE, WRITES_CASE
from tests.factories import BeneficiaryFactory, make_project
from tests.html_forms import read_form
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("officer", 200), ("analyst", 403), ("coordinator_a", 200), ("anonymous", 302)]
)
def test_the_list_for_the_cast(cast, client_for, who, status):
    assert client_for(cast[who]).get(reverse("projects:list")).status_code == status


def test_a_coordinator_lists_only_their_centres_projects(client_for, coordinator_a, coordinator_b, draft, centre_b):
    theirs = make_project(BeneficiaryFactory(centre=centre_b), coordinator_b)
    assert list(client_for(coordinator_a).get(reverse("projects:list")).context["page"].object_list) == [draft]
    assert list(client_for(coordinator_b).get(reverse("projects:list")).context["page"].object_list) == [theirs]


def test_the_list_filters_by_status_and_name(client_for, officer, draft, approved_other):
    page = client_for(officer).get(reverse("projects:list"), {"status": "approved"}).context["page"]
    assert list(page.object_list) == [approved_other]
    page = client_for(officer).get(reverse("projects:list"), {"q": "Yusuf"}).context["page"]
    assert list(page.object_list) == [approved_other]


@pytest.fixture
def approved_other(centre_a, coordinator_a, officer):
    case = BeneficiaryFactory(centre=centre_a, first_name_latin="Youssef", first_name_ar="يوسف")
    return make_project(case, coordinator_a, status="approved", officer=officer)


def test_the_list_costs_the_same_for_1_and_30_projects(client_for, officer, centre_a, coordinator_a, draft):
    client = client_for(officer)

    def fetch():
        assert client.get(reverse("projects:list")).status_code == 200

    def grow():
        for _ in range(29):
            make_project(BeneficiaryFactory(centre=centre_a), coordinator_a)

    assert_constant_queries(fetch, grow, budget=10)


@pytest.mark.parametrize(("who", "status"), READS_CASE)
def test_the_page_for_the_cast(cast, client_for, draft, who, status):
    assert client_for(cast[who]).get(reverse("projects:detail", args=[draft.pk])).status_code == status


@pytest.mark.parametrize(("who", "status"), WRITES_CASE)
def test_the_edit_page_for_the_cast(cast, client_for, draft, who, status):
    assert client_for(cast[who]).get(reverse("projects:edit", args=[draft.pk])).status_code == status


def test_the_plan_freezes_once_submitted(client_for, coordinator_a, case_a):
    project = make_project(case_a, coordinator_a, status="submitted")
    assert client_for(coordinator_a).get(reverse("projects:edit", args=[project.pk])).status_code == 403


def test_the_page_costs_the_same_with_1_and_30_lines(client_for, officer, draft):
    client = client_for(officer)

    def fetch():
        assert client.get(reverse("projects:detail", args=[draft.pk])).status_code == 200

    def grow():
        EquipmentLine.objects.bulk_create(
            EquipmentLine(project=draft, item_fr=f"Article {i}", quantity=1, unit_price=10, amount=10)
            for i in range(29)
        )

    assert_constant_queries(fetch, grow, budget=16)


def test_a_coordinator_builds_a_plan_of_five_lines_through_the_rendered_form(coordinator_a, case_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator_a)
    response = client.get(reverse("beneficiaries:detail", args=[case_a.pk]))
    start = read_form(response, None)
    client.post(reverse("projects:start", args=[case_a.pk]), {"csrfmiddlewaretoken": start["csrfmiddlewaretoken"]})
    project = LifeProject.objects.get(beneficiary=case_a)
    url = reverse("projects:edit", args=[project.pk])
    data = read_form(client.get(url), "project-form")
    lines = [
        ("Four", "1", "14500.00"),
        ("Pétrin", "1", "6800.00"),
        ("Table inox", "2", "950.50"),
        ("Plaques", "20", "60.00"),
        ("Balance", "1", "449.99"),
    ]
    data.update(
        {
            "lines-TOTAL_FORMS": "5",
            "trade": str(StandardKit.objects.get(trades__code="bakery").trades.get().pk),
            "description": "Boulangerie de quartier",
            "cash_aid": "3517.01",
            "social_needs": ["family", "housing"],
        }
    )
    for index, (item, quantity, price) in enumerate(lines):
        data.update(
            {
                f"lines-{index}-item_fr": item,
                f"lines-{index}-item_ar": f"مادة {index}",
                f"lines-{index}-quantity": quantity,
                f"lines-{index}-unit": "piece",
                f"lines-{index}-unit_price": price,
            }
        )
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.lines.count() == 5
    assert project.equipment_total == Decimal("24850.99")  # 14500 + 6800 + 1901 + 1200 + 449.99
    assert project.total == Decimal("28368.00")
    assert project.social_needs == ["family", "housing"]
    assert project.trade.sector.code == "food"


def _post_with_a_second_line(client, draft, line: dict, **fields):
    """The draft's edit form as rendered, sent back with a second plan line (and ``fields``)."""
    url = reverse("projects:edit", args=[draft.pk])
    data = read_form(client.get(url), "project-form")
    data.update({"lines-TOTAL_FORMS": "2", "lines-1-unit": "piece", **fields})
    data.update({f"lines-1-{name}": value for name, value in line.items()})
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


def test_a_line_with_a_negative_price_is_refused_and_nothing_saved(client_for, coordinator_a, draft):
    line = {"item_fr": "Balance", "item_ar": "ميزان", "quantity": "1", "unit_price": "-5"}
    response = _post_with_a_second_line(client_for(coordinator_a), draft, line, description="Changed")
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.lines.count() == 1 and draft.description == "Boulangerie"


def test_a_line_without_its_arabic_name_is_refused_at_the_field(client_for, coordinator_a, draft):
    line = {"item_fr": "Balance", "item_ar": "", "quantity": "1", "unit_price": "450"}
    response = _post_with_a_second_line(client_for(coordinator_a), draft, line)
    assert response.status_code == 200
    assert response.context["lines"].forms[1].errors == {"item_ar": ["This field is required."]}
    assert draft.lines.count() == 1


def test_the_live_totals_use_the_same_arithmetic(client_for, coordinator_a, draft):
    response = client_for(coordinator_a).post(
        reverse("projects:plan_preview", args=[draft.pk]),
        {
            "lines-TOTAL_FORMS": "3",
            "lines-0-quantity": "3",
            "lines-0-unit_price": "33.33",
            "lines-1-quantity": "2,5",
            "lines-1-unit_price": "1 234,56",
            "lines-2-quantity": "9",
            "lines-2-unit_price": "9",
            "lines-2-DELETE": "on",
            "cash_aid": "abc",
        },
    )
    totals = response.context["totals"]
    assert totals.line_amounts == (Decimal("99.99"), Decimal("3086.40"), Decimal("0"))
    assert totals.total == Decimal("3186.39")
    assert 'id="plan-total" hx-swap-oob="true"' in response.content.decode()


def test_a_standard_kit_prefills_rows(client_for, coordinator_a, draft):
    kit = StandardKit.objects.get(trades__code="bakery")
    response = client_for(coordinator_a).get(
        reverse("projects:kit_rows", args=[draft.pk]), {"kit": kit.pk, "lines-TOTAL_FORMS": "1"}
    )
    html = response.content.decode()
    assert 'name="lines-1-item_fr"' in html and 'value="Four à pain à gaz, 2 chambres"' in html
    assert 'name="lines-1-item_ar"' in html and 'value="فرن خبز بالغاز بغرفتين"' in html
    assert 'name="lines-TOTAL_FORMS" value="6"' in html
    assert response["HX-Trigger-After-Swap"] == "plan-changed"


@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("coordinator_b", 404), ("analyst", 403)])
def test_the_live_endpoints_for_the_cast(cast, client_for, draft, who, status):
    client = client_for(cast[who])
    assert client.post(reverse("projects:plan_preview", args=[draft.pk]), {}).status_code == status
    assert client.get(reverse("projects:kit_rows", args=[draft.pk]), {"kit": 1}).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 302), ("officer", 403), ("analyst", 403), ("coordinator_a", 302), ("coordinator_b", 404)],
)
def test_starting_a_project_for_the_cast(cast, client_for, case_a, who, status):
    assert client_for(cast[who]).post(reverse("projects:start", args=[case_a.pk])).status_code == status
    assert LifeProject.objects.filter(beneficiary=case_a).exists() is (status == 302)


def test_starting_a_second_project_says_why_not(client_for, coordinator_a, draft, case_a):
    response = client_for(coordinator_a).post(reverse("projects:start", args=[case_a.pk]), follow=True)
    assert "already has a life project in progress" in response.content.decode()
    assert LifeProject.objects.filter(beneficiary=case_a).count() == 1


def test_the_case_page_shows_the_project_panel(client_for, coordinator_a, draft, case_a):
    html = client_for(coordinator_a).get(reverse("beneficiaries:detail", args=[case_a.pk])).content.decode()
    assert reverse("projects:detail", args=[draft.pk]) in html
    assert str(ProjectStatus.DRAFT.label) in html
