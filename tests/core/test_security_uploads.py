"""Uploads (issue 10, point 6): what each hostile file meets, posted through the real views.

A wrong type behind a right extension, a bomb or an SVG is refused; a right type under a wrong
extension is renamed to the type read; a hostile name is reduced to a harmless one; a PDF that
acts when opened is refused; an image is encoded again, losing its EXIF (GPS) and whatever
followed the picture; a download is the type its bytes show, never sniffed, never HTML.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from beneficiaries.models import Document
from beneficiaries.services import document_attach
from distributions.models import EventPhoto
from projects.models import Envelope
from reintegration.uploads import check_upload
from tests.distributions.conftest import delivered, envelope, event, planned, project_a  # noqa: F401 - fixtures used
from tests.factories import BeneficiaryFactory, EnvelopeFactory, ProgramFactory
from tests.html_forms import read_form
from tests.images import JPEG, PNG, image_bytes

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
ACTIVE_PDF = (
    "This PDF contains a script or an action that runs when it is opened; "
    "print it to a new PDF or scan the paper again, and upload that."
)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


@pytest.fixture(autouse=True)
def french(coordinator_a):
    coordinator_a.language = "fr"  # messages in the user's language, not in the msgid's
    coordinator_a.save(update_fields=["language"])


@pytest.fixture
def case(centre_a):
    return BeneficiaryFactory(centre=centre_a)


def attach(client, case, content, name):
    return client.post(
        reverse("beneficiaries:document_upload", args=[case.pk]),
        {"kind": "id_copy", "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def errors(response) -> list[str]:
    return response.context["form"].errors.get("file", [])


def pdf(build) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def set_open_action(writer, action):
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def js_action(script="app.alert(1)"):
    return DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(script)})


def names_tree(writer):
    scripts = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(js_action())])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): scripts})


def page_aa(writer):
    opened = DictionaryObject({NameObject("/O"): writer._add_object(js_action())})
    writer.pages[0][NameObject("/AA")] = opened


def launch(writer):
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})
    set_open_action(writer, action)


# --- A wrong type behind a right extension ----------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name"), [(HTML, "scan.pdf"), (EXE, "scan.pdf"), (HTML, "scan.jpg"), (SVG, "x.png")]
)
def test_it_refuses_a_body_that_is_not_what_its_name_says(client_for, coordinator_a, case, content, name):
    response = attach(client_for(coordinator_a), case, content, name)
    with translation.override("fr"):
        expected = gettext("Only these kinds of file are accepted: %(kinds)s.") % {"kinds": "JPG, PDF, PNG"}
    assert errors(response) == [expected]
    assert not Document.objects.exists()


@pytest.mark.parametrize(("content", "name"), [(SVG, "photo.png"), (SVG, "photo.svg"), (HTML, "photo.jpg")])
def test_it_refuses_an_svg_or_html_as_a_photo(client_for, coordinator_a, event, content, name):  # noqa: F811
    url = reverse("distributions:event_photo_upload", args=[event.pk])
    client_for(coordinator_a).post(url, {"image": SimpleUploadedFile(name, content)})
    assert not EventPhoto.objects.exists()


def test_it_refuses_a_jpeg_header_in_front_of_html(client_for, coordinator_a, case):
    response = attach(client_for(coordinator_a), case, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + HTML, "scan.jpg")
    with translation.override("fr"):
        assert errors(response) == [gettext("This image cannot be read; it may be damaged.")]
    assert not Document.objects.exists()


def test_it_refuses_a_wrong_signed_receipt(client_for, coordinator_a, delivered):  # noqa: F811
    url = reverse("distributions:handover_signed_upload", args=[delivered.pk])
    client_for(coordinator_a).post(url, {"file": SimpleUploadedFile("signed.pdf", HTML)})
    delivered.refresh_from_db()
    assert not delivered.signed_scan


# --- A right type under a wrong extension: renamed to the type read ---------------------------


@pytest.mark.parametrize(
    ("content", "name", "kept", "content_type"),
    [
        (PDF, "scan.png", "scan.pdf", "application/pdf"),
        (PNG, "page.html", "page.png", "image/png"),
        (JPEG, "page", "page.jpg", "image/jpeg"),
    ],
)
def test_it_renames_a_file_to_the_type_its_bytes_show(
    client_for, coordinator_a, case, content, name, kept, content_type
):
    assert attach(client_for(coordinator_a), case, content, name).status_code == 302
    document = Document.objects.get()
    assert (document.original_name, document.content_type) == (kept, content_type)
    assert document.file.name.endswith(kept[-4:])


# --- Oversized --------------------------------------------------------------------------------


def test_it_refuses_a_file_over_the_limit_in_the_users_language(client_for, coordinator_a, case, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = PDF + b"0" * 1024
    response = attach(client_for(coordinator_a), case, big, "scan.pdf")
    with translation.override("fr"):
        sizes = {"size": filesizeformat(len(big)), "limit": filesizeformat(1024)}
        expected = gettext("This file is %(size)s; the limit is %(limit)s.") % sizes
    assert errors(response) == [expected]
    assert not Document.objects.exists()


def test_it_refuses_an_image_of_too_many_pixels(client_for, coordinator_a, case):
    bomb = image_bytes("PNG", size=(9000, 9000))  # 81 million pixels in a few kilobytes
    response = attach(client_for(coordinator_a), case, bomb, "scan.png")
    with translation.override("fr"):
        expected = gettext("This image is %(width)s × %(height)s pixels; take it at a lower resolution.") % {
            "width": 9000,
            "height": 9000,
        }
    assert errors(response) == [expected]


def test_the_django_limits_are_sane(settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.UPLOAD_MAX_BYTES  # a big upload goes to a temporary file
    assert settings.UPLOAD_MAX_BYTES < settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 12 * 1024 * 1024  # nginx: 12m


# --- Names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("cin\x00.exe.pdf", "cin.exe.pdf"),
        ("facture\u202efdp.exe", "facturefdp.pdf"),
        ("...pdf", "document.pdf"),
        ("\u200f\u200e .pdf", "document.pdf"),
        ("بطاقة التعريف.pdf", "بطاقة التعريف.pdf"),
    ],
)
def test_it_keeps_a_harmless_name_for_display_and_a_random_one_on_disk(coordinator_a, case, private_media, name, kept):
    document = document_attach(case=case, kind="id_copy", upload=SimpleUploadedFile(name, PDF), by=coordinator_a)
    assert document.original_name == kept
    folder, stored = document.file.name.rsplit("/", 1)
    assert folder == f"cases/{case.pk}" and len(stored) == 36 and stored.endswith(".pdf")
    assert (private_media / document.file.name).read_bytes() == PDF


def test_it_shortens_a_very_long_name(client_for, coordinator_a, case):
    assert attach(client_for(coordinator_a), case, PDF, "é" * 240 + ".pdf").status_code == 302
    document = Document.objects.get()
    assert document.original_name == "é" * 100 + ".pdf" and len(document.file.name.rsplit("/", 1)[1]) == 36


def test_a_hostile_name_through_the_form_is_stored_under_a_random_name(client_for, coordinator_a, case):
    assert attach(client_for(coordinator_a), case, PDF, "../../etc/passwd\u202e.pdf").status_code == 302
    document = Document.objects.get()
    assert document.original_name == "passwd.pdf" and ".." not in document.file.name


# --- PDFs that act ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(names_tree, id="names-tree-javascript"),
        pytest.param(lambda w: set_open_action(w, js_action()), id="open-action-js"),
        pytest.param(page_aa, id="page-aa"),
        pytest.param(launch, id="launch"),
    ],
)
def test_it_refuses_a_pdf_that_acts_when_opened(client_for, coordinator_a, case, build):
    response = attach(client_for(coordinator_a), case, pdf(build), "scan.pdf")
    with translation.override("fr"):
        assert errors(response) == [gettext(ACTIVE_PDF)]
    assert not Document.objects.exists()


def test_it_refuses_javascript_hidden_in_an_escaped_name():
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>>>endobj\n%%EOF\n"
    # In English whatever ran before (the default language is Arabic; requests leave theirs).
    with translation.override("en"), pytest.raises(ValidationError, match="script"):
        check_upload(SimpleUploadedFile("x.pdf", body))


def test_it_accepts_a_pdf_that_only_opens_on_a_page(client_for, coordinator_a, case):
    def goto(writer):
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(
            DictionaryObject({NameObject("/S"): NameObject("/GoTo"), NameObject("/D"): TextStringObject("p1")})
        )

    assert attach(client_for(coordinator_a), case, pdf(goto), "scan.pdf").status_code == 302


# --- Images encoded again ---------------------------------------------------------------------


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (33.0, 53.0, 0.0), 3: "W", 4: (5.0, 33.0, 0.0)})
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 10)).save(out, format="JPEG", exif=exif, comment=b"Alaoui")
    return out.getvalue()


def test_it_strips_the_gps_position_from_a_photo(client_for, coordinator_a, event, private_media):  # noqa: F811
    original = gps_jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    url = reverse("distributions:event_photo_upload", args=[event.pk])
    client_for(coordinator_a).post(url, {"image": SimpleUploadedFile("IMG_0001.jpg", original)})
    stored = (private_media / EventPhoto.objects.get().image.name).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (16, 16)
    assert not image.getexif() and b"Exif" not in stored and b"Alaoui" not in stored


def test_it_drops_html_hidden_after_a_real_picture(client_for, coordinator_a, case, private_media):
    assert attach(client_for(coordinator_a), case, JPEG + HTML, "scan.jpg").status_code == 302
    stored = (private_media / Document.objects.get().file.name).read_bytes()
    assert b"<script" not in stored and Image.open(io.BytesIO(stored)).format == "JPEG"


# --- Downloads --------------------------------------------------------------------------------


def test_a_document_is_served_as_its_type_never_sniffed(client_for, coordinator_a, case):
    attach(client_for(coordinator_a), case, PDF, "Mohamed CIN.pdf")
    document = Document.objects.get()
    response = client_for(coordinator_a).get(reverse("beneficiaries:document_download", args=[case.pk, document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="Mohamed CIN.pdf"'


def test_a_file_stored_under_an_html_name_is_not_served_as_html(client_for, officer):
    agreed = EnvelopeFactory()
    agreed.agreement_document.save("agreement.html", ContentFile(PDF + HTML), save=True)
    response = client_for(officer).get(reverse("envelopes:agreement", args=[agreed.pk]))
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"


def test_a_stored_file_of_no_accepted_type_is_only_downloaded(client_for, officer):
    agreed = EnvelopeFactory()
    agreed.agreement_document.save("agreement.pdf", ContentFile(HTML), save=True)
    response = client_for(officer).get(reverse("envelopes:agreement", args=[agreed.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def post_envelope(client, agreement):
    data = read_form(client.get(reverse("envelopes:create")))
    data.update(
        {
            "name": "Convention Rehamna",
            "program": ProgramFactory().pk,
            "fiscal_year": "2026",
            "amount": "350000.00",
            "is_active": "on",
            "agreement_document": agreement,
        }
    )
    return client.post(reverse("envelopes:create"), data)


def test_an_envelope_agreement_under_an_html_name_is_kept_and_served_as_a_pdf(client_for, officer, private_media):
    client = client_for(officer)
    response = post_envelope(client, SimpleUploadedFile("convention.html", PDF))
    assert response.status_code == 302, response.context["form"].errors
    agreed = Envelope.objects.get()
    assert agreed.agreement_document.name.startswith("envelopes/")
    assert agreed.agreement_document.name.endswith(".pdf")
    download = client.get(reverse("envelopes:agreement", args=[agreed.pk]))
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"


def test_an_envelope_agreement_with_javascript_is_refused(client_for, officer):
    response = post_envelope(client_for(officer), SimpleUploadedFile("convention.pdf", pdf(launch)))
    assert response.status_code == 200
    with translation.override(officer.language or "fr"):
        assert gettext(ACTIVE_PDF) in response.context["form"].errors["agreement_document"]
    assert not Envelope.objects.exists()
