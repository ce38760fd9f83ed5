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
        ("officer", 200),
        ("analyst", 403),
        ("coordinator_a", 200),
        ("coordinator_b", 404),
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


def test_the_centre_sees_its_cases_changes_but_not_who_opened_them(client_for, coordinator_a, case):
    from beneficiaries.services import beneficiary_update

    beneficiary_update(case=case, by=coordinator_a, fields={"address": "Hay Salam"})
    response = client_for(coordinator_a).get(reverse("beneficiaries:audit", args=[case.pk]))
    assert [(c["old"], c["new"]) for c in response.context["history"][0]["changes"]] == [("—", "Hay Salam")]
    assert response.context["views"] is None
    assert "Who opened this case file" not in response.content.decode()
    detail = client_for(coordinator_a).get(reverse("beneficiaries:detail", args=[case.pk])).content.decode()
    assert reverse("beneficiaries:audit", args=[case.pk]) in detail


def test_an_officer_sees_a_cin_change_masked(client_for, officer, coordinator_a, case):
    from beneficiaries.services import beneficiary_update

    old = case.cin
    beneficiary_update(case=case, by=coordinator_a, fields={"cin": "ZZ123456"})
    html = client_for(officer).get(reverse("beneficiaries:audit", args=[case.pk])).content.decode()
    assert "ZZ123456" not in html and old not in html
    assert "56" in html  # the masked form keeps the last digits
