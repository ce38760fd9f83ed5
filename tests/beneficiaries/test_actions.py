import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import AccompanimentAction
from tests.cast import WRITES_CASE
from tests.factories import ActionFactory, BeneficiaryFactory
from tests.html_forms import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(centre_a):
    return BeneficiaryFactory(centre=centre_a)


@pytest.mark.parametrize(("who", "status"), WRITES_CASE)
def test_the_form_for_the_cast(cast, client_for, case, who, status):
    assert client_for(cast[who]).get(reverse("beneficiaries:action_create", args=[case.pk])).status_code == status


def test_a_coordinator_records_an_action(client_for, coordinator_a, case):
    today = timezone.localdate()
    response = submit(
        client_for(coordinator_a),
        reverse("beneficiaries:action_create", args=[case.pk]),
        kind="administrative",
        description="Dépôt du dossier de CIN",
        outcome="Récépissé obtenu",
        next_step="Retirer la carte",
        next_step_on=(today + datetime.timedelta(days=20)).isoformat(),
    )
    assert response.status_code == 302
    action = AccompanimentAction.objects.get()
    assert (action.beneficiary, action.recorded_by, action.date) == (case, coordinator_a, today)


def test_an_action_in_the_future_is_refused(client_for, coordinator_a, case):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = submit(
        client_for(coordinator_a),
        reverse("beneficiaries:action_create", args=[case.pk]),
        kind="social",
        description="x",
        date=tomorrow.isoformat(),
    )
    assert "date" in response.context["form"].errors
    assert not AccompanimentAction.objects.exists()


def test_a_next_step_before_the_action_is_refused(client_for, coordinator_a, case):
    response = submit(
        client_for(coordinator_a),
        reverse("beneficiaries:action_create", args=[case.pk]),
        kind="social",
        description="x",
        date="2025-05-10",
        next_step_on="2025-05-01",
    )
    assert response.status_code == 200
    assert not AccompanimentAction.objects.exists()


@pytest.mark.parametrize(("who", "status"), WRITES_CASE)
def test_editing_an_action_for_the_cast(cast, client_for, case, who, status):
    action = ActionFactory(beneficiary=case)
    url = reverse("beneficiaries:action_edit", args=[case.pk, action.pk])
    assert client_for(cast[who]).get(url).status_code == status


def test_an_action_of_another_case_is_not_found(client_for, coordinator_a, case, centre_a):
    other = ActionFactory(beneficiary=BeneficiaryFactory(centre=centre_a))
    url = reverse("beneficiaries:action_edit", args=[case.pk, other.pk])
    assert client_for(coordinator_a).get(url).status_code == 404
