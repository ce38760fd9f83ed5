"""One person's handover: recording what was delivered, filing the signed receipt."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beneficiaries.choices import ViewedPage
from beneficiaries.services import case_view_record
from distributions.choices import HandoverStatus
from distributions.forms import DeliveryForm, HandoverItemFormSet, SignedScanForm
from distributions.selectors import handover_get_for_user
from distributions.services import handover_attach_signed, handover_record, handover_remove
from reintegration.decorators import case_workers_only
from reintegration.forms_util import attach_errors
from reintegration.once import submitted_once
from reintegration.uploads import file_response


@case_workers_only
@submitted_once
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    handover = handover_get_for_user(user, pk)
    recording = handover.status == HandoverStatus.PLANNED and handover.writable_by(user)
    data = request.POST if request.method == "POST" and recording else None
    items = HandoverItemFormSet(data, queryset=handover.items.all(), prefix="items")
    delivery = DeliveryForm(
        data, initial={"delivered_on": handover.event.date if handover.event.date <= timezone.localdate() else None,
                       "cash_aid": handover.project.cash_aid}
    )  # fmt: skip
    if data is not None and items.is_valid() and delivery.is_valid():
        rows = [
            {
                "id": form.instance.pk,
                **{field: form.cleaned_data[field] for field in ("quantity", "brand", "serial_number")},
            }
            for form in items.forms
        ]
        try:
            handover_record(
                handover=handover,
                items=rows,
                cash_aid=delivery.cleaned_data["cash_aid"],
                delivered_on=delivery.cleaned_data["delivered_on"],
                by=user,
            )
        except ValidationError as error:
            attach_errors(delivery, error)
        else:
            messages.success(request, _("Handover recorded: the receipt can be printed."))
            return redirect("distributions:handover", pk=handover.pk)
    case_view_record(case=handover.project.beneficiary, user=user, page=ViewedPage.HANDOVER)
    context = {
        "handover": handover,
        "recording": recording,
        "items": items,
        "delivery": delivery,
        "scan_form": SignedScanForm()
        if handover.writable_by(user) and handover.status != HandoverStatus.PLANNED
        else None,
    }
    return render(request, "distributions/handover_detail.html", context)


@case_workers_only
@require_POST
@submitted_once
def handover_signed_upload(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_get_for_user(request.user, pk)
    form = SignedScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            handover_attach_signed(handover=handover, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Signed receipt filed."))
    else:
        messages.error(request, " ".join(form.errors.get("file", [])))
    return redirect("distributions:handover", pk=handover.pk)


@case_workers_only
def handover_signed(request: HttpRequest, pk: int) -> FileResponse:
    handover = handover_get_for_user(request.user, pk)
    if not handover.signed_scan:
        raise Http404
    return file_response(handover.signed_scan, filename="receipt")


@case_workers_only
@require_POST
def handover_delete(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_get_for_user(request.user, pk)
    event_pk = handover.event_id
    try:
        handover_remove(handover=handover, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("distributions:handover", pk=handover.pk)
    messages.success(request, _("Removed from the event's list."))
    return redirect("distributions:event", pk=event_pk)
