"""The printed papers: a receipt, every receipt of an event, the event's summary; and the
public page a receipt's QR code opens."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from beneficiaries.choices import ViewedPage
from beneficiaries.services import case_view_record, case_views_record
from distributions.receipt_jobs import event_receipts_start
from distributions.receipts import event_summary_pdf, handover_for_token, receipts_pdf
from distributions.selectors import event_get_for_user, event_recorded_for_user, handover_get_for_user
from distributions.services import receipt_print, receipts_print
from reintegration.decorators import case_workers_only


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@case_workers_only
@require_POST
def handover_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """POST, not GET: printing numbers the receipt (or counts a duplicate), so a link preview
    or a prefetch must not do it."""
    handover = handover_get_for_user(request.user, pk)
    try:
        printed = receipt_print(handover=handover)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("distributions:handover", pk=handover.pk)
    content = receipts_pdf([printed], base_url=request.build_absolute_uri("/"))
    case_view_record(case=handover.project.beneficiary, user=request.user, page=ViewedPage.RECEIPT)
    return _pdf(content, f"{printed.receipt_number}.pdf")


@case_workers_only
@require_POST
def event_receipts(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get_for_user(request.user, pk)
    recorded = event_recorded_for_user(event, user=request.user)
    if not recorded:
        return HttpResponse(
            _("No handover recorded yet at this event."), status=409, content_type="text/plain; charset=utf-8"
        )
    if len(recorded) > settings.RECEIPTS_INLINE_MAX:  # minutes of work: a job, followed on its page
        job = event_receipts_start(
            event=event, recorded=recorded, by=request.user, base_url=request.build_absolute_uri("/")
        )
        return redirect("jobs:detail", pk=job.pk)
    pks, people = zip(*recorded, strict=True)
    content = receipts_pdf(receipts_print(pks=list(pks)), base_url=request.build_absolute_uri("/"))
    case_views_record(case_ids=people, user=request.user, page=ViewedPage.RECEIPT)
    return _pdf(content, f"receipts-event-{event.pk}.pdf")


@case_workers_only
def event_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole ceremony's figures: for HQ and the event's own centre only (small counts of
    another centre's people could single them out)."""
    event = event_get_for_user(request.user, pk, whole=True)
    return _pdf(event_summary_pdf(event), f"summary-event-{event.pk}.pdf")


@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: anyone holding a receipt can check it. Shows no personal data beyond initials."""
    handover = handover_for_token(token)
    status = 200 if handover else 404
    return render(request, "distributions/verify.html", {"handover": handover}, status=status)
