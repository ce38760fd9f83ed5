import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from beneficiaries.models import CaseView, Document
from tests.cast import READS_CASE, WRITES_CASE
from tests.factories import BeneficiaryFactory
from tests.images import PNG

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


@pytest.fixture
def case(centre_a):
    return BeneficiaryFactory(centre=centre_a)


def upload(client, case, content=PDF, name="cin.pdf", kind="id_copy"):
    return client.post(
        reverse("beneficiaries:document_upload", args=[case.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_a_coordinator_files_a_pdf_and_its_name_is_not_kept_on_disk(client_for, coordinator_a, case, private_media):
    assert upload(client_for(coordinator_a), case, name="Mohamed El Alaoui CIN.pdf").status_code == 302
    document = Document.objects.get()
    assert (document.content_type, document.size, document.original_name) == (
        "application/pdf",
        len(PDF),
        "Mohamed El Alaoui CIN.pdf",
    )
    stored = private_media / document.file.name
    assert stored.read_bytes() == PDF
    assert "Alaoui" not in document.file.name and document.file.name.startswith(f"cases/{case.pk}/")
    assert str(settings.BASE_DIR / "static") not in str(stored)


def test_a_renamed_executable_is_refused(client_for, coordinator_a, case):
    response = upload(client_for(coordinator_a), case, content=b"MZ\x90\x00" + b"\x00" * 100, name="scan.pdf")
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()


def test_a_file_over_10_mb_is_refused(client_for, coordinator_a, case):
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = upload(client_for(coordinator_a), case, content=big)
    assert "file" in response.context["form"].errors
    assert not Document.objects.exists()


def test_an_image_is_accepted(client_for, coordinator_a, case):
    assert (
        upload(client_for(coordinator_a), case, content=PNG, name="release.png", kind="release_certificate").status_code
        == 302
    )
    assert Document.objects.get().content_type == "image/png"


@pytest.mark.parametrize(("who", "status"), READS_CASE)
def test_downloading_for_the_cast(cast, client_for, coordinator_a, case, who, status):
    upload(client_for(coordinator_a), case)
    document = Document.objects.get()
    response = client_for(cast[who]).get(reverse("beneficiaries:document_download", args=[case.pk, document.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Cache-Control"] == "private, no-store"
        assert CaseView.objects.filter(document=document, user=cast[who]).exists()


def test_a_document_is_not_served_through_another_case(client_for, coordinator_a, case, centre_a):
    upload(client_for(coordinator_a), case)
    other = BeneficiaryFactory(centre=centre_a)
    document = Document.objects.get()
    url = reverse("beneficiaries:document_download", args=[other.pk, document.pk])
    assert client_for(coordinator_a).get(url).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 302),
        ("officer", 403),
        ("analyst", 403),
        ("coordinator_a", 302),
        ("coordinator_b", 404),
        ("anonymous", 302),
    ],
)
def test_removing_for_the_cast(
    cast, client_for, coordinator_a, case, private_media, django_capture_on_commit_callbacks, who, status
):
    upload(client_for(coordinator_a), case)
    document = Document.objects.get()
    path = private_media / document.file.name
    url = reverse("beneficiaries:document_delete", args=[case.pk, document.pk])
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal is committed
        assert client_for(cast[who]).post(url).status_code == status
    removed = who in ("admin", "coordinator_a")
    assert Document.objects.exists() is not removed
    if removed:
        assert Document.history.filter(history_type="-", history_user=cast[who]).exists()
        assert not path.exists()


@pytest.mark.parametrize(("who", "status"), WRITES_CASE)
def test_the_upload_page_for_the_cast(cast, client_for, case, who, status):
    assert client_for(cast[who]).get(reverse("beneficiaries:document_upload", args=[case.pk])).status_code == status
