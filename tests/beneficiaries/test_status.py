import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries.choices import CaseStatus
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(centre_a):
    return BeneficiaryFactory(centre=centre_a)


def post_status(client, case, status):
    return client.post(reverse("beneficiaries:set_status", args=[case.pk]), {"status": status})


def test_a_coordinator_closes_reopens_and_archives(client_for, coordinator_a, case):
    client = client_for(coordinator_a)
    assert post_status(client, case, "closed").status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == timezone.localdate()
    post_status(client, case, "active")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.closed_on is None
    post_status(client, case, "archived")
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED


def test_only_an_administrator_takes_a_file_out_of_the_archive(client_for, coordinator_a, admin_user, case):
    case.status = CaseStatus.ARCHIVED
    case.save()
    assert post_status(client_for(coordinator_a), case, "closed").status_code == 403
    assert post_status(client_for(admin_user), case, "closed").status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


@pytest.mark.parametrize(
    ("who", "status"), [("officer", 403), ("analyst", 403), ("coordinator_b", 404), ("anonymous", 302)]
)
def test_the_status_change_for_the_cast(cast, client_for, case, who, status):
    assert post_status(client_for(cast[who]), case, "closed").status_code == status
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_a_status_change_needs_post(client_for, coordinator_a, case):
    assert client_for(coordinator_a).get(reverse("beneficiaries:set_status", args=[case.pk])).status_code == 405


def test_an_unknown_status_is_refused(client_for, coordinator_a, case):
    assert post_status(client_for(coordinator_a), case, "deleted").status_code == 403
