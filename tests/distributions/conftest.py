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
        venue_fr="Siège de la préfecture de Meknès",
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


# --- The receipt's worst case ---------------------------------------------------------
# What takes the most room on a receipt, in both scripts: long names, a venue on two lines,
# the longest official title, fifteen items each with brand and serial number, cash aid, and
# a total with centimes whose words run long in both languages.

WORST_LINES = [
    "Pulvérisateur de peinture airless",
    "Four à pain à gaz, 2 chambres",
    "Fauteuil de barbier hydraulique",
    "Friteuse professionnelle double",
    "Raboteuse-dégauchisseuse",
    "Poste de soudure électronique",
    "Aspirateur eau et poussière",
    "Machine à coudre industrielle",
    "Four électrique professionnel",
    "Scie circulaire sur table",
    "Marteaux de taille (menqach)",
    "Bacs et fûts alimentaires",
    "Cric rouleur et outillage",
    "Réfrigérateur vitrine",
    "Pièces détachées de démarrage",
]
WORST_TOTAL = Decimal("1777777.77")
WORST_CASH_AID = Decimal("10000.00")


def worst_case_handover(centre, coordinator, officer, *, sex="M", partial=False):
    from distributions.models import Operation
    from tests.factories import PartnerFactory, ProgramFactory

    partner = PartnerFactory(
        name_fr="Comité provincial de l'Initiative nationale pour le développement humain de Ben M'Sick",
        name_ar="اللجنة الإقليمية للمبادرة الوطنية للتنمية البشرية لعمالة مقاطعات ابن مسيك",
    )
    program = ProgramFactory(
        name_fr="Programme de réinsertion socio-économique Moussalaha",
        name_ar="برنامج الإدماج السوسيو-اقتصادي مصالحة",
    )
    envelope = EnvelopeFactory(
        name="Convention régionale de réinsertion par l'activité génératrice de revenus",
        program=program,
        amount=Decimal("5000000.00"),
        agreement_partner=partner,
        agreement_signed_on=datetime.date(2026, 1, 12),
    )
    case = BeneficiaryFactory(
        centre=centre,
        sex=sex,
        first_name_latin="Mohammed-Amine Abdelkarim" if sex == "M" else "Fatima-Zahra Oumaima",
        last_name_latin="El Ouazzani Touhami Benjelloun",
        first_name_ar="محمد أمين عبد الكريم" if sex == "M" else "فاطمة الزهراء أميمة",
        last_name_ar="الوزاني التهامي بنجلون",
        cin="XT987654",
    )
    equipment = WORST_TOTAL - WORST_CASH_AID
    price = (equipment / len(WORST_LINES)).quantize(Decimal("0.01"))
    prices = [price] * (len(WORST_LINES) - 1) + [equipment - price * (len(WORST_LINES) - 1)]
    lines = [(item, "1", str(p)) for item, p in zip(WORST_LINES, prices, strict=True)]
    project = make_project(case, coordinator, lines=lines, cash=str(WORST_CASH_AID), status="approved", officer=officer)
    commitment_create(project=project, envelope=envelope, by=officer)
    event = Event.objects.create(
        operation=Operation.objects.create(
            name_fr="Opération nationale de remise des équipements aux bénéficiaires du programme Moussalaha",
            name_ar="العملية الوطنية لتسليم التجهيزات لفائدة المستفيدين من برنامج مصالحة",
            year=2026,
        ),
        date=datetime.date(2026, 5, 24),
        province=province("03.061"),
        venue_fr="Salle des conférences du siège de la préfecture de Meknès, avenue des Forces Armées Royales, "
        "quartier administratif, Hamria",
        venue_ar="قاعة الندوات بمقر عمالة مكناس، شارع القوات المسلحة الملكية، الحي الإداري، حمرية",
        town_fr="Meknès",
        town_ar="مكناس",
        presiding_name_fr="Abdelghani Sebbar El Idrissi",
        presiding_name_ar="عبد الغني الصبار الإدريسي",
        presiding_title_fr="Secrétaire général de la préfecture de Meknès, représentant le Gouverneur "
        "de la préfecture de Meknès",
        presiding_title_ar="الكاتب العام لعمالة مكناس، ممثلا لعامل عمالة مكناس",
        created_by=coordinator,
    )
    project.refresh_from_db()
    handover = handover_plan(project=project, event=event, by=coordinator)
    items = [
        {
            "id": item.pk,
            "quantity": Decimal("0") if partial and n % 3 == 0 else item.quantity,
            "brand": "Bosch Professional",
            "serial_number": f"SN-2026-0{n:02d}-4471-AB",
        }
        for n, item in enumerate(handover.items.all())
    ]
    return handover_record(
        handover=handover, items=items, cash_aid=WORST_CASH_AID, delivered_on=event.date, by=coordinator
    )
