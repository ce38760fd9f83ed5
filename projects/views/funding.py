"""Funding a project from an envelope, and cancelling that commitment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.forms import CancelCommitmentForm, FundForm
from projects.selectors import active_commitment_get, envelopes_for, project_get_for_user
from projects.services import commitment_cancel, commitment_create
from reintegration.decorators import hq_only
from reintegration.money import format_amount
from reintegration.once import submitted_once


@hq_only
@require_POST
@submitted_once
def project_fund(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get_for_user(request.user, pk)
    form = FundForm(request.POST, envelopes=envelopes_for(project))
    if not form.is_valid():
        messages.error(request, _("Choose an open envelope that covers the project's province."))
        return redirect("projects:detail", pk=project.pk)
    try:
        commitment = commitment_create(project=project, envelope=form.cleaned_data["envelope"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Project funded: %(amount)s committed.") % {"amount": format_amount(commitment.amount)}
        )
    return redirect("projects:detail", pk=project.pk)


@hq_only
@require_POST
def commitment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get_for_user(request.user, pk)
    commitment = active_commitment_get(project)
    form = CancelCommitmentForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        commitment_cancel(commitment=commitment, by=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Commitment cancelled: the amount is back in the envelope."))
    return redirect("projects:detail", pk=project.pk)
