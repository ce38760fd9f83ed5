"""What reintegration.pdf does once per process, for speed, must be the same for every paper: the
cached style sheets say nothing of one receipt, the lean user-agent sheet still marks list items,
the garbage collector runs again after a paper; the QR code's image is segno's, pixel for pixel."""

import base64
import gc
import io
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
import segno
from django.template.loader import render_to_string
from django.urls import reverse
from PIL import Image

from distributions.receipts import STYLESHEETS, receipt_contexts
from distributions.services import handover_plan, handover_record, receipts_print
from distributions.templatetags.receipts import PIXELS, QUIET_ZONE, qr_img
from reintegration import pdf
from tests.distributions.conftest import funded_project, pdf_text

pytestmark = pytest.mark.django_db


def test_the_receipts_style_sheets_read_the_same_whatever_receipt_is_printed(delivered):
    """Parsed once and kept: given a receipt's whole context, each sheet renders as it does with
    none, so nothing of one receipt can be kept in it for the next."""
    contexts = receipt_contexts(receipts_print(pks=[delivered.pk]), base_url="http://testserver/")
    r = contexts[0]
    context = {"receipts": contexts, "paged": True, "r": r, "h": r["handover"], "case": r["case"], "e": r["event"]}
    for name in STYLESHEETS:
        assert render_to_string(name, context) == render_to_string(name)
        assert pdf.stylesheet(name) is pdf.stylesheet(name)


def test_two_receipts_printed_one_after_the_other_each_state_only_their_own(
    client_for, coordinator_a, officer, envelope, event, centre_a, delivered, tmp_path
):
    project = funded_project(
        centre_a, coordinator_a, officer, envelope, first_name_latin="Karim", last_name_latin="Bennani"
    )
    second = handover_record(
        handover=handover_plan(project=project, event=event, by=coordinator_a),
        items=[],
        cash_aid=Decimal("3000"),
        delivered_on=event.date,
        by=coordinator_a,
    )
    client = client_for(coordinator_a)
    texts, codes = [], []
    for handover in (delivered, second):
        content = client.post(reverse("distributions:receipt", args=[handover.pk])).content
        texts.append(pdf_text(content, tmp_path))
        codes.append(_qr_code_of(content, tmp_path))
    delivered.refresh_from_db()
    second.refresh_from_db()
    assert "Yasmina" in texts[0] and "Karim" not in texts[0] and delivered.receipt_number in texts[0]
    assert "Karim" in texts[1] and "Yasmina" not in texts[1] and second.receipt_number in texts[1]
    assert delivered.receipt_number not in texts[1]
    assert codes[0] != codes[1] and all("/verify/" in code for code in codes)


def _qr_code_of(content: bytes, tmp_path) -> str:
    if not shutil.which("zbarimg"):
        pytest.fail("zbarimg is needed: install Debian's zbar-tools")
    (tmp_path / "r.pdf").write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "r.pdf"), str(tmp_path / "page")], check=True
    )
    return subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "page.png")], capture_output=True, text=True
    ).stdout.strip()


def test_the_qr_code_image_is_segnos_pixel_for_pixel():
    url = "https://reintegration.example/verify/abc123:signature/"
    drawn = base64.b64decode(re.search(r"base64,([^\"]+)\"", qr_img(url))[1])
    reference = io.BytesIO()
    segno.make(url, error="m").save(reference, kind="png", scale=PIXELS, border=QUIET_ZONE)
    image = Image.open(io.BytesIO(drawn))
    assert image.mode == "L"  # grey: WeasyPrint writes it as it is, not turned into colour
    assert image.tobytes() == Image.open(reference).convert("L").tobytes()


def test_list_items_keep_their_markers_under_the_lean_user_agent_style_sheet(tmp_path):
    text = pdf_text(pdf.render_pdf("<ol><li>un</li><li>deux</li></ol><ul><li>trois</li></ul>"), tmp_path)
    assert "1. un" in text and "2. deux" in text and "• trois" in text


def test_the_garbage_collector_runs_again_after_a_paper_even_one_that_failed(monkeypatch):
    pdf.render_pdf("<p>.</p>")
    assert gc.isenabled()

    def broken(html):
        raise ValueError("no layout")

    monkeypatch.setattr(pdf, "_html", broken)
    with pytest.raises(ValueError):
        pdf.render_pdf("<p>.</p>")
    assert gc.isenabled()
