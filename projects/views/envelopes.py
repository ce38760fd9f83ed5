"""Budget envelopes: what is committed, delivered and left, and the projects they fund."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from projects.filters import EnvelopeFilter
from projects.forms import EnvelopeForm, FunderFormSet, funder_rows
from projects.models import Envelope
from projects.selectors import envelope_commitments, envelope_get_for_user, envelope_list
from projects.services import envelope_save
from reintegration.decorators import hq_only, role_required
from reintegration.forms_util import attach_errors
from reintegration.once import submitted_once
from reintegration.pagination import paginate
from reintegration.uploads import file_response


def _sees_envelopes(user) -> bool:
    return user.is_hq or user.is_analyst


@role_required(_sees_envelopes)
def envelope_list_view(request: HttpRequest) -> HttpResponse:
    filterset = EnvelopeFilter(request.GET, queryset=envelope_list(user=request.user))
    return render(
        request, "projects/envelope_list.html", {"filterset": filterset, "page": paginate(request, filterset.qs)}
    )


@role_required(_sees_envelopes)
def envelope_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    envelope = envelope_get_for_user(user, pk)
    context = {
        "envelope": envelope,
        # Analysts see the figures, not the people behind them.
        "page": paginate(request, envelope_commitments(envelope)) if user.is_hq else None,
        "history": envelope.history.select_related("history_user")[:8] if user.is_hq else [],
        "can_edit": user.is_hq,
    }
    return render(request, "projects/envelope_detail.html", context)


def _envelope_form(request: HttpRequest, envelope: Envelope) -> HttpResponse:
    form = EnvelopeForm(request.POST or None, request.FILES or None, instance=envelope)
    funders = FunderFormSet(request.POST or None, instance=envelope, prefix="funders")
    if request.method == "POST" and form.is_valid() and funders.is_valid():
        try:
            envelope = envelope_save(envelope=form.instance, funders=funder_rows(funders), by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Envelope saved."))
            return redirect("envelopes:detail", pk=envelope.pk)
    return render(request, "projects/envelope_form.html", {"form": form, "funders": funders, "envelope": envelope})


@hq_only
@submitted_once
def envelope_create(request: HttpRequest) -> HttpResponse:
    return _envelope_form(request, Envelope())


@hq_only
def envelope_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _envelope_form(request, envelope_get_for_user(request.user, pk))


@hq_only
def envelope_agreement(request: HttpRequest, pk: int) -> FileResponse:
    envelope = envelope_get_for_user(request.user, pk)
    if not envelope.agreement_document:
        raise Http404
    return file_response(envelope.agreement_document, filename="agreement")
