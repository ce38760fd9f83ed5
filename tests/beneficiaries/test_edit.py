import pytest
from django.test import Client
from django.urls import reverse

from beneficiaries.choices import CaseStatus
from tests.cast import WRITES_CASE
from tests.factories import BeneficiaryFactory
from tests.html_forms import read_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(centre_a):
    return BeneficiaryFactory(centre=centre_a)


@pytest.mark.parametrize(("who", "status"), WRITES_CASE)
def test_the_edit_page_for_the_cast(cast, client_for, case, who, status):
    assert client_for(cast[who]).get(reverse("beneficiaries:edit", args=[case.pk])).status_code == status


def test_an_edit_is_saved_with_its_history(coordinator_a, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator_a)
    url = reverse("beneficiaries:edit", args=[case.pk])
    data = read_form(client.get(url), "case-form")
    data.update(
        {
            "address": "12 rue des Oliviers, Meknès",
            "trainings-TOTAL_FORMS": "1",
            "trainings-0-title": "Menuiserie",
            "trainings-0-year": "2023",
        }
    )
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.address == "12 rue des Oliviers, Meknès"
    assert case.trainings.get().title == "Menuiserie"
    latest = case.history.first()
    assert latest.history_user == coordinator_a
    assert latest.diff_against(case.history.last()).changed_fields == ["address"]

    # Removing the training row deletes it.
    data = read_form(client.get(url), "case-form")
    data["trainings-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert not case.trainings.exists()


def test_an_officer_cannot_post_an_edit(client_for, officer, case):
    response = client_for(officer).post(reverse("beneficiaries:edit", args=[case.pk]), {"address": "x"})
    assert response.status_code == 403


def test_an_archived_file_is_read_only(client_for, coordinator_a, case):
    case.status = CaseStatus.ARCHIVED
    case.save()
    assert client_for(coordinator_a).get(reverse("beneficiaries:edit", args=[case.pk])).status_code == 403
