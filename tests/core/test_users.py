import pytest
from django.urls import reverse

from reintegration.choices import Role
from reintegration.models import User
from tests.factories import UserFactory
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

ADMIN_ONLY = [("admin", 200), ("officer", 403), ("analyst", 403), ("coordinator_a", 403), ("anonymous", 302)]


@pytest.mark.parametrize(("who", "status"), ADMIN_ONLY)
def test_the_user_list_for_the_cast(cast, client_for, who, status):
    assert client_for(cast[who]).get(reverse("users:list")).status_code == status


@pytest.mark.parametrize(("who", "status"), ADMIN_ONLY)
def test_the_create_page_for_the_cast(cast, client_for, who, status):
    assert client_for(cast[who]).get(reverse("users:create")).status_code == status


@pytest.mark.parametrize(("who", "status"), ADMIN_ONLY)
def test_the_edit_page_for_the_cast(cast, client_for, who, status):
    target = cast["coordinator_b"]
    assert client_for(cast[who]).get(reverse("users:edit", args=[target.pk])).status_code == status


@pytest.mark.parametrize(("who", "status"), ADMIN_ONLY)
def test_the_password_page_for_the_cast(cast, client_for, who, status):
    target = cast["coordinator_b"]
    assert client_for(cast[who]).get(reverse("users:set_password", args=[target.pk])).status_code == status


def test_an_administrator_creates_a_coordinator(client_for, admin_user, centre_a):
    response = client_for(admin_user).post(
        reverse("users:create"),
        {
            "username": "coord.new",
            "email": "new@example.invalid",
            "first_name": "Rachid",
            "last_name": "Amrani",
            "role": Role.COORDINATOR,
            "centre": centre_a.pk,
            "language": "ar",
            "password1": "a-Strong-pass-2026",
            "password2": "a-Strong-pass-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="coord.new")
    assert user.centre == centre_a and user.check_password("a-Strong-pass-2026")
    assert not user.is_staff


def test_a_coordinator_without_a_centre_is_refused_next_to_the_field(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("users:create"),
        {
            "username": "coord.lost",
            "role": Role.COORDINATOR,
            "password1": "a-Strong-pass-2026",
            "password2": "a-Strong-pass-2026",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "centre" in response.context["form"].errors
    assert not User.objects.filter(username="coord.lost").exists()


def test_an_hq_role_drops_the_centre_and_admin_gets_the_admin_flags(client_for, admin_user, coordinator_b):
    response = client_for(admin_user).post(
        reverse("users:edit", args=[coordinator_b.pk]),
        {
            "username": coordinator_b.username,
            "role": Role.ADMINISTRATOR,
            "centre": coordinator_b.centre_id,
            "language": "fr",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    coordinator_b.refresh_from_db()
    assert coordinator_b.centre is None
    assert coordinator_b.is_staff and coordinator_b.is_superuser
    assert coordinator_b.history.first().history_user == admin_user


def test_an_administrator_deactivates_an_account(client_for, admin_user, coordinator_b):
    client_for(admin_user).post(
        reverse("users:edit", args=[coordinator_b.pk]),
        {"username": coordinator_b.username, "role": Role.COORDINATOR, "centre": coordinator_b.centre_id},
    )
    coordinator_b.refresh_from_db()
    assert coordinator_b.is_active is False


def test_an_administrator_sets_a_new_password(client_for, admin_user, coordinator_b):
    response = client_for(admin_user).post(
        reverse("users:set_password", args=[coordinator_b.pk]),
        {"new_password1": "another-Pass-2026", "new_password2": "another-Pass-2026"},
    )
    assert response.status_code == 302
    coordinator_b.refresh_from_db()
    assert coordinator_b.check_password("another-Pass-2026")


def test_the_list_filters_by_role(client_for, admin_user, cast):
    response = client_for(admin_user).get(reverse("users:list"), {"role": Role.ANALYST})
    assert [u.username for u in response.context["page"].object_list] == ["amina.analyst"]


def test_the_list_costs_the_same_for_1_and_50_accounts(client_for, admin_user, centre_a):
    client = client_for(admin_user)

    def fetch():
        assert client.get(reverse("users:list")).status_code == 200

    assert_constant_queries(
        fetch, lambda: UserFactory.create_batch(24, role=Role.COORDINATOR, centre=centre_a), budget=8
    )


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("officer", 302), ("coordinator_a", 302), ("analyst", 302)]
)
def test_the_django_admin_is_for_administrators_only(cast, client_for, who, status):
    assert client_for(cast[who]).get("/admin/").status_code == status
