"""Funding approved projects from an envelope, one or several at once, and cancelling a commitment.

Funding is two steps: choose (the project's page for one, the funding queue for several), then
confirm on a page that shows each project with the envelope's running balance and the total.
Only the confirmation writes, all the projects or none.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from projects import funding
from projects.choices import ProjectStatus
from projects.forms import CancelCommitmentForm, FundBatchForm
from projects.models import Commitment
from projects.selectors import (
    active_commitment_get,
    envelope_get,
    open_envelopes,
    project_get_for_user,
    projects_in_status,
)
from projects.services import commitment_cancel, commitments_create
from reintegration.decorators import hq_only
from reintegration.money import format_amount
from reintegration.once import submitted_once
from reintegration.pagination import paginate


@hq_only
def fund_batch(request: HttpRequest) -> HttpResponse:
    """The approved projects waiting for their money: tick them, choose the envelope, review."""
    queue = projects_in_status(user=request.user, status=ProjectStatus.APPROVED).select_related("beneficiary__program")
    page = paginate(request, queue, per_page=50)
    chosen = {value for value in request.GET.getlist("projects") if value.isascii() and value.isdigit()}
    envelopes = list(open_envelopes())
    envelope = next((e for e in envelopes if str(e.pk) == request.GET.get("envelope")), None)
    if envelope is None:  # the one that funds most of the projects ticked (or shown), else the first
        picked = [p for p in page.object_list if str(p.pk) in chosen] or list(page.object_list)
        envelope = funding.best_for(picked, envelopes) or next(iter(envelopes), None)
    rows = [
        (project, str(project.pk) in chosen, funding.rule_refusal(envelope, project) if envelope else "")
        for project in page.object_list
    ]
    context = {"page": page, "rows": rows, "envelopes": envelopes, "envelope": envelope, "any_chosen": bool(chosen)}
    return render(request, "projects/fund_batch.html", context)


@hq_only
@submitted_once
def fund_review(request: HttpRequest) -> HttpResponse:
    """The confirmation: each project with what the envelope has left after it, and the total.
    Confirming commits them all under the envelope's row lock, or none if anything changed."""
    queue = projects_in_status(user=request.user, status=ProjectStatus.APPROVED).select_related("beneficiary__program")
    data = request.POST if request.method == "POST" else request.GET
    form = FundBatchForm(data, projects=queue, envelopes=open_envelopes())
    if not form.is_valid():
        return render(request, "projects/fund_review.html", {"form": form}, status=400)
    projects, envelope = list(form.cleaned_data["projects"]), form.cleaned_data["envelope"]
    batch = funding.batch(envelope, projects)
    if request.method == "POST":
        try:
            commitments = commitments_create(projects=projects, envelope=envelope, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _funded_message(commitments))
            if len(projects) == 1:
                return redirect("projects:detail", pk=projects[0].pk)
            return redirect("projects:fund_batch")
    if len(projects) == 1:
        choose_again = reverse("projects:detail", args=[projects[0].pk])
    else:
        choose_again = f"{reverse('projects:fund_batch')}?{urlencode([('projects', p.pk) for p in projects])}"
    fitting = [("projects", line.project.pk) for line in batch.lines if not line.refusal]
    leave_out = ""
    if batch.refusals and fitting:
        leave_out = f"{reverse('projects:fund_review')}?{urlencode([*fitting, ('envelope', envelope.pk)])}"
    context = {"form": form, "batch": batch, "choose_again": choose_again, "leave_out": leave_out}
    return render(request, "projects/fund_review.html", context)


def _funded_message(commitments: list[Commitment]) -> str:
    """What was committed, and what the envelope has left now (read after the write)."""
    envelope = envelope_get(commitments[0].envelope_id)
    count = len(commitments)
    return ngettext(
        "%(count)s project funded: %(total)s committed on %(envelope)s, %(left)s left.",
        "%(count)s projects funded: %(total)s committed on %(envelope)s, %(left)s left.",
        count,
    ) % {
        "count": count,
        "total": format_amount(sum((c.amount for c in commitments), Decimal("0.00"))),
        "envelope": envelope.name,
        "left": format_amount(envelope.available),
    }


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
