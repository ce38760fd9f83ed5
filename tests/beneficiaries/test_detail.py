import pytest
from django.urls import reverse

from beneficiaries.models import CaseView
from tests.cast import READS_CASE
from tests.factories import ActionFactory, BeneficiaryFactory
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(centre_a):
    return BeneficiaryFactory(centre=centre_a, cin="XT123456", phone="+212612345678")


@pytest.mark.parametrize(("who", "status"), READS_CASE)
def test_the_case_page_for_the_cast(cast, client_for, case, who, status):
    assert client_for(cast[who]).get(reverse("beneficiaries:detail", args=[case.pk])).status_code == status


def test_it_shows_the_file_and_logs_who_viewed_it(client_for, coordinator_a, case):
    html = client_for(coordinator_a).get(reverse("beneficiaries:detail", args=[case.pk])).content.decode()
    assert "XT123456" in html and "06 12 34 56 78" in html and "محمد العلوي" in html
    view = CaseView.objects.get()
    assert (view.beneficiary, view.user) == (case, coordinator_a)


def test_the_program_officer_sees_a_masked_cin_and_no_edit_button(client_for, officer, case):
    html = client_for(officer).get(reverse("beneficiaries:detail", args=[case.pk])).content.decode()
    assert "XT••••56" in html and "XT123456" not in html
    assert reverse("beneficiaries:edit", args=[case.pk]) not in html


def test_the_timeline_lists_actions_newest_first(client_for, coordinator_a, case):
    import datetime

    ActionFactory(beneficiary=case, date=datetime.date(2025, 4, 1), description="First step")
    ActionFactory(beneficiary=case, date=datetime.date(2025, 5, 1), description="Second step")
    response = client_for(coordinator_a).get(reverse("beneficiaries:detail", args=[case.pk]))
    bodies = [entry.body for entry in response.context["timeline"] if entry.body]
    assert bodies == ["Second step", "First step"]


def test_the_page_costs_the_same_with_1_and_50_actions(client_for, coordinator_a, case):
    ActionFactory(beneficiary=case)
    client = client_for(coordinator_a)

    def fetch():
        assert client.get(reverse("beneficiaries:detail", args=[case.pk])).status_code == 200

    assert_constant_queries(fetch, lambda: ActionFactory.create_batch(49, beneficiary=case), budget=16)
