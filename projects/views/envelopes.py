"""Budget envelopes: what is committed, delivered and left, and the projects they fund."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from projects import exports
from projects.filters import EnvelopeFilter
from projects.forms import EnvelopeForm, FunderFormSet, funder_rows
from projects.history import envelope_changes
from projects.models import Envelope
from projects.selectors import (
    envelope_commitments,
    envelope_commitments_total,
    envelope_get_for_user,
    envelope_list,
    envelope_list_totals,
)
from projects.services import envelope_save
from reintegration.decorators import hq_only, role_required
from reintegration.forms_util import attach_errors
from reintegration.i18n import name_order
from reintegration.once import submitted_once
from reintegration.pagination import paginate
from reintegration.tables import Sorting, export_response, person_sort, total_line
from reintegration.uploads import file_response


def _sees_envelopes(user) -> bool:
    return user.is_hq or user.is_analyst


ENVELOPE_SORTS = {
    "name": ("name",),
    "year": ("fiscal_year", "name"),
    "amount": ("amount",),
    "available": ("left",),
    "committed": ("committed",),
}


def _envelopes(request: HttpRequest) -> tuple[EnvelopeFilter, Sorting]:
    filterset = EnvelopeFilter(request.GET, queryset=envelope_list(user=request.user))
    return filterset, Sorting.from_request(request, ENVELOPE_SORTS, default="-year")


@role_required(_sees_envelopes)
def envelope_list_view(request: HttpRequest) -> HttpResponse:
    filterset, sorting = _envelopes(request)
    envelopes = sorting.apply(filterset.qs)
    context = {
        "filterset": filterset,
        "sorting": sorting,
        "page": paginate(request, envelopes),
        "totals": envelope_list_totals(filterset.qs),
    }
    return render(request, "projects/envelope_list.html", context)


@role_required(_sees_envelopes)
def envelope_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered envelopes, in the page's order, as CSV or XLSX."""
    filterset, sorting = _envelopes(request)
    return export_response(
        fmt,
        name="envelopes",
        title=_("Budget envelopes"),
        columns=exports.ENVELOPE_COLUMNS,
        rows=sorting.apply(filterset.qs).iterator(),
        total=total_line(exports.ENVELOPE_COLUMNS, envelope_list_totals(filterset.qs)),
    )


def _commitment_sorts() -> dict[str, tuple[str, ...]]:
    return {
        "project": ("project_id",),
        "person": person_sort("project__beneficiary__"),
        "trade": (f"project__trade__{name_order()}",),
        "location": (f"project__province__{name_order()}",),
        "amount": ("counted_amount",),
        "status": ("status",),
        "committed_at": ("created_at",),
    }


def _commitments(request: HttpRequest, envelope: Envelope):
    sorting = Sorting.from_request(request, _commitment_sorts(), default="-committed_at")
    return envelope_commitments(envelope), sorting


@role_required(_sees_envelopes)
def envelope_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    envelope = envelope_get_for_user(user, pk)
    context = {"envelope": envelope, "page": None, "history": [], "can_edit": user.is_hq}
    # Analysts see the figures, not the people behind them.
    if user.is_hq:
        commitments, sorting = _commitments(request, envelope)
        context |= {
            "page": paginate(request, sorting.apply(commitments)),
            "sorting": sorting,
            "commitments_total": envelope_commitments_total(commitments),
            "history": envelope_changes(envelope),
        }
    return render(request, "projects/envelope_detail.html", context)


@hq_only
def envelope_projects_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The envelope's projects, in the page's order, as CSV or XLSX (HQ only, like the list)."""
    envelope = envelope_get_for_user(request.user, pk)
    commitments, sorting = _commitments(request, envelope)
    return export_response(
        fmt,
        name=f"envelope-{envelope.pk}-projects",
        title=envelope.name,
        columns=exports.COMMITMENT_COLUMNS,
        rows=sorting.apply(commitments).iterator(),
        total=total_line(exports.COMMITMENT_COLUMNS, {"total": envelope_commitments_total(commitments)}),
    )


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
