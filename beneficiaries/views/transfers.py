"""Transfers of a case file to another centre when the person moves."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beneficiaries.forms import DecisionForm, TransferRequestForm
from beneficiaries.selectors import beneficiary_get_for_user, transfer_get_for_user, transfer_list
from beneficiaries.services import transfer_accept, transfer_cancel, transfer_refuse, transfer_request
from reintegration.decorators import case_workers_only
from reintegration.forms_util import attach_errors
from reintegration.once import submitted_once
from reintegration.pagination import paginate


@case_workers_only
@submitted_once
def transfer_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = beneficiary_get_for_user(user, pk)
    if not case.transferable_by(user):
        raise PermissionDenied
    form = TransferRequestForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            transfer_request(case=case, by=user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Transfer requested: the receiving centre will answer."))
            return redirect("beneficiaries:detail", pk=case.pk)
    return render(request, "beneficiaries/transfer_form.html", {"form": form, "case": case})


@case_workers_only
def transfer_inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    transfers = transfer_list(user=user)
    waiting = list(transfers.awaiting_decision_by(user))
    page = paginate(request, transfers)
    for transfer in page.object_list:
        transfer.can_cancel = transfer.cancellable_by(user)
    context = {"waiting": waiting, "page": page}
    return render(request, "beneficiaries/transfer_list.html", context)


def _decision(request: HttpRequest, pk: int, service, message: str) -> HttpResponse:
    transfer = transfer_get_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    kwargs = {"note": note} if service is not transfer_cancel else {}
    service(transfer=transfer, by=request.user, **kwargs)
    messages.success(request, message)
    return redirect("beneficiaries:transfers")


@case_workers_only
@require_POST
def transfer_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, transfer_accept, _("Transfer accepted: the case file is now with your centre."))


@case_workers_only
@require_POST
def transfer_refuse_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, transfer_refuse, _("Transfer refused."))


@case_workers_only
@require_POST
def transfer_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, transfer_cancel, _("Transfer request cancelled."))
