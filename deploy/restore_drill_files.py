"""Uploaded files for the restore drill, made through the application's own services.

The demo data (``seed_demo``) has no uploaded file; a drill comparing the checksums of no files
would prove nothing about them. This files, for a few recorded handovers, the receipt the
application prints as the signed copy, a scanned document in the person's case file, and a
photo of the event: three kinds of file, three folders, each with its row.

Run by ``deploy/restore_drill.sh`` on its throwaway database only:

    RESTORE_DRILL=1 python manage.py shell -v 0 < deploy/restore_drill_files.py
"""

import io
import os
import sys

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from beneficiaries.choices import DocumentKind
from beneficiaries.services import document_attach
from distributions.choices import HandoverStatus
from distributions.models import Handover
from distributions.receipts import receipts_pdf
from distributions.services import event_photo_add, handover_attach_signed, receipt_print
from reintegration.choices import Role
from reintegration.models import User

HANDOVERS = 3

if os.environ.get("RESTORE_DRILL") != "1":
    sys.exit("restore_drill_files.py changes the data: it runs from deploy/restore_drill.sh only")


def image(fmt: str, shade: int) -> bytes:
    """A small real picture (uploads are decoded and encoded again: a bare header is refused)."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (shade, 120, 200 - shade)).save(out, format=fmt)
    return out.getvalue()


def centre_coordinator(centre_id: int) -> User | None:
    return User.objects.filter(role=Role.COORDINATOR, centre_id=centre_id, is_active=True).order_by("pk").first()


made = 0
handovers = Handover.objects.filter(status=HandoverStatus.DELIVERED).select_related("project__beneficiary", "event")
for handover in handovers.order_by("pk")[:HANDOVERS]:
    case = handover.project.beneficiary
    coordinator = centre_coordinator(case.centre_id)
    if coordinator is None:
        continue
    receipt = receipts_pdf([receipt_print(handover=handover)], base_url="https://drill.invalid")
    handover_attach_signed(
        handover=handover,
        upload=SimpleUploadedFile("receipt-signed.pdf", receipt, content_type="application/pdf"),
        by=coordinator,
    )
    document_attach(
        case=case,
        kind=DocumentKind.OTHER,
        upload=SimpleUploadedFile("scan.png", image("PNG", 40 * made), content_type="image/png"),
        by=coordinator,
    )
    made += 2
    if handover.event.writable_by(coordinator):
        event_photo_add(
            event=handover.event,
            upload=SimpleUploadedFile("ceremony.jpg", image("JPEG", 40 * made), content_type="image/jpeg"),
            by=coordinator,
        )
        made += 1

if not made:
    sys.exit("restore_drill_files.py: no recorded handover with a coordinator to file anything for")
print(f"{made} files uploaded through the application")
