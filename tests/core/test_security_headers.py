"""Point 5 of issue 10: the security headers, asserted on the answers themselves — a page, an htmx
fragment, a PDF and the public receipt check — and, for the production-only ones (HSTS, secure
cookies), on an answer of the production settings.
"""

import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from distributions.receipts import verification_token
from distributions.services import handover_record, receipt_print
from tests.core.test_security_no_store import case_data, private_media  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

HEADERS = {
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def policy_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {name: value for name, _, value in (part.strip().partition(" ") for part in header.split(";"))}


def assert_secure_headers(response) -> None:
    assert policy_of(response) == POLICY
    for name, value in HEADERS.items():
        assert response[name] == value, name


def answers(client, data) -> dict[str, object]:
    case, project = data["case"], data["project"]
    return {
        "case page": client.get(reverse("beneficiaries:detail", args=[case.pk])),
        "htmx map fragment": client.get(reverse("dashboard:map"), headers={"HX-Request": "true"}),
        "htmx plan preview": client.post(
            reverse("projects:plan_preview", args=[project.pk]), {}, headers={"HX-Request": "true"}
        ),
        "dashboard PDF": client.get(reverse("dashboard:report")),
    }


def test_it_sends_every_header_on_a_page_a_fragment_and_a_pdf(client_for, coordinator_a, case_data):  # noqa: F811
    for what, response in answers(client_for(coordinator_a), case_data).items():
        assert response.status_code == 200, what
        assert_secure_headers(response)
        # Kept from finding 6: nothing with case data stays in the browser.
        assert "no-store" in response["Cache-Control"], what
    assert answers(client_for(coordinator_a), case_data)["dashboard PDF"]["Content-Type"] == "application/pdf"


def test_it_sends_every_header_on_the_public_receipt_check(case_data, coordinator_a):  # noqa: F811
    planned = case_data["handover"]
    items = [
        {"id": item.pk, "quantity": item.quantity, "brand": "B", "serial_number": "S"} for item in planned.items.all()
    ]
    handover = handover_record(
        handover=planned, items=items, cash_aid=Decimal("0"), delivered_on=datetime.date(2026, 5, 24), by=coordinator_a
    )
    handover = receipt_print(handover=handover)
    response = Client().get(reverse("verify", args=[verification_token(handover)]))
    assert response.status_code == 200
    assert_secure_headers(response)


def test_it_sends_every_header_on_the_admin(client_for, admin_user):
    response = client_for(admin_user).get(reverse("admin:beneficiaries_beneficiary_changelist"))
    assert response.status_code == 200
    assert_secure_headers(response)


def test_pages_carry_no_inline_script_or_style(client_for, coordinator_a, case_data):  # noqa: F811
    """What the policy would block, caught without a browser (tests/browser/test_csp.py runs them)."""
    client = client_for(coordinator_a)
    case, project = case_data["case"], case_data["project"]
    urls = [
        reverse("home"),
        reverse("beneficiaries:list"),
        reverse("beneficiaries:detail", args=[case.pk]),
        reverse("beneficiaries:register"),
        reverse("projects:detail", args=[project.pk]),
        reverse("projects:edit", args=[project.pk]),
        reverse("distributions:events"),
        reverse("distributions:event", args=[case_data["handover"].event_id]),
        reverse("dashboard:index"),
        reverse("dashboard:map"),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert " style=" not in html and "<style" not in html, url
        assert " onclick=" not in html and " onchange=" not in html and " onsubmit=" not in html, url
        for chunk in html.split("<script")[1:]:
            opening = chunk.split(">", 1)[0]
            assert " src=" in opening or 'type="application/json"' in opening, (url, opening)


PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.test import Client, override_settings
# The headers are the point, not the static manifest (which only collectstatic writes).
simple = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=simple):
    response = Client().get("/accounts/login/", secure=True)
cookie = response.cookies.get(settings.CSRF_COOKIE_NAME)
print(json.dumps({
    "status": response.status_code,
    "hsts": response.get("Strict-Transport-Security"),
    "csp": response.get("Content-Security-Policy"),
    "csrf_cookie_secure": bool(cookie and cookie["secure"]),
    "plain_http": Client().get("/accounts/login/").status_code,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_setting_secure": settings.CSRF_COOKIE_SECURE,
    "language_cookie_secure": settings.LANGUAGE_COOKIE_SECURE,
}))
"""


def test_production_sends_hsts_and_secure_cookies():
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    secret = "k3y-" + "".join(chr(33 + (i * 7) % 90) for i in range(60))
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "reintegration.settings",
            "DEBUG": "0",
            "SECRET_KEY": secret,
            "ALLOWED_HOSTS": "testserver",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in seen["csp"]
    assert seen["csrf_cookie_secure"] is True
    assert seen["plain_http"] == 301  # to https
    assert seen["session_cookie_secure"] and seen["session_cookie_httponly"]
    assert seen["csrf_setting_secure"] and seen["language_cookie_secure"]
