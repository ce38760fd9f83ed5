import pytest
from django.urls import reverse

from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(centre_a):
    return BeneficiaryFactory(centre=centre_a)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("officer", 403),
        ("analyst", 403),
        ("coordinator_a", 403),
        ("coordinator_b", 403),
        ("anonymous", 302),
    ],
)
def test_the_audit_page_for_the_cast(cast, client_for, case, who, status):
    assert client_for(cast[who]).get(reverse("beneficiaries:audit", args=[case.pk])).status_code == status


def test_it_shows_who_changed_what_before_and_after_and_who_looked(client_for, admin_user, coordinator_a, case):
    from beneficiaries.services import beneficiary_update

    beneficiary_update(case=case, by=coordinator_a, fields={"address": "Hay Salam"})
    client_for(coordinator_a).get(reverse("beneficiaries:detail", args=[case.pk]))
    response = client_for(admin_user).get(reverse("beneficiaries:audit", args=[case.pk]))
    change = response.context["history"][0]["changes"]
    assert [(c["old"], c["new"]) for c in change] == [("—", "Hay Salam")]
    assert response.context["history"][0]["record"].history_user == coordinator_a
    assert [view.user for view in response.context["views"].object_list] == [coordinator_a]
