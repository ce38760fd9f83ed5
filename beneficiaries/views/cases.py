from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from beneficiaries.choices import CaseStatus, CinLookupKind
from beneficiaries.export import csv_lines
from beneficiaries.filters import BeneficiaryFilter
from beneficiaries.forms import (
    BeneficiaryForm,
    DuplicateAnswerForm,
    DuplicateCheckForm,
    TrainingFormSet,
    training_rows,
)
from beneficiaries.panels import case_panels
from beneficiaries.permissions import can_export, can_register
from beneficiaries.selectors import (
    beneficiary_detail,
    beneficiary_get_for_user,
    beneficiary_list,
    duplicate_flag_detail,
    find_duplicates,
    pending_transfer,
)
from beneficiaries.services import (
    CinLookupRefused,
    ProbableDuplicates,
    allowed_status_changes,
    beneficiary_register,
    beneficiary_set_status,
    beneficiary_update,
    case_export_record,
    case_view_record,
    cin_lookup_record,
)
from beneficiaries.timeline import case_timeline
from reintegration.decorators import case_workers_only, role_required
from reintegration.forms_util import attach_errors
from reintegration.once import submitted_once
from reintegration.pagination import COUNT_UP_TO, paginate


@case_workers_only
def case_list(request: HttpRequest) -> HttpResponse:
    filterset = BeneficiaryFilter(request.GET, queryset=beneficiary_list(user=request.user), user=request.user)
    context = {
        "filterset": filterset,
        # Counted up to 10,000 rows: the national list says "more than 10,000" rather than count 200,000 each visit.
        "page": paginate(request, filterset.qs, count_up_to=COUNT_UP_TO),
        "can_register": can_register(request.user),
        "can_export": can_export(request.user),
    }
    return render(request, "beneficiaries/case_list.html", context)


@role_required(can_export)
def case_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered list as CSV; the export itself is logged (who, when, filters, rows)."""
    user = request.user
    filterset = BeneficiaryFilter(
        request.GET, queryset=beneficiary_list(user=user), user=user, lookup_kind=CinLookupKind.CASE_EXPORT
    )
    cases = filterset.qs
    if filterset.refusal:
        return HttpResponse(filterset.refusal, status=429, content_type="text/plain; charset=utf-8")
    case_export_record(user=user, filters=request.GET, rows=cases.count())
    response = StreamingHttpResponse(
        csv_lines(cases.iterator(chunk_size=2000), user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="case-files-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@role_required(can_register)
@submitted_once
def case_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = BeneficiaryForm(request.POST or None, user=user)
    trainings = TrainingFormSet(request.POST or None, prefix="trainings")
    duplicates, reason_error = [], ""
    answer = DuplicateAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and trainings.is_valid() and answer.is_valid():
        try:
            case = beneficiary_register(
                by=user, fields=form.case_fields(), trainings=training_rows(trainings), **answer.cleaned_data
            )
        except ProbableDuplicates as found:
            duplicates, reason_error = found.candidates, found.reason_error
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
    """While registering: who this might already be, before anything is saved (htmx).

    The CIN is a lookup, counted and recorded; over the user's budget it is left out, the names
    are still checked, and the answer (a 429, which the page shows) says why."""
    check, refused = DuplicateCheckForm(request.POST).typed(), ""
    if check["cin"]:
        try:
            cin_lookup_record(user=request.user, kind=CinLookupKind.DUPLICATE_CHECK, cin=check["cin"])
        except CinLookupRefused as error:
            check["cin"], refused = "", str(error)
    duplicates = find_duplicates(user=request.user, **check)
    context = {"duplicates": duplicates, "live": True, "refused": refused}
    return render(request, "beneficiaries/_duplicates.html", context, status=429 if refused else 200)


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
        "duplicate": duplicate_flag_detail(case, user),
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
