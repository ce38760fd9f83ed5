import datetime

import pytest
from django.test import Client
from django.urls import reverse

from beneficiaries.models import Beneficiary, DuplicateFlag
from reintegration.models import Province
from tests.factories import BeneficiaryFactory
from tests.html_forms import read_form

pytestmark = pytest.mark.django_db

URL = reverse("beneficiaries:register")


def identity(**overrides):
    data = {
        "first_name_ar": "يوسف",
        "last_name_ar": "الإدريسي",
        "first_name_latin": "youssef",
        "last_name_latin": "el  idrissi",
        "cin": "xt 998 877",
        "sex": "M",
        "birth_date": "1991-02-03",
        "phone": "06 12 34 56 78",
        "province": str(Province.objects.get(code="03.061").pk),
        "establishment": "Prison locale Toulal 2",
        "release_date": "2025-06-01",
        "release_type": "royal_pardon",
        "notice_given_on": "2025-06-10",
        "consent_signed_on": "2025-06-10",
        "dependants": "2",
    }
    data.update(overrides)
    return data


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def post_rendered(client, **values):
    """Fill the rendered registration form and post it, CSRF token included."""
    data = read_form(client.get(URL), "case-form")
    data.update(identity(**values))
    return client.post(URL, data)


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("officer", 403), ("analyst", 403), ("coordinator_a", 200), ("anonymous", 302)],
)
def test_the_page_for_the_cast(cast, client_for, who, status):
    assert client_for(cast[who]).get(URL).status_code == status


def test_a_coordinator_registers_a_person_through_the_rendered_form(coordinator_a):
    response = post_rendered(
        csrf_client(coordinator_a),
        **{
            "trainings-TOTAL_FORMS": "1",
            "trainings-0-title": "Pâtisserie",
            "trainings-0-institution": "Atelier",
            "trainings-0-year": "2024",
            "trainings-0-certificate": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Beneficiary.objects.get()
    assert response["Location"] == reverse("beneficiaries:detail", args=[case.pk])
    assert (case.cin, case.phone, case.last_name_latin, case.first_name_latin) == (
        "XT998877",
        "+212612345678",
        "El Idrissi",
        "Youssef",
    )
    assert case.centre == coordinator_a.centre and case.created_by == coordinator_a
    assert case.trainings.get().title == "Pâtisserie"
    assert case.history.count() == 1


def test_an_administrator_chooses_the_centre(admin_user, centre_b):
    response = post_rendered(csrf_client(admin_user), centre=str(centre_b.pk))
    assert response.status_code == 302
    assert Beneficiary.objects.get().centre == centre_b


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", "2031-01-01", "La date de naissance ne peut pas être dans le futur."),
        ("birth_date", "1890-01-01", "vérifiez l’année"),
        ("release_date", "2031-01-01", "La date de libération ne peut pas être dans le futur."),
        ("release_date", "1990-01-01", "La date de libération doit suivre la date de naissance."),
        ("cin", "123", "Une CIN se compose d’une ou deux lettres suivies de chiffres"),
        ("phone", "123", "Saisissez un numéro de téléphone valide"),
        ("consent_signed_on", "2025-06-01", "Le consentement est signé après la remise de la notice d’information."),
        ("first_name_ar", "", "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_explained_next_to_its_field_in_french(coordinator_a, field, value, message):
    coordinator_a.language = "fr"
    coordinator_a.save()
    response = post_rendered(csrf_client(coordinator_a), **{field: value})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert not Beneficiary.objects.exists()


def test_bad_input_is_explained_in_arabic(coordinator_a):
    coordinator_a.language = "ar"
    coordinator_a.save()
    response = post_rendered(csrf_client(coordinator_a), release_date="2031-01-01")
    assert "لا يمكن أن يكون تاريخ الإفراج في المستقبل." in " ".join(response.context["form"].errors["release_date"])


def test_a_bad_training_row_leaves_nothing_saved(coordinator_a):
    response = post_rendered(
        csrf_client(coordinator_a),
        **{"trainings-TOTAL_FORMS": "1", "trainings-0-title": "Couture", "trainings-0-year": "1800"},
    )
    assert response.status_code == 200
    assert not Beneficiary.objects.exists()


def test_the_same_cin_anywhere_is_refused_naming_only_the_centre(coordinator_a, centre_b):
    BeneficiaryFactory(cin="XT998877", centre=centre_b, first_name_latin="Autre", last_name_latin="Personne")
    coordinator_a.language = "en"
    coordinator_a.save()
    response = post_rendered(csrf_client(coordinator_a))
    errors = " ".join(response.context["form"].errors["cin"])
    assert "already registered" in errors and centre_b.name_fr in errors
    assert "Personne" not in response.content.decode()
    assert Beneficiary.objects.count() == 1


def test_a_probable_duplicate_must_be_acknowledged_with_a_reason(coordinator_a, centre_b):
    other = BeneficiaryFactory(
        centre=centre_b,
        cin="",
        first_name_ar="يوسف",
        last_name_ar="الادريسي",
        first_name_latin="Yousef",
        last_name_latin="Idrissi",
        birth_date=datetime.date(1991, 2, 3),
    )
    client = csrf_client(coordinator_a)
    first = post_rendered(client)
    assert first.status_code == 200
    html = first.content.decode()
    assert [c.beneficiary for c in first.context["duplicates"]] == [other]
    # Another centre's case: only that it exists and where.
    assert centre_b.name_ar in html or centre_b.name_fr in html
    assert "Idrissi" not in html.split('id="duplicates"')[1].split("</div>")[0]
    assert Beneficiary.objects.count() == 1

    without_reason = client.post(URL, read_form(first, "case-form"))
    assert without_reason.status_code == 200 and without_reason.context["reason_error"]
    assert Beneficiary.objects.count() == 1

    data = read_form(first, "case-form")
    data["duplicate_reason"] = "Homonyme : autre père, autre ville d'origine."
    confirmed = client.post(URL, data)
    assert confirmed.status_code == 302
    override = DuplicateFlag.objects.get()
    assert list(override.candidates.all()) == [other]
    assert override.recorded_by == coordinator_a and "Homonyme" in override.reason


def test_the_live_check_warns_before_saving(client_for, coordinator_a, centre_b):
    BeneficiaryFactory(centre=centre_b, cin="XT555444")
    response = client_for(coordinator_a).post(reverse("beneficiaries:duplicates"), {"cin": "xt-555 444"})
    assert response.status_code == 200
    assert response.context["duplicates"][0].reason == "cin"
    assert response.context["duplicates"][0].visible is False
    assert not Beneficiary.objects.filter(cin="").exists()


@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("analyst", 403), ("anonymous", 302)])
def test_the_live_check_for_the_cast(cast, client_for, who, status):
    assert client_for(cast[who]).post(reverse("beneficiaries:duplicates"), {"cin": "XT1"}).status_code == status


def test_the_live_check_refuses_get(client_for, coordinator_a):
    assert client_for(coordinator_a).get(reverse("beneficiaries:duplicates")).status_code == 405
