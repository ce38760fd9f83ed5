"""What this app adds to case files: the handover on the timeline, and the erasing of the signed
receipt's scan (it bears the person's name and CIN) when a case file is anonymised."""

from django.urls import reverse
from django.utils.translation import gettext as _

from beneficiaries.retention import register as register_eraser
from beneficiaries.timeline import TimelineEntry
from beneficiaries.timeline import register as register_timeline
from distributions.choices import HandoverStatus
from distributions.models import Handover
from reintegration.uploads import delete_file_on_commit


@register_timeline
def handovers(case, user):
    for handover in (
        Handover.objects.filter(project__beneficiary=case)
        .exclude(status=HandoverStatus.PLANNED)
        .select_related("event__province")
    ):
        yield TimelineEntry(
            when=handover.delivered_on,
            icon="box-seam",
            title=_("Equipment handed over — %(event)s") % {"event": handover.event},
            detail=handover.receipt_number or "",
            url=reverse("distributions:handover", args=[handover.pk]),
        )


@register_eraser
def erase_signed_scans(case):
    for handover in Handover.objects.filter(project__beneficiary=case).exclude(signed_scan=""):
        delete_file_on_commit(handover.signed_scan)
        Handover.objects.filter(pk=handover.pk).update(signed_scan="", signed_scan_type="")
    Handover.history.filter(project__beneficiary_id=case.pk).delete()
