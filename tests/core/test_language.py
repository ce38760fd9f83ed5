import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_speaks_arabic_right_to_left_with_the_rtl_stylesheet():
    html = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    assert "تسجيل الدخول" in html


def test_it_speaks_french_left_to_right():
    html = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "bootstrap.min.css" in html and "bootstrap.rtl.min.css" not in html
    assert "Se connecter" in html


def test_it_remembers_the_choice_on_the_account(client_for, coordinator_a):
    client = client_for(coordinator_a)
    response = client.post(reverse("set_language"), {"language": "fr", "next": reverse("home")})
    assert response.status_code == 302
    coordinator_a.refresh_from_db()
    assert coordinator_a.language == "fr"
    # Another device, with an Arabic browser, still gets the saved language.
    other_device = client_for(coordinator_a)
    html = other_device.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="fr" dir="ltr">' in html


def test_it_refuses_an_unknown_language_and_foreign_redirects(client_for, coordinator_a):
    client = client_for(coordinator_a)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    coordinator_a.refresh_from_db()
    assert coordinator_a.language == "en"


def test_anonymous_choice_is_kept_in_a_cookie():
    client = Client()
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})
    assert 'lang="fr"' in client.get(reverse("login")).content.decode()
