"""A create form sent twice makes one record: the second copy lands where the first went."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from beneficiaries.models import AccompanimentAction, Beneficiary
from reintegration.models import Submission
from reintegration.once import prune
from tests.beneficiaries.test_register import URL, identity
from tests.factories import BeneficiaryFactory
from tests.html_forms import read_form

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def registration(client) -> dict:
    data = read_form(client.get(URL), "case-form")
    data.update(identity())
    return data


def test_the_registration_form_carries_a_token_of_its_own(coordinator_a):
    client = signed_in(coordinator_a)
    first, second = registration(client)["submission"], registration(client)["submission"]
    assert uuid.UUID(first) and uuid.UUID(second) and first != second


def test_the_same_registration_sent_twice_makes_one_case_file(coordinator_a):
    client = signed_in(coordinator_a)
    data = registration(client)
    first = client.post(URL, data)
    second = client.post(URL, data)
    case = Beneficiary.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("beneficiaries:detail", args=[case.pk])
    assert Submission.objects.get().url == first["Location"]


def test_the_second_copy_says_so_in_the_users_language(coordinator_a):
    coordinator_a.language = "fr"
    coordinator_a.save()
    client = signed_in(coordinator_a)
    data = registration(client)
    client.post(URL, data)
    response = client.post(URL, data, follow=True)
    assert "Ce formulaire avait déjà été envoyé" in response.content.decode()
    assert Beneficiary.objects.count() == 1


def test_a_form_sent_back_with_errors_keeps_its_token_and_frees_it(coordinator_a):
    client = signed_in(coordinator_a)
    data = registration(client)
    refused = client.post(URL, {**data, "birth_date": "2031-01-01"})
    assert refused.status_code == 200
    assert read_form(refused, "case-form")["submission"] == data["submission"]
    assert not Submission.objects.exists()
    corrected = client.post(URL, {**read_form(refused, "case-form"), "birth_date": "1991-02-03"})
    assert corrected.status_code == 302 and Beneficiary.objects.count() == 1


def test_another_users_token_is_refused(coordinator_a, centre_a):
    from tests.factories import CoordinatorFactory

    colleague = CoordinatorFactory(username="coord.a2", centre=centre_a)
    client = signed_in(coordinator_a)
    data = registration(client)
    assert client.post(URL, data).status_code == 302
    other = signed_in(colleague)
    stolen = {**registration(other), "submission": data["submission"], "birth_date": "1980-01-01"}
    assert other.post(URL, stolen).status_code == 400
    assert Beneficiary.objects.count() == 1


def test_two_accompaniment_actions_sent_as_one_make_one(coordinator_a, centre_a):
    case = BeneficiaryFactory(centre=centre_a)
    client = signed_in(coordinator_a)
    url = reverse("beneficiaries:action_create", args=[case.pk])
    data = read_form(client.get(url))
    data.update(kind="social", date="2026-01-05", description="Visite à domicile")
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert AccompanimentAction.objects.filter(beneficiary=case).count() == 1


def test_a_post_without_a_token_still_works(coordinator_a):
    client = signed_in(coordinator_a)
    data = registration(client)
    del data["submission"]
    assert client.post(URL, data).status_code == 302
    assert Beneficiary.objects.count() == 1 and not Submission.objects.exists()


def test_old_tokens_are_forgotten(coordinator_a):
    import datetime

    from django.utils import timezone

    kept = Submission.objects.create(token=uuid.uuid4(), user=coordinator_a, url="/cases/1/")
    old = Submission.objects.create(token=uuid.uuid4(), user=coordinator_a, url="/cases/2/")
    Submission.objects.filter(pk=old.pk).update(sent_at=timezone.now() - datetime.timedelta(days=3))
    assert prune() == 1
    assert list(Submission.objects.all()) == [kept]
