import contextlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from beneficiaries.choices import CaseStatus
from beneficiaries.cin import normalize_cin
from beneficiaries.export import csv_lines
from beneficiaries.filters import BeneficiaryFilter
from beneficiaries.forms import (
    IDENTITY_FIELDS,
    ActionForm,
    BeneficiaryForm,
    DocumentForm,
    TrainingFormSet,
    training_rows,
)
from beneficiaries.panels import case_panels
from beneficiaries.permissions import can_export, can_register
from beneficiaries.selectors import (
    beneficiary_detail,
    beneficiary_get_for_user,
    beneficiary_list,
    find_duplicates,
    pending_transfer,
)
from beneficiaries.services import (
    allowed_status_changes,
    beneficiary_register,
    beneficiary_set_status,
    beneficiary_update,
    case_export_record,
    case_view_record,
)
from beneficiaries.timeline import case_timeline
from reintegration.decorators import case_workers_only, role_required
from reintegration.forms_util import attach_errors
from reintegration.pagination import paginate


@case_workers_only
def case_list(request: HttpRequest) -> HttpResponse:
    filterset = BeneficiaryFilter(request.GET, queryset=beneficiary_list(user=request.user), user=request.user)
    context = {
        "filterset": filterset,
        "page": paginate(request, filterset.qs),
        "can_register": can_register(request.user),
        "can_export": can_export(request.user),
    }
    return render(request, "beneficiaries/case_list.html", context)


@role_required(can_export)
def case_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV; the export itself is logged (who, when, filters, rows)."""
    user = request.user
    cases = BeneficiaryFilter(request.GET, queryset=beneficiary_list(user=user), user=user).qs
    case_export_record(user=user, filters=request.GET, rows=cases.count())
    response = StreamingHttpResponse(
        csv_lines(cases.iterator(chunk_size=2000), user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="case-files-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@role_required(can_register)
def case_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = BeneficiaryForm(request.POST or None, user=user)
    trainings = TrainingFormSet(request.POST or None, prefix="trainings")
    duplicates, reason_error = [], ""
    if request.method == "POST" and form.is_valid() and trainings.is_valid():
        data = form.cleaned_data
        duplicates = find_duplicates(
            user=user,
            cin=data["cin"],
            birth_date=data["birth_date"],
            names_=tuple(data[f] for f in IDENTITY_FIELDS[:4]),
        )
        shown = {str(candidate.beneficiary.pk) for candidate in duplicates}
        confirmed = bool(shown) and shown <= set(request.POST.getlist("acknowledged"))
        reason = request.POST.get("duplicate_reason", "").strip()
        if confirmed and not reason:
            reason_error = _("Say why this is a different person.")
        elif not duplicates or confirmed:
            try:
                case = beneficiary_register(
                    by=user,
                    fields=form.case_fields(),
                    trainings=training_rows(trainings),
                    duplicate_reason=reason,
                    duplicates=[candidate.beneficiary for candidate in duplicates],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Case file %(number)s opened.") % {"number": case.number})
                return redirect("beneficiaries:detail", pk=case.pk)
    context = {"form": form, "trainings": trainings, "duplicates": duplicates, "reason_error": reason_error}
    return render(request, "beneficiaries/case_form.html", context)


@role_required(can_register)
@require_POST
def case_duplicates(request: HttpRequest) -> HttpResponse:
    """While registering: who this might already be, before anything is saved (htmx)."""
    post = request.POST
    names_ = tuple(post.get(field, "").strip() for field in IDENTITY_FIELDS[:4])
    birth_date = None
    with contextlib.suppress(ValueError):  # a half-typed date checks names without it
        birth_date = parse_date(post.get("birth_date", ""))
    duplicates = find_duplicates(
        user=request.user, cin=normalize_cin(post.get("cin", "")), birth_date=birth_date, names_=names_
    )
    return render(request, "beneficiaries/_duplicates.html", {"duplicates": duplicates, "live": True})


@case_workers_only
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = beneficiary_detail(user, pk)
    case_view_record(case=case, user=user)
    writable = case.writable_by(user)
    transfer = pending_transfer(case)
    context = {
        "case": case,
        "cin": case.cin_for(user),
        "timeline": case_timeline(case, user),
        "panels": case_panels(case, user),
        "can_edit": writable,
        "pending_transfer": transfer,
        "can_transfer": not transfer and case.transferable_by(user),
        "action_form": ActionForm() if writable else None,
        "document_form": DocumentForm() if writable else None,
        "status_choices": [(target, STATUS_LABELS[target]) for target in allowed_status_changes(case, user)],
    }
    return render(request, "beneficiaries/case_detail.html", context)


STATUS_LABELS = {
    # gettext_lazy by its own name: makemessages finds no string behind another alias.
    CaseStatus.ACTIVE: gettext_lazy("Reopen"),
    CaseStatus.CLOSED: gettext_lazy("Close the case"),
    CaseStatus.ARCHIVED: gettext_lazy("Archive"),
}


@case_workers_only
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = beneficiary_get_for_user(user, pk, write=True)
    form = BeneficiaryForm(request.POST or None, instance=case, user=user)
    trainings = TrainingFormSet(request.POST or None, instance=case, prefix="trainings")
    if request.method == "POST" and form.is_valid() and trainings.is_valid():
        try:
            beneficiary_update(case=case, by=user, fields=form.case_fields(), trainings=training_rows(trainings))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Case file saved."))
            return redirect("beneficiaries:detail", pk=case.pk)
    return render(request, "beneficiaries/case_form.html", {"form": form, "trainings": trainings, "case": case})


@case_workers_only
@require_POST
def case_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = beneficiary_get_for_user(request.user, pk)
    status = request.POST.get("status", "")
    if status not in CaseStatus.values:
        raise PermissionDenied
    beneficiary_set_status(case=case, status=status, by=request.user)
    messages.success(request, _("Status changed to: %(status)s.") % {"status": CaseStatus(status).label})
    return redirect("beneficiaries:detail", pk=case.pk)
