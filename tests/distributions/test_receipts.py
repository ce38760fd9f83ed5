import datetime
import re
import shutil
import subprocess
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse

from beneficiaries.choices import ViewedPage
from beneficiaries.models import CaseView
from distributions.models import Handover, ReceiptSequence
from distributions.receipts import verification_token
from distributions.services import handover_plan, handover_record, receipt_print
from tests.distributions.conftest import funded_project, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def test_the_receipt_states_names_number_and_total_in_words(client_for, coordinator_a, delivered, tmp_path):
    response = client_for(coordinator_a).post(reverse("distributions:receipt", args=[delivered.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    delivered.refresh_from_db()
    assert delivered.receipt_number == "PV-2026-03.061-00001"
    text = pdf_text(response.content, tmp_path)
    assert "Yasmina EL IDRISSI" in text and "ياسمينة الإدريسي" in text
    assert "PV-2026-03.061-00001" in text and "XT246810" in text
    assert "Vingt-six mille deux cent un dirhams" in text
    assert "ستة وعشرون ألفاً ومئتان وواحد درهم" in text
    assert "26 201,00" in text.replace("\u202f", " ")
    assert "DUPLICATA" not in text
    assert pdf_pages(response.content, tmp_path) == 1


def test_a_reprint_keeps_its_number_and_says_duplicate(client_for, coordinator_a, delivered, tmp_path):
    client = client_for(coordinator_a)
    client.post(reverse("distributions:receipt", args=[delivered.pk]))
    text = pdf_text(client.post(reverse("distributions:receipt", args=[delivered.pk])).content, tmp_path)
    assert "DUPLICATA" in text and "نظير" in text  # the Moroccan administration's word for a duplicate
    assert "PV-2026-03.061-00001" in text
    delivered.refresh_from_db()
    assert delivered.print_count == 2


def test_numbers_follow_the_year_and_province_sequence(delivered, event, centre_a, coordinator_a, officer, envelope):
    second = funded_project(centre_a, coordinator_a, officer, envelope)
    handover = handover_plan(project=second, event=event, by=coordinator_a)
    handover_record(handover=handover, items=[], cash_aid=Decimal("3000"), delivered_on=event.date, by=coordinator_a)
    assert receipt_print(handover=handover).receipt_number == "PV-2026-03.061-00001"
    assert receipt_print(handover=delivered).receipt_number == "PV-2026-03.061-00002"
    assert receipt_print(handover=handover).receipt_number == "PV-2026-03.061-00001"


def test_a_planned_handover_has_no_receipt_yet(client_for, coordinator_a, planned):
    response = client_for(coordinator_a).post(reverse("distributions:receipt", args=[planned.pk]))
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.receipt_number is None


def test_the_qr_code_opens_the_verification_page_which_says_valid(client_for, coordinator_a, delivered, tmp_path):
    if not shutil.which("zbarimg") or not shutil.which("pdftoppm"):
        pytest.fail("zbarimg and pdftoppm are needed: install Debian's zbar-tools and poppler-utils")
    pdf = client_for(coordinator_a).post(reverse("distributions:receipt", args=[delivered.pk])).content
    (tmp_path / "r.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "r.pdf"), str(tmp_path / "page")], check=True
    )
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True
    ).stdout.strip()
    assert re.fullmatch(r"http://testserver/verify/[^/]+/", decoded), decoded
    page = client_for(None).get(decoded.removeprefix("http://testserver"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and "This receipt is valid." in html
    assert "What this proves" in html and "does not prove that the signatures are genuine" in html
    assert "PV-2026-03.061-00001" in html and "Y. E." in html
    assert "Idrissi" not in html and "XT246810" not in html and "ياسمينة" not in html


def test_a_tampered_token_is_not_valid(client, delivered):
    printed = receipt_print(handover=delivered)
    token = verification_token(printed)
    reference, signature = token.split(":", 1)
    other = "b" * len(reference)
    for forged in (f"{other}:{signature}", f"{printed.pk}:{signature}", token[:-2] + "xx", "1", "nonsense", ":x"):
        response = client.get(reverse("verify", args=[forged]), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        assert "This receipt is not valid." in response.content.decode()


def test_the_qr_token_names_a_random_reference_not_the_sequential_id(delivered, event, centre_a, coordinator_a):
    printed = receipt_print(handover=delivered)
    reference = verification_token(printed).split(":", 1)[0]
    assert reference == printed.public_ref and re.fullmatch(r"[a-z]{16}", reference)
    assert str(printed.pk) not in reference
    # Another receipt gets another reference; a reprint keeps its own.
    assert receipt_print(handover=printed).public_ref == reference


def test_a_receipt_printed_before_references_still_verifies_with_the_id_in_its_qr_code(client, delivered):
    from django.conf import settings
    from django.core import signing

    receipt_print(handover=delivered)
    old = signing.Signer(key=settings.RECEIPT_SIGNING_KEY, salt="reintegration.receipt-verification").sign(
        str(delivered.pk)
    )
    response = client.get(reverse("verify", args=[old]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "This receipt is valid." in response.content.decode()


def test_the_verification_page_says_when_the_signed_copy_is_filed(client, client_for, coordinator_a, delivered):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("verify", args=[verification_token(receipt_print(handover=delivered))])
    assert "not yet" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client_for(coordinator_a).post(
        reverse("distributions:handover_signed_upload", args=[delivered.pk]),
        {"file": SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n%%EOF\n")},
    )
    delivered.refresh_from_db()
    assert delivered.status == "signed"
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "yes" in html and "not yet" not in html


def test_the_event_prints_every_receipt_in_one_pdf(
    client_for, coordinator_a, officer, delivered, event, centre_a, envelope, tmp_path
):
    other = funded_project(centre_a, coordinator_a, officer, envelope, first_name_latin="Karim", last_name_latin="Tazi")
    handover = handover_plan(project=other, event=event, by=coordinator_a)
    handover_record(handover=handover, items=[], cash_aid=Decimal("3000"), delivered_on=event.date, by=coordinator_a)
    response = client_for(coordinator_a).post(reverse("distributions:event_receipts", args=[event.pk]))
    assert response.status_code == 200
    assert pdf_pages(response.content, tmp_path) == 2
    text = pdf_text(response.content, tmp_path)
    assert "Yasmina EL IDRISSI" in text and "Karim TAZI" in text
    numbers = set(Handover.objects.values_list("receipt_number", flat=True))
    assert numbers == {"PV-2026-03.061-00001", "PV-2026-03.061-00002"}
    # Both people's access logs say who printed their receipt.
    printed = CaseView.objects.filter(user=coordinator_a, page=ViewedPage.RECEIPT)
    people = {delivered.project.beneficiary_id, other.beneficiary_id}
    assert set(printed.values_list("beneficiary", flat=True)) == people


def test_the_event_summary_gives_the_press_release_figures(client_for, officer, delivered, event, tmp_path):
    response = client_for(officer).get(reverse("distributions:event_summary", args=[event.pk]))
    text = pdf_text(response.content, tmp_path).replace("\u202f", " ")
    assert "Bilan de l'opération de distribution" in text
    assert "Meknès" in text and "Boulangerie" in text and "26 201,00" in text
    assert "Yasmina" not in text  # figures only


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_first_prints_get_two_numbers(centre_a, coordinator_a, officer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs it): SQLite serialises writes, there is no race to lose")
    from tests.factories import EnvelopeFactory

    envelope = EnvelopeFactory(amount=Decimal("500000.00"))
    from distributions.models import Event
    from tests.factories import province

    event = Event.objects.create(
        date=datetime.date(2026, 5, 24),
        province=province("03.061"),
        venue_fr="x",
        presiding_title_ar="x",
        presiding_title_fr="x",
    )
    handovers = []
    for _ in range(2):
        project = funded_project(centre_a, coordinator_a, officer, envelope)
        handover = handover_plan(project=project, event=event, by=coordinator_a)
        handovers.append(
            handover_record(
                handover=handover, items=[], cash_aid=Decimal("3000"), delivered_on=event.date, by=coordinator_a
            )
        )
    start = threading.Barrier(2)
    numbers = []

    def print_first(handover):
        try:
            start.wait()
            numbers.append(receipt_print(handover=handover).receipt_number)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=print_first, args=(h,)) for h in handovers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(numbers) == ["PV-2026-03.061-00001", "PV-2026-03.061-00002"]


def test_the_event_print_costs_the_same_queries_for_1_and_4_receipts(
    client_for, coordinator_a, officer, delivered, event, centre_a, envelope
):
    from tests.queries import assert_constant_queries

    client = client_for(coordinator_a)

    def fetch():
        assert client.post(reverse("distributions:event_receipts", args=[event.pk])).status_code == 200

    # The year's sequence for the province exists (the very first print creates it, once).
    ReceiptSequence.objects.create(year=2026, province_code="03.061", last=0)

    def grow():
        for _ in range(3):
            project = funded_project(centre_a, coordinator_a, officer, envelope)
            handover = handover_plan(project=project, event=event, by=coordinator_a)
            handover_record(
                handover=handover, items=[], cash_aid=Decimal("3000"), delivered_on=event.date, by=coordinator_a
            )

    assert_constant_queries(fetch, grow, budget=16)


def test_parts_rendered_in_workers_join_into_one_document(settings, tmp_path):
    from reintegration.pdf import render_parts
    from tests.distributions.pdf_parts import letterheads

    settings.PDF_WORKERS = 2
    pdf = render_parts(letterheads, [f"Part {n}" for n in range(3)], smallest=2)
    assert pdf_pages(pdf, tmp_path) == 3
    assert pdf_text(pdf, tmp_path) == "Part 0 Part 1 Part 2"


def test_printing_needs_post_so_a_link_preview_cannot_number_a_receipt(client_for, coordinator_a, delivered, event):
    client = client_for(coordinator_a)
    assert client.get(reverse("distributions:receipt", args=[delivered.pk])).status_code == 405
    assert client.get(reverse("distributions:event_receipts", args=[event.pk])).status_code == 405
    delivered.refresh_from_db()
    assert delivered.receipt_number is None and delivered.print_count == 0


def test_printing_is_in_the_access_log(client_for, officer, delivered):
    client_for(officer).post(reverse("distributions:receipt", args=[delivered.pk]))
    assert CaseView.objects.filter(user=officer, page="receipt", beneficiary=delivered.project.beneficiary).exists()
