"""The second factor (reintegration.second_factor): who is asked, enrolment with a real TOTP code,
wrong and throttled codes, recovery codes, pages held until verified, an administrator's reset,
the sign-in audit log, and the demo's notice on the login page."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reintegration.choices import AuthEventKind
from reintegration.models import AuthEvent
from tests.browser_helpers import PASSWORD

pytestmark = pytest.mark.django_db

RECOVERY = "abcd2345"
DEMO_NOTICE_FR = "Démo : le second facteur n’est pas exigé ici"


@pytest.fixture
def required(settings):
    settings.REQUIRE_SECOND_FACTOR = True


def _code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or ``steps_ahead`` periods later), from the device's key."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _sign_in(username: str, **extra) -> Client:
    client = Client(**extra)
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    StaticToken.objects.create(device=recovery, token=RECOVERY)
    return device


def _kinds(**filters) -> list[str]:
    return list(AuthEvent.objects.filter(**filters).order_by("at", "pk").values_list("kind", flat=True))


# --- Who is asked ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "analyst", "admin"])
def test_it_asks_hq_and_administrators_for_a_second_factor(required, cast, role):
    client = _sign_in(cast[role].username)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("otp_verify") + "?next=%2F"
    # No app set up yet: the verify page sends them to set one up, keeping where they were going.
    response = client.get(response["Location"])
    assert response["Location"] == reverse("otp_enrol") + "?next=%2F"


def test_it_does_not_ask_coordinators(required, coordinator_a):
    client = _sign_in("coord.a")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("otp_verify")).status_code == 302  # nothing to verify: home


def test_it_does_not_ask_anyone_when_the_setting_is_off(officer):
    assert _sign_in("omar.officer").get(reverse("home")).status_code == 200


def test_it_is_required_under_production_settings_and_off_in_development():
    from reintegration import settings as project_settings

    # The module was read without DEBUG=0 (development); production reads `not DEBUG`.
    assert project_settings.DEBUG is True and project_settings.REQUIRE_SECOND_FACTOR is False
    assert project_settings.SECOND_FACTOR_ROLES == ["officer", "analyst", "admin"]
    source = (project_settings.BASE_DIR / "reintegration" / "settings.py").read_text()
    assert 'REQUIRE_SECOND_FACTOR = env_bool("REQUIRE_SECOND_FACTOR", not DEBUG)' in source


# --- Enrolment ------------------------------------------------------------------------------


def test_it_enrols_with_a_code_from_the_app_and_shows_ten_recovery_codes_once(required, officer):
    client = _sign_in("omar.officer")
    page = client.get(reverse("otp_enrol"))
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    # The QR code is inline SVG made here, with nothing a strict CSP would refuse.
    qr = page.context["qr_svg"]
    assert qr.startswith("<svg") and qr in html and "style" not in qr and "script" not in qr
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    # A reload shows the same key (the app already scanned it).
    client.get(reverse("otp_enrol"))
    assert TOTPDevice.objects.filter(user=officer).count() == 1

    response = client.post(reverse("otp_enrol"), {"code": _code(device), "next": "/cases/"})

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    assert sorted(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True)) == sorted(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("home")).status_code == 200
    assert _kinds(user=officer) == [AuthEventKind.LOGIN, AuthEventKind.OTP_ENROLLED]
    # Once set up, the enrolment page shows no key and no codes again.
    assert client.get(reverse("otp_enrol"))["Location"] == reverse("home")


def test_it_refuses_a_wrong_first_code_and_stays_unverified(required, officer):
    client = _sign_in("omar.officer")
    client.get(reverse("otp_enrol"))
    device = TOTPDevice.objects.get(user=officer)
    wrong = "000000" if _code(device) != "000000" else "111111"

    response = client.post(reverse("otp_enrol"), {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    device.refresh_from_db()
    assert not device.confirmed and not StaticDevice.objects.filter(user=officer).exists()
    assert client.get(reverse("home")).status_code == 302
    assert AuthEventKind.OTP_FAILED in _kinds(user=officer)


# --- Verification at each sign-in --------------------------------------------------------------


def test_it_verifies_a_code_and_goes_on_to_the_page_asked_for(required, analyst):
    device = _enrolled(analyst)
    client = _sign_in("amina.analyst")
    location = client.get("/reports/?x=1")["Location"]
    assert location == reverse("otp_verify") + "?next=%2Freports%2F%3Fx%3D1"
    assert client.get(location).status_code == 200

    response = client.post(reverse("otp_verify"), {"code": _code(device), "next": "/reports/?x=1"})

    assert response.status_code == 302 and response["Location"] == "/reports/?x=1"
    assert _kinds(user=analyst) == [AuthEventKind.LOGIN, AuthEventKind.OTP_VERIFIED]


def test_it_never_goes_on_to_another_site(required, analyst):
    device = _enrolled(analyst)
    client = _sign_in("amina.analyst")
    response = client.post(reverse("otp_verify"), {"code": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_it_refuses_a_wrong_code_logs_it_and_throttles_the_next_one(required, settings, officer):
    assert settings.OTP_TOTP_THROTTLE_FACTOR > 0 and settings.OTP_STATIC_THROTTLE_FACTOR > 0
    device = _enrolled(officer)
    assert device.throttling_enabled
    client = _sign_in("omar.officer")
    right = _code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    response = client.post(reverse("otp_verify"), {"code": wrong})

    assert response.status_code == 200
    assert "not right" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Within the back-off, even the right code is refused (django-otp's throttle, per device).
    response = client.post(reverse("otp_verify"), {"code": _code(device)})
    assert "Too many wrong codes" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302
    assert _kinds(user=officer) == [AuthEventKind.LOGIN, AuthEventKind.OTP_FAILED, AuthEventKind.OTP_FAILED]
    # No code is ever kept in the log.
    assert not AuthEvent.objects.filter(username__in=[right, wrong]).exists()


def test_it_accepts_a_recovery_code_once(required, admin_user):
    _enrolled(admin_user)
    client = _sign_in("alice.admin")
    response = client.post(reverse("otp_verify"), {"code": " ABCD-2345 "})  # as people type it
    assert response.status_code == 302
    assert client.get(reverse("users:list")).status_code == 200
    assert not StaticToken.objects.filter(device__user=admin_user).exists()
    client.post(reverse("logout"))

    again = _sign_in("alice.admin")
    response = again.post(reverse("otp_verify"), {"code": RECOVERY})

    assert response.status_code == 200 and response.context["form"].errors["code"]
    assert again.get(reverse("users:list")).status_code == 302
    assert _kinds(user=admin_user).count(AuthEventKind.RECOVERY_CODE_USED) == 1
    assert _kinds(user=admin_user)[-1] == AuthEventKind.OTP_FAILED


@pytest.mark.parametrize(
    "url",
    ["/", "/cases/", "/projects/", "/reports/", "/users/", "/admin/", "/accounts/password/", "/no-such-page/"],
)
def test_it_holds_every_page_until_verified(required, admin_user, url):
    _enrolled(admin_user)
    client = _sign_in("alice.admin")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify") + "?next=")
    # A form sent meanwhile is not taken either.
    assert client.post(url, {"anything": "1"})["Location"] == reverse("otp_verify")


def test_it_lets_an_unverified_user_sign_out_and_switch_language(required, officer):
    _enrolled(officer)
    client = _sign_in("omar.officer")
    assert client.post(reverse("set_language"), {"language": "fr", "next": "/"})["Location"] == "/"
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


# --- An administrator's reset -------------------------------------------------------------


def test_it_lets_an_administrator_reset_a_second_factor_after_confirming(client_for, admin_user, officer, settings):
    _enrolled(officer)
    client = client_for(admin_user)
    url = reverse("users:second_factor_reset", args=[officer.pk])
    assert (
        reverse("users:second_factor_reset", args=[officer.pk])
        in client.get(reverse("users:edit", args=[officer.pk])).content.decode()
    )
    page = client.get(url)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert TOTPDevice.objects.filter(user=officer).exists()  # nothing happens on the confirmation page

    response = client.post(url)

    assert response["Location"] == reverse("users:edit", args=[officer.pk])
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    event = AuthEvent.objects.get(kind=AuthEventKind.OTP_RESET)
    assert (event.user, event.by) == (officer, admin_user)
    # At the next sign-in, the officer sets up a new app.
    settings.REQUIRE_SECOND_FACTOR = True
    officer_client = _sign_in("omar.officer")
    assert officer_client.get(reverse("otp_verify"))["Location"] == reverse("otp_enrol")


@pytest.mark.parametrize("role", ["officer", "analyst", "coordinator_a"])
def test_it_refuses_a_reset_to_anyone_but_an_administrator(client_for, cast, role):
    _enrolled(cast["officer"])
    response = client_for(cast[role]).post(reverse("users:second_factor_reset", args=[cast["officer"].pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=cast["officer"]).exists()
    assert not AuthEvent.objects.filter(kind=AuthEventKind.OTP_RESET).exists()


# --- The audit log of sign-ins ----------------------------------------------------------------


def test_it_records_a_sign_in_and_a_sign_out_with_the_client_address(settings, coordinator_a):
    settings.TRUSTED_PROXY_COUNT = 1
    client = _sign_in("coord.a", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="196.200.1.7")
    client.post(reverse("logout"))
    events = AuthEvent.objects.order_by("pk")
    assert [(e.kind, e.user, e.username, e.ip_address) for e in events] == [
        (AuthEventKind.LOGIN, coordinator_a, "coord.a", "196.200.1.7"),
        (AuthEventKind.LOGOUT, coordinator_a, "coord.a", "196.200.1.7"),
    ]


def test_it_records_a_failure_with_the_name_as_typed_and_never_the_password(coordinator_a):
    Client().post(reverse("login"), {"username": "coord.a", "password": "a-wrong-secret"})
    Client().post(reverse("login"), {"username": "nobody" + "x" * 140, "password": "another-secret"})
    events = list(AuthEvent.objects.order_by("pk"))
    assert [(e.kind, e.user, e.username) for e in events] == [
        (AuthEventKind.LOGIN_FAILED, None, "coord.a"),
        (AuthEventKind.LOGIN_FAILED, None, ("nobody" + "x" * 140)[:150]),
    ]
    assert events[0].ip_address == "127.0.0.1"
    stored = " ".join(str(v) for v in AuthEvent.objects.values_list("username", "kind", "ip_address"))
    assert "secret" not in stored


def test_it_records_a_lockout(coordinator_a):
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "coord.a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "coord.a", "password": PASSWORD})
    assert response.status_code == 429
    kinds = _kinds(username="coord.a")
    assert kinds.count(AuthEventKind.LOGIN_FAILED) >= 5
    assert AuthEventKind.LOCKED_OUT in kinds
    assert AuthEventKind.LOGIN not in kinds


def test_the_audit_log_is_read_only_in_the_admin(client_for, admin_user, coordinator_a):
    _sign_in("coord.a")
    model_admin = admin.site._registry[AuthEvent]
    request = type("Request", (), {"user": admin_user})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, AuthEvent.objects.first())
    assert not model_admin.has_delete_permission(request, AuthEvent.objects.first())
    client = client_for(admin_user)
    assert client.get(reverse("admin:reintegration_authevent_changelist")).status_code == 200
    event = AuthEvent.objects.first()
    page = client.get(reverse("admin:reintegration_authevent_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


# --- The demo's notice -------------------------------------------------------------------


def test_the_login_page_says_when_the_second_factor_is_not_required():
    html = Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("login")).content.decode()
    assert DEMO_NOTICE_FR in html or "Demo: the second factor is not required here" in html
    assert 'data-testid="second-factor-demo-notice"' in html


def test_the_login_page_says_nothing_of_a_demo_when_it_is_required(required):
    html = Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("login")).content.decode()
    assert 'data-testid="second-factor-demo-notice"' not in html
