"""Finding 6 of issue 10 (and the ``no-store`` part of point 5): centres share computers, so no
answer holding case data may be kept by the browser. Every answer to a signed-in user says
``Cache-Control: private, no-store`` unless it sets its own; static files and the public receipt
check are left as they are.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from beneficiaries.services import document_attach
from distributions.models import Event
from distributions.receipts import verification_token
from distributions.services import handover_plan
from tests.distributions.conftest import funded_project
from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project, province

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def case_data(centre_a, coordinator_a, officer, private_media):
    case = BeneficiaryFactory(centre=centre_a)
    project = funded_project(centre_a, coordinator_a, officer, EnvelopeFactory())
    event = Event.objects.create(
        date=datetime.date(2026, 5, 24),
        province=province("03.061"),
        venue_fr="Préfecture",
        presiding_title_ar="عامل",
        presiding_title_fr="Gouverneur",
        created_by=coordinator_a,
    )
    handover = handover_plan(project=project, event=event, by=coordinator_a)
    document = document_attach(
        case=case, kind="other", upload=SimpleUploadedFile("scan.pdf", PDF, "application/pdf"), by=coordinator_a
    )
    return {"case": case, "project": make_project(case, coordinator_a), "handover": handover, "document": document}


@pytest.fixture
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def pages(data) -> list[tuple[str, list]]:
    case, project = data["case"], data["project"]
    return [
        ("home", []),
        ("beneficiaries:list", []),
        ("beneficiaries:detail", [case.pk]),
        ("beneficiaries:edit", [case.pk]),
        ("beneficiaries:audit", [case.pk]),
        ("beneficiaries:export", []),
        ("beneficiaries:transfers", []),
        ("projects:list", []),
        ("projects:detail", [project.pk]),
        ("projects:edit", [project.pk]),
        ("distributions:events", []),
        ("distributions:event", [data["handover"].event_id]),
        ("distributions:handover", [data["handover"].pk]),
        ("dashboard:index", []),
    ]


def test_every_page_with_case_data_says_no_store(client_for, coordinator_a, case_data):
    client = client_for(coordinator_a)
    for name, args in pages(case_data):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert {"private", "no-store"} <= directives(response), name


def test_hq_pages_say_no_store_too(client_for, officer, admin_user, analyst, case_data):
    for user, name in ((officer, "beneficiaries:list"), (admin_user, "home"), (analyst, "dashboard:index")):
        assert {"private", "no-store"} <= directives(client_for(user).get(reverse(name))), name
    admin_page = client_for(admin_user).get(reverse("admin:beneficiaries_beneficiary_changelist"))
    assert "no-store" in directives(admin_page)


def test_an_answer_that_sets_its_own_cache_control_keeps_it(client_for, coordinator_a, case_data):
    document = case_data["document"]
    url = reverse("beneficiaries:document_download", args=[document.beneficiary_id, document.pk])
    assert directives(client_for(coordinator_a).get(url)) == {"private", "no-store"}


def test_the_public_receipt_check_keeps_its_own_header(client_for, coordinator_a, case_data):
    handover = case_data["handover"]
    handover.public_ref = "abcdefghjkmnpqrs"  # as a printed receipt has; the page answers "not valid"
    url = reverse("verify", args=[verification_token(handover)])
    for client in (Client(), client_for(coordinator_a)):
        assert "max-age=0" in directives(client.get(url))  # never_cache's, not replaced


def test_anonymous_pages_are_left_alone():
    assert directives(Client().get(reverse("password_reset"))) == set()


def test_static_files_are_left_alone_in_production(settings, client_for, coordinator_a, tmp_path):
    # Production serves static files with WhiteNoise, before any of this runs.
    settings.STATIC_ROOT = tmp_path
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],
        "whitenoise.middleware.WhiteNoiseMiddleware",
        *settings.MIDDLEWARE[1:],
    ]
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_MAX_AGE = None  # no header of its own: any Cache-Control would be ours
    response = client_for(coordinator_a).get("/static/js/app.js")
    assert response.status_code == 200
    assert "no-store" not in directives(response)
