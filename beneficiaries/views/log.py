"""The accompaniment log: actions taken with the person."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from beneficiaries.forms import ActionForm
from beneficiaries.selectors import beneficiary_get_for_user, case_action_get
from beneficiaries.services import action_record, action_update
from reintegration.decorators import case_workers_only
from reintegration.forms_util import attach_errors
from reintegration.once import submitted_once


@case_workers_only
@submitted_once
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = beneficiary_get_for_user(request.user, pk, write=True)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action_record(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Accompaniment action recorded."))
            return redirect("beneficiaries:detail", pk=case.pk)
    return render(request, "beneficiaries/action_form.html", {"form": form, "case": case})


@case_workers_only
def action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    case = beneficiary_get_for_user(request.user, pk, write=True)
    action = case_action_get(case, action_pk)
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            action_update(action=action, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Accompaniment action saved."))
            return redirect("beneficiaries:detail", pk=case.pk)
    return render(request, "beneficiaries/action_form.html", {"form": form, "case": case, "action": action})
