"""A CIN already registered at the user's own centre is named and linked; consent is recorded,
never assumed."""

import pytest
from django.test import Client
from django.urls import reverse

from beneficiaries.models import Beneficiary
from tests.beneficiaries.test_register import URL, identity
from tests.factories import BeneficiaryFactory
from tests.html_forms import read_form

pytestmark = pytest.mark.django_db


def post(user, **values):
    client = Client()
    client.force_login(user)
    return client.post(URL, {**read_form(client.get(URL), "case-form"), **identity(**values)})


def test_a_cin_held_by_the_users_centre_names_and_links_the_file(coordinator_a, centre_a):
    holder = BeneficiaryFactory(centre=centre_a, cin="XT998877")
    response = post(coordinator_a)
    assert response.status_code == 200
    error = str(response.context["form"].errors["cin"][0])
    assert holder.number in error and holder.full_name in error
    assert f'href="{reverse("beneficiaries:detail", args=[holder.pk])}"' in response.content.decode()
    assert Beneficiary.objects.count() == 1


def test_a_cin_held_by_another_centre_names_the_centre_only(coordinator_a, centre_b):
    holder = BeneficiaryFactory(centre=centre_b, cin="XT998877")
    response = post(coordinator_a)
    error = str(response.context["form"].errors["cin"][0])
    assert holder.number not in error and holder.last_name_latin not in error
    assert reverse("beneficiaries:detail", args=[holder.pk]) not in response.content.decode()
    assert str(centre_b) in error


def test_the_consent_dates_are_not_prefilled(coordinator_a):
    client = Client()
    client.force_login(coordinator_a)
    form = read_form(client.get(URL), "case-form")
    assert not form.get("notice_given_on") and not form.get("consent_signed_on")


@pytest.mark.parametrize("field", ["notice_given_on", "consent_signed_on"])
def test_a_case_without_its_consent_dates_is_refused_with_the_reason(coordinator_a, field):
    response = post(coordinator_a, **{field: ""})
    assert response.status_code == 200
    assert "law 09-08" in " ".join(response.context["form"].errors[field])
    assert not Beneficiary.objects.exists()
