"""Possible duplicates: HQ compares the files and decides; the scan finds the ones nobody flagged."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from beneficiaries.forms import DuplicateDecisionForm
from beneficiaries.selectors import beneficiary_get_for_user, duplicate_flag_detail, duplicate_flags_waiting
from beneficiaries.services import duplicate_decide, duplicates_scan
from reintegration.decorators import hq_only
from reintegration.forms_util import attach_errors
from reintegration.pagination import paginate


@hq_only
def duplicate_flags(request: HttpRequest) -> HttpResponse:
    """Every possible duplicate waiting for HQ, oldest first, from registrations and the scan."""
    return render(request, "beneficiaries/duplicate_list.html", {"page": paginate(request, duplicate_flags_waiting())})


@hq_only
@require_POST
def duplicate_scan(request: HttpRequest) -> HttpResponse:
    found = duplicates_scan()
    message = ngettext(
        "Scan done: %(count)s new possible duplicate to check.",
        "Scan done: %(count)s new possible duplicates to check.",
        found,
    )
    messages.success(request, message % {"count": found})
    return redirect("beneficiaries:duplicate_flags")


@hq_only
def duplicate_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The later file beside the earlier ones it may repeat, and HQ's answer."""
    case = beneficiary_get_for_user(request.user, pk)
    detail = duplicate_flag_detail(case, request.user)
    if detail is None:
        raise Http404
    form = DuplicateDecisionForm(request.POST or None, flag=detail.flag) if detail.flag.is_pending else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            duplicate_decide(flag=detail.flag, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("beneficiaries:detail", pk=case.pk)
    context = {
        "case": case,
        "detail": detail,
        "form": form,
        "files": [case, *(c.beneficiary for c in detail.candidates)],
    }
    return render(request, "beneficiaries/duplicate_decide.html", context)
