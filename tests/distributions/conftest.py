import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest

from distributions.models import Event
from distributions.services import handover_plan, handover_record
from projects.services import commitment_create
from tests.factories import BeneficiaryFactory, EnvelopeFactory, make_project, province


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture
def envelope(db):
    return EnvelopeFactory(amount=Decimal("500000.00"))


def funded_project(centre, coordinator, officer, envelope, **names):
    case = BeneficiaryFactory(centre=centre, **names)
    lines = (("Four à pain", "1", "14500.00"), ("Pétrin", "1", "6800.00"), ("Table inox", "2", "950.50"))
    project = make_project(case, coordinator, lines=lines, cash="3000.00", status="approved", officer=officer)
    commitment_create(project=project, envelope=envelope, by=officer)
    project.refresh_from_db()
    return project


@pytest.fixture
def project_a(centre_a, coordinator_a, officer, envelope):
    """Yasmina El Idrissi's bakery, 26 201,00 DH in all."""
    return funded_project(
        centre_a,
        coordinator_a,
        officer,
        envelope,
        first_name_ar="ياسمينة",
        last_name_ar="الإدريسي",
        first_name_latin="Yasmina",
        last_name_latin="El Idrissi",
        sex="F",
        cin="XT246810",
    )


@pytest.fixture
def event(db, coordinator_a):
    return Event.objects.create(
        date=datetime.date(2026, 5, 24),
        province=province("03.061"),
        venue="Siège de la préfecture de Meknès",
        presiding_title_ar="عامل عمالة مكناس",
        presiding_title_fr="Gouverneur de la préfecture de Meknès",
        created_by=coordinator_a,
    )


@pytest.fixture
def planned(project_a, event, coordinator_a):
    return handover_plan(project=project_a, event=event, by=coordinator_a)


@pytest.fixture
def delivered(planned, coordinator_a):
    items = [
        {"id": item.pk, "quantity": item.quantity, "brand": "Bongard", "serial_number": f"SN-{item.pk}"}
        for item in planned.items.all()
    ]
    return handover_record(
        handover=planned,
        items=items,
        cash_aid=Decimal("3000.00"),
        delivered_on=datetime.date(2026, 5, 24),
        by=coordinator_a,
    )


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's text as pdftotext reads it, whitespace collapsed, bidi marks dropped."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: install Debian's poppler-utils")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for mark in ("\u202a", "\u202b", "\u202c", "\u200e", "\u200f"):
        text = text.replace(mark, "")
    return " ".join(text.split())


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
