"""The receipt in its worst case: one A4 sheet, both languages whole, a faithful text layer.

The receipt is set in two columns, French on the left and Arabic on the right, so each side
is read on its own (``pdf_sides``): a reader copies one language, and pdftotext's bidi, which
guesses one direction for a whole page, reads each side in its own direction.
"""

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import translation

from distributions.models import Event, Handover
from distributions.receipts import WORDING
from distributions.services import handover_plan, handover_record
from projects.item_names import arabic_item_name
from reintegration.models import User
from reintegration.words import amount_in_words_ar, amount_in_words_fr
from tests.distributions.conftest import (
    WORST_LINES,
    WORST_TOTAL,
    funded_project,
    pdf_pages,
    pdf_text,
    worst_case_handover,
)
from tests.factories import make_project

pytestmark = pytest.mark.django_db

A4_WIDTH, A4_HEIGHT = 595, 842  # points


def squash(text: str) -> str:
    """Text without whitespace or hyphens: line breaks, the extractor's spacing round
    punctuation and its joining of a word broken at a hyphen ("soixante-dix-" / "sept")
    differ from the source; the other characters and their order do not."""
    return re.sub(r"[\s\-]+", "", text.replace("\u202f", " ").replace("\xa0", " "))


def _extract(pdf_path, *options) -> str:
    text = subprocess.run(
        ["pdftotext", "-r", "72", *options, str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for mark in ("\u202a", "\u202b", "\u202c", "\u200e", "\u200f"):
        text = text.replace(mark, "")
    return text


def pdf_sides(content: bytes, tmp_path, page: int = 1) -> tuple[str, str]:
    """One page's left (French) and right (Arabic) halves, each as pdftotext reads it, squashed."""
    path = tmp_path / "sides.pdf"
    path.write_bytes(content)
    half = A4_WIDTH // 2
    pages = ["-f", str(page), "-l", str(page)]
    left = _extract(path, *pages, "-x", "0", "-y", "0", "-W", str(half), "-H", str(A4_HEIGHT))
    right = _extract(path, *pages, "-x", str(half), "-y", "0", "-W", str(half), "-H", str(A4_HEIGHT))
    return squash(left), squash(right)


def pdf_page_text(content: bytes, tmp_path, page: int) -> str:
    path = tmp_path / "page.pdf"
    path.write_bytes(content)
    return squash(_extract(path, "-f", str(page), "-l", str(page)))


def _print(client, handover) -> bytes:
    response = client.post(reverse("distributions:receipt", args=[handover.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def _deliver(handover, by):
    """Record the handover as planned: every item, no cash aid."""
    items = [{"id": item.pk, "quantity": item.quantity} for item in handover.items.all()]
    return handover_record(
        handover=handover, items=items, cash_aid=Decimal("0"), delivered_on=handover.event.date, by=by
    )


def _assert_all_in(expected: list[str], text: str) -> None:
    missing = [phrase for phrase in expected if squash(phrase) not in text]
    assert not missing, missing


def test_the_worst_case_receipt_is_one_page_with_everything_in_both_languages(
    client_for, centre_a, coordinator_a, officer, tmp_path
):
    handover = worst_case_handover(centre_a, coordinator_a, officer)
    pdf = _print(client_for(coordinator_a), handover)
    assert pdf_pages(pdf, tmp_path) == 1
    french, arabic = pdf_sides(pdf, tmp_path)
    event = handover.event
    _assert_all_in(
        [
            "Procès-verbal de remise d'équipement",
            "Le bénéficiaire : Mohammed-Amine Abdelkarim EL OUAZZANI TOUHAMI BENJELLOUN, CIN XT987654",
            *WORST_LINES,
            "S/N SN-2026-014-4471-AB",
            event.venue_fr,
            event.presiding_name_fr,
            event.presiding_title_fr,
            event.operation.name_fr,
            f"n° {handover.project.number}",
            "Programme de réinsertion socio-économique Moussalaha",
            "Fait à Meknès, le 24/05/2026.",
            "Établi en trois exemplaires",
            "Je soussigné, Mohammed-Amine Abdelkarim EL OUAZZANI TOUHAMI BENJELLOUN, reconnais avoir reçu",
            amount_in_words_fr(WORST_TOTAL),
            "« Lu et approuvé » et signature",
            "Empreinte",
        ],
        french,
    )
    _assert_all_in(
        [
            "محضر تسليم التجهيزات",
            "المستفيد:محمد أمين عبد الكريم الوزاني التهامي بنجلون",
            *[arabic_item_name(item) for item in WORST_LINES],
            event.venue_ar,
            event.presiding_name_ar,
            event.presiding_title_ar,
            event.operation.name_ar,
            f"رقم {handover.project.number}",
            "برنامج الإدماج السوسيو-اقتصادي مصالحة",
            "حرر بمكناس في 24/05/2026",
            "في ثلاث نسخ",
            "أنا الموقع أسفله",
            amount_in_words_ar(WORST_TOTAL),
            "عن السلطة: الخاتم والإمضاء",
        ],
        arabic,
    )
    whole = pdf_text(pdf, tmp_path)
    assert "قرئ وصودق عليه" in whole and "البصمة" in whole
    assert "1 777 777,77" in whole.replace("\u202f", " ")
    assert ")e(" not in whole and "(e)" not in whole  # the wording agrees instead


def test_a_womans_receipt_agrees_with_her_in_both_languages(client_for, centre_a, coordinator_a, officer, tmp_path):
    handover = worst_case_handover(centre_a, coordinator_a, officer, sex="F")
    pdf = _print(client_for(coordinator_a), handover)
    assert pdf_pages(pdf, tmp_path) == 1
    french, arabic = pdf_sides(pdf, tmp_path)
    woman = WORDING["F"]
    _assert_all_in([woman.beneficiary_fr + " : Fatima-Zahra", woman.undersigned_fr + ", Fatima-Zahra"], french)
    _assert_all_in([woman.beneficiary_ar + ":فاطمة الزهراء", woman.undersigned_ar, "نسخة للمستفيدة"], arabic)
    assert "Lebénéficiaire" not in french and "Jesoussigné," not in french
    assert "أناالموقعأسفله" not in arabic


def test_a_partial_handover_prints_planned_delivered_and_still_due(
    client_for, centre_a, coordinator_a, officer, tmp_path
):
    handover = worst_case_handover(centre_a, coordinator_a, officer, partial=True)
    assert handover.is_partial
    pdf = _print(client_for(coordinator_a), handover)
    assert pdf_pages(pdf, tmp_path) == 1
    french, arabic = pdf_sides(pdf, tmp_path)
    _assert_all_in(["Prévu", "Remis", "Reste dû", "Remise partielle", "procès-verbal complémentaire"], french)
    _assert_all_in(["تسليم جزئي", "محضر تكميلي"], arabic)
    whole = pdf_text(pdf, tmp_path)
    assert "المتبقي" in whole and "المبرمج" in whole
    # One line in three was not delivered: it reads planned 1, delivered 0, still due 1.
    (tmp_path / "layout.pdf").write_bytes(pdf)
    rows = {
        item: next(line for line in _extract(tmp_path / "layout.pdf", "-layout").splitlines() if item in line)
        for item in WORST_LINES
    }
    for n, item in enumerate(WORST_LINES):
        expected = r"\b1\s+0\s+1\b" if n % 3 == 0 else r"\b1\s+1\s+0\b"
        assert re.search(expected, rows[item]), rows[item]


def test_a_receipt_too_long_for_one_sheet_numbers_its_pages_and_keeps_the_qr_code_with_its_caption(
    client_for, centre_a, coordinator_a, officer, envelope, event, tmp_path
):
    from projects.services import commitment_create
    from tests.factories import BeneficiaryFactory

    case = BeneficiaryFactory(centre=centre_a)
    lines = [(f"Article de quincaillerie numéro {n}", "1", "100.00") for n in range(45)]
    project = make_project(case, coordinator_a, lines=lines, status="approved", officer=officer)
    commitment_create(project=project, envelope=envelope, by=officer)
    project.refresh_from_db()
    handover = _deliver(handover_plan(project=project, event=event, by=coordinator_a), coordinator_a)
    pdf = _print(client_for(coordinator_a), handover)
    handover.refresh_from_db()
    pages = pdf_pages(pdf, tmp_path)
    assert pages >= 2
    texts = [pdf_page_text(pdf, tmp_path, page) for page in range(1, pages + 1)]
    for page, text in enumerate(texts, start=1):
        assert squash(f"N° {handover.receipt_number}") in text
        assert squash(f"page {page}/{pages}") in text
    # The closing block (the words, the signatures, the QR code and its caption) is one piece.
    last = texts[-1]
    assert squash("Authenticité") in last and squash("Pour l'autorité") in last and squash("Arrêté") in last
    assert all(squash("Authenticité") not in text for text in texts[:-1])
    if not shutil.which("zbarimg"):
        pytest.fail("zbarimg is needed: install Debian's zbar-tools")
    (tmp_path / "long.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            str(pages),
            "-l",
            str(pages),
            "-singlefile",
            str(tmp_path / "long.pdf"),
            str(tmp_path / "last"),
        ],
        check=True,
    )
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(tmp_path / "last.png")], capture_output=True, text=True)
    assert "/verify/" in decoded.stdout


def test_every_receipt_of_an_event_takes_its_own_sheet(
    client_for, centre_a, coordinator_a, officer, envelope, event, tmp_path
):
    """Three receipts, the middle one too long for a sheet: four sheets, each of one receipt,
    the long one's two numbered "page 1/2" and "page 2/2" (laid out alone, spliced in place)."""
    from projects.services import commitment_create
    from tests.factories import BeneficiaryFactory

    for n in range(3):
        if n == 1:
            lines = [(f"Article de quincaillerie numéro {i}", "1", "100.00") for i in range(45)]
            project = make_project(
                BeneficiaryFactory(centre=centre_a), coordinator_a, lines=lines, status="approved", officer=officer
            )
            commitment_create(project=project, envelope=envelope, by=officer)
            project.refresh_from_db()
        else:
            project = funded_project(centre_a, coordinator_a, officer, envelope)
        _deliver(handover_plan(project=project, event=event, by=coordinator_a), coordinator_a)
    response = client_for(coordinator_a).post(reverse("distributions:event_receipts", args=[event.pk]))
    assert pdf_pages(response.content, tmp_path) == 4
    first, long, last = Handover.objects.filter(event=event).order_by("pk").values_list("receipt_number", flat=True)
    sheets = [(first, ""), (long, "page1/2"), (long, "page2/2"), (last, "")]
    for page, (number, paging) in enumerate(sheets, start=1):
        text = pdf_page_text(response.content, tmp_path, page)
        assert squash(f"N° {number}") in text and paging in text
        assert all(squash(other) not in text for other in {first, long, last} - {number})
        assert bool(re.search(r"page\d/\d", text)) == bool(paging)
    assert squash("Authenticité") in pdf_page_text(response.content, tmp_path, 3)


def test_the_demos_largest_event_prints_one_receipt_per_sheet(client, tmp_path):
    call_command("seed_demo")
    event = Event.objects.annotate(people=Count("handovers")).order_by("-people").first()
    coordinator = User.objects.get(username="coord.casablanca")
    client.force_login(coordinator)
    people = event.handovers.filter(project__beneficiary__centre=coordinator.centre).count()
    response = client.post(reverse("distributions:event_receipts", args=[event.pk]))
    assert response.status_code == 200
    assert people >= 15 and pdf_pages(response.content, tmp_path) == people


def test_french_parentheses_read_the_right_way_round_after_arabic_ones(tmp_path):
    """The cause of ")e(" in the text layer: the mirrored parenthesis glyph of Arabic text,
    mapped in the PDF to one character for the whole font. Arabic text has a font of its own."""
    from django.template.loader import render_to_string

    from reintegration.pdf import render_pdf

    with translation.override("fr"):
        html = render_to_string("distributions/_pdf_style.html") + (
            '<p class="ar" dir="rtl">المستفيد(ة) (قطعة)</p>'
            '<p class="fr">Je soussigné(e), projet (P-000081) pour (23 250,00 DH).</p>'
        )
    text = pdf_text(render_pdf(html), tmp_path)
    assert "Je soussigné(e), projet (P-000081) pour (23 250,00 DH)." in text
    assert ")e(" not in text and ")P-000081(" not in text


def test_the_event_summary_reads_in_order_in_both_languages(client_for, centre_a, coordinator_a, officer, tmp_path):
    handover = worst_case_handover(centre_a, coordinator_a, officer)
    event = handover.event
    response = client_for(officer).get(reverse("distributions:event_summary", args=[event.pk]))
    sides = [
        pdf_sides(response.content, tmp_path, page) for page in range(1, pdf_pages(response.content, tmp_path) + 1)
    ]
    french, arabic = ("".join(side) for side in zip(*sides, strict=True))
    _assert_all_in(
        [
            "Bilan de l'opération de distribution",
            f"24/05/2026, {event.venue_fr}, Meknès, opération {event.operation.name_fr}",
            "Bénéficiaires par province",
            "Montant total : 1 777 777,77 DH, dont aide financière 10 000,00 DH, "
            f"soit {amount_in_words_fr(WORST_TOTAL).lower()}.",
            *WORST_LINES[:3],
        ],
        french,
    )
    _assert_all_in(
        [
            "حصيلة عملية التوزيع",
            f"{event.venue_ar}، مكناس، عملية {event.operation.name_ar}",
            "التجهيزات المسلمة",
            f"منها مساعدة مالية 10 000,00 درهم، أي {amount_in_words_ar(WORST_TOTAL)}",
            *[arabic_item_name(item) for item in WORST_LINES[:3]],
        ],
        arabic,
    )
    whole = pdf_text(response.content, tmp_path)
    assert "المستفيدون حسب الإقليم" in whole and "القطاعات" in whole  # headings of the left-hand column
    assert "Mohammed-Amine" not in whole and "محمد أمين" not in whole  # figures only
