import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from reintegration.models import User
from tests.browser_helpers import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_it_signs_in_and_lands_on_the_home_page(coordinator_a):
    client = Client()
    response = _login(client, "coord.a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_it_refuses_a_wrong_password_with_a_message(coordinator_a):
    response = _login(Client(HTTP_ACCEPT_LANGUAGE="fr"), "coord.a", "wrong")
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session
    assert "Saisissez un nom d\u2019utilisateur et un mot de passe valides" in response.content.decode()


def test_it_locks_the_account_after_five_failures(coordinator_a):
    client = Client()
    for _ in range(5):
        _login(client, "coord.a", "wrong")
    # Even the right password is refused while locked.
    response = _login(client, "coord.a", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15" in response.content.decode()


def test_it_requires_sign_in_for_the_home_page():
    response = Client().get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_signs_out_on_post_only(client_for, coordinator_a):
    client = client_for(coordinator_a)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_it_changes_the_password(client_for, coordinator_a):
    client = client_for(coordinator_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-New-pass-9182", "new_password2": "a-New-pass-9182"},
    )
    assert response.status_code == 302
    coordinator_a.refresh_from_db()
    assert coordinator_a.check_password("a-New-pass-9182")


def test_it_sends_a_password_reset_link(coordinator_a):
    response = Client().post(reverse("password_reset"), {"email": coordinator_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert mail.outbox[0].to == [coordinator_a.email]


def test_the_session_ends_with_the_browser_and_after_a_working_day(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


def test_it_makes_createsuperuser_an_administrator():
    user = User.objects.create_superuser("root2", "r@example.invalid", "x-pass-9182-y")
    assert user.is_administrator and user.is_staff and user.centre is None
