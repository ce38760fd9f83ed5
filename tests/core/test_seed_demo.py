import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reintegration.models import Centre, Partner, Program, User

pytestmark = pytest.mark.django_db

ACCOUNTS = ["admin", "officer", "analyst", "coord.meknes", "coord.fes", "coord.casablanca", "coord.marrakech"]


def test_it_is_idempotent():
    call_command("seed_demo")
    counts = [Centre.objects.count(), Program.objects.count(), Partner.objects.count(), User.objects.count()]
    call_command("seed_demo")
    assert [Centre.objects.count(), Program.objects.count(), Partner.objects.count(), User.objects.count()] == counts
    assert set(Centre.objects.values_list("code", flat=True)) == {"meknes", "fes", "casablanca", "marrakech"}
    assert Centre.objects.get(code="marrakech").provinces.filter(code="07.427").exists()


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_demo_account_signs_in_and_sees_its_home(username):
    call_command("seed_demo")
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": "demo-pass-2026"})
    assert response.status_code == 302, username
    user = User.objects.get(username=username)
    home = client.get(reverse("home"))
    assert f"reports/home_{user.role}.html" in [t.name for t in home.templates]


def test_it_takes_the_demo_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-pass")
    call_command("seed_demo")
    assert User.objects.get(username="officer").check_password("another-demo-pass")
