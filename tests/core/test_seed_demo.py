import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reintegration.demo import seed_organisation
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
    seed_organisation()  # the accounts; the full demo is exercised above
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": "demo-pass-2026"})
    assert response.status_code == 302, username
    user = User.objects.get(username=username)
    home = client.get(reverse("home"))
    assert f"reports/home_{user.role}.html" in [t.name for t in home.templates]


def test_it_takes_the_demo_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-pass")
    seed_organisation()
    assert User.objects.get(username="officer").check_password("another-demo-pass")


def test_the_demo_holds_the_figures_of_the_articles():
    from decimal import Decimal

    from django.db.models import Count

    from projects.models import Envelope, LifeProject

    call_command("seed_demo")
    rehamna = Envelope.objects.get(name__startswith="Convention Province de Rehamna")
    moussalaha = Envelope.objects.get(name__startswith="Moussalaha 2021")
    assert rehamna.committed == Decimal("316607.00") and rehamna.commitments.count() == 14
    assert moussalaha.committed == Decimal("2576296.77") and moussalaha.commitments.count() == 50
    ben_guerir = LifeProject.objects.filter(commitments__envelope=rehamna)
    by_province = dict(ben_guerir.values_list("province__code").annotate(n=Count("id")))
    assert by_province == {"07.427": 7, "07.585": 3, "07.191": 4}
    assert ben_guerir.filter(beneficiary__sex="F").count() == 1
    trades = dict(ben_guerir.values_list("trade__code").annotate(n=Count("id")))
    assert trades["pastry"] == 2 and trades["bakery"] == 3 and len(trades) == 11
    moussalaha_projects = LifeProject.objects.filter(commitments__envelope=moussalaha)
    by_centre = dict(moussalaha_projects.values_list("beneficiary__centre__code").annotate(n=Count("id")))
    assert by_centre == {"meknes": 15, "fes": 16, "casablanca": 19}
    assert moussalaha_projects.filter(beneficiary__sex="F").count() == 2
