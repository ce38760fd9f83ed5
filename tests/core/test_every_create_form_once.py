"""Every form that creates a record carries its one-time token and, sent twice, makes one."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from beneficiaries.models import Document, Transfer
from distributions.models import Event, Handover, Operation
from projects.models import Envelope, LifeProject, PlannedAction
from tests.factories import BeneficiaryFactory, EnvelopeFactory, PartnerFactory, ProgramFactory, make_project, province
from tests.html_forms import read_form

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }


def twice(user, page_url: str, *, action: str | None = None, form_id=None, files=None, **values):
    """Read the rendered form on ``page_url``, fill it, send it twice; both answers."""
    client = Client()
    client.force_login(user)
    page = client.get(page_url)
    data = read_form(page, form_id, action=action)
    assert data.get("submission"), "the form carries no one-time token"
    data.update(values)
    target = action or page_url
    answers = []
    for _ in range(2):
        payload = dict(data)
        if files:
            payload.update({name: SimpleUploadedFile(*spec) for name, spec in files.items()})
        answers.append(client.post(target, payload))
    assert [a.status_code for a in answers] == [302, 302], [getattr(a, "context", None) for a in answers]
    assert answers[0]["Location"] == answers[1]["Location"]
    return answers


def test_a_document(coordinator_a, centre_a):
    case = BeneficiaryFactory(centre=centre_a)
    twice(
        coordinator_a,
        reverse("beneficiaries:document_upload", args=[case.pk]),
        kind="id_copy",
        files={"file": ("cin.pdf", PDF, "application/pdf")},
    )
    assert Document.objects.filter(beneficiary=case).count() == 1


def test_a_transfer(coordinator_a, centre_a, centre_b):
    case = BeneficiaryFactory(centre=centre_a)
    twice(
        coordinator_a, reverse("beneficiaries:transfer_create", args=[case.pk]), to_centre=centre_b.pk, reason="Parti"
    )
    assert Transfer.objects.filter(beneficiary=case).count() == 1


def test_a_life_project_and_its_plan_lines(coordinator_a, centre_a):
    case = BeneficiaryFactory(centre=centre_a)
    start = reverse("projects:start", args=[case.pk])
    twice(coordinator_a, reverse("beneficiaries:detail", args=[case.pk]), action=start)
    project = LifeProject.objects.get(beneficiary=case)
    edit = reverse("projects:edit", args=[project.pk])
    twice(
        coordinator_a,
        edit,
        form_id="project-form",
        **{
            "description": "Boulangerie de quartier",
            "lines-TOTAL_FORMS": "1",
            "lines-0-item_fr": "Four",
            "lines-0-item_ar": "فرن",
            "lines-0-quantity": "1",
            "lines-0-unit": "piece",
            "lines-0-unit_price": "9000",
        },
    )
    assert project.lines.count() == 1


def test_a_planned_action(coordinator_a, centre_a):
    project = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a)
    url = reverse("projects:planned_add", args=[project.pk])
    twice(
        coordinator_a,
        reverse("projects:detail", args=[project.pk]),
        action=url,
        kind="social",
        description="Ouvrir un compte",
        due_on="2030-01-10",
    )
    assert PlannedAction.objects.filter(project=project).count() == 1


def test_an_envelope(officer):
    program, partner = ProgramFactory(), PartnerFactory()
    twice(
        officer,
        reverse("envelopes:create"),
        **{
            "name": "Convention Rehamna",
            "program": program.pk,
            "fiscal_year": "2026",
            "amount": "350000.00",
            "funders-TOTAL_FORMS": "1",
            "funders-0-partner": partner.pk,
            "funders-0-share": "350000.00",
            "is_active": "on",
        },
    )
    assert Envelope.objects.filter(name="Convention Rehamna").count() == 1


def test_an_event_an_operation_and_a_project_on_the_event(coordinator_a, officer, centre_a):
    twice(
        coordinator_a,
        reverse("distributions:event_create"),
        date="2026-06-10",
        province=province("03.061").pk,
        venue_fr="Salle de la préfecture",
        venue_ar="قاعة العمالة",
        presiding_title_ar="عامل",
        presiding_title_fr="Gouverneur",
    )
    event = Event.objects.get()
    twice(officer, reverse("distributions:operations"), name_fr="Opération 2026", name_ar="عملية 2026", year="2026")
    assert Operation.objects.filter(name_fr="Opération 2026").count() == 1
    project = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a, status="approved", officer=officer)
    from projects.services import commitment_create

    commitment_create(project=project, envelope=EnvelopeFactory(), by=officer)
    attach = reverse("distributions:event_attach", args=[event.pk])
    twice(coordinator_a, reverse("distributions:event", args=[event.pk]), action=attach, projects=[project.pk])
    assert Handover.objects.filter(project=project).count() == 1
    assert event.date == datetime.date(2026, 6, 10)
