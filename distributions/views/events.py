"""Operations and events: planning a ceremony, listing who receives what there."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from distributions.choices import EventStatus
from distributions.exports import EVENT_COLUMNS, HANDOVER_COLUMNS
from distributions.forms import AttachForm, EventForm, OperationForm
from distributions.models import Event
from distributions.selectors import (
    attachable_projects,
    event_get_for_user,
    event_handovers,
    event_handovers_total,
    event_list,
    event_list_totals,
    event_photo_get,
    event_photos,
    national_operations,
)
from distributions.services import event_photo_add, event_save, event_set_status, handover_plan, operation_save
from reintegration.decorators import case_workers_only, hq_only
from reintegration.forms import PhotoForm
from reintegration.forms_util import attach_errors
from reintegration.i18n import name_order
from reintegration.once import submitted_once
from reintegration.pagination import paginate
from reintegration.tables import Sorting, export_response, person_sort, total_line
from reintegration.uploads import file_response


def _event_sorts() -> dict[str, tuple[str, ...]]:
    return {
        "date": ("date",),
        "province": (f"province__{name_order()}",),
        "handovers": ("handover_count",),
        "status": ("status",),
    }


def _events(request: HttpRequest):
    operation = request.GET.get("operation", "")
    chosen = int(operation) if operation.isascii() and operation.isdigit() and len(operation) < 10 else None
    sorting = Sorting.from_request(request, _event_sorts(), default="-date")
    return event_list(user=request.user, operation=chosen), sorting


@case_workers_only
def event_list_view(request: HttpRequest) -> HttpResponse:
    events, sorting = _events(request)
    context = {
        "page": paginate(request, sorting.apply(events)),
        "sorting": sorting,
        "totals": event_list_totals(events),
        "operations": national_operations(),
    }
    return render(request, "distributions/event_list.html", context)


@case_workers_only
def event_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The listed events, in the page's order, as CSV or XLSX."""
    events, sorting = _events(request)
    return export_response(
        fmt,
        name="events",
        title=_("Distribution events"),
        columns=EVENT_COLUMNS,
        rows=sorting.apply(events).iterator(),
        total=total_line(EVENT_COLUMNS, event_list_totals(events)),
    )


def _handover_sorts() -> dict[str, tuple[str, ...]]:
    return {
        "person": person_sort("project__beneficiary__"),
        "trade": (f"project__trade__{name_order()}",),
        "receipt": ("receipt_number",),
        "total": ("shown_total",),
        "status": ("status",),
    }


def _handovers(request: HttpRequest, event: Event):
    sorting = Sorting.from_request(request, _handover_sorts(), default="person")
    return event_handovers(event, user=request.user), sorting


def _event_form(request: HttpRequest, event: Event) -> HttpResponse:
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_save(event=form.instance, partners=form.cleaned_data["partners"], by=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Event saved."))
            return redirect("distributions:event", pk=event.pk)
    return render(request, "distributions/event_form.html", {"form": form, "event": event})


@case_workers_only
@submitted_once
def event_create(request: HttpRequest) -> HttpResponse:
    return _event_form(request, Event())


@case_workers_only
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_form(request, event_get_for_user(request.user, pk, write=True))


@case_workers_only
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    event = event_get_for_user(user, pk)
    handovers, sorting = _handovers(request, event)
    writable = event.writable_by(user)
    context = {
        "event": event,
        "handovers": list(sorting.apply(handovers)),
        "handovers_total": event_handovers_total(handovers),
        "sorting": sorting,
        "photos": event_photos(event),
        "can_edit": writable,
        "attach_form": AttachForm(projects=attachable_projects(user=user, event=event)) if writable else None,
        "photo_form": PhotoForm() if writable else None,
        "next_status": {EventStatus.PLANNED: EventStatus.HELD, EventStatus.HELD: EventStatus.CLOSED}.get(event.status),
    }
    return render(request, "distributions/event_detail.html", context)


@case_workers_only
def event_handovers_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The event's handovers the user sees (a centre, its own people), as CSV or XLSX."""
    event = event_get_for_user(request.user, pk)
    handovers, sorting = _handovers(request, event)
    return export_response(
        fmt,
        name=f"event-{event.pk}-handovers",
        title=f"{event.province.name} {event.date:%d-%m-%Y}",
        columns=HANDOVER_COLUMNS,
        rows=sorting.apply(handovers.prefetch_related(None)).iterator(),
        total=total_line(HANDOVER_COLUMNS, {"total": event_handovers_total(handovers)}),
    )


@case_workers_only
@require_POST
@submitted_once
def event_attach(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get_for_user(request.user, pk, write=True)
    form = AttachForm(request.POST, projects=attachable_projects(user=request.user, event=event))
    if form.is_valid():
        added = 0
        for project in form.cleaned_data["projects"]:
            try:
                handover_plan(project=project, event=event, by=request.user)
                added += 1
            except ValidationError as error:
                messages.error(request, f"{project.number}: {' '.join(error.messages)}")
        if added:
            messages.success(request, _("%(count)s project(s) added to the event.") % {"count": added})
    else:
        messages.error(request, _("Choose at least one funded project."))
    return redirect("distributions:event", pk=event.pk)


@case_workers_only
@require_POST
def event_status(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get_for_user(request.user, pk)
    status = request.POST.get("status", "")
    if status not in EventStatus.values:
        raise PermissionDenied
    try:
        event_set_status(event=event, status=status, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Event status: %(status)s.") % {"status": EventStatus(status).label})
    return redirect("distributions:event", pk=event.pk)


@case_workers_only
@require_POST
@submitted_once
def event_photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_get_for_user(request.user, pk, write=True)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            event_photo_add(event=event, upload=form.cleaned_data["image"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Photo added."))
    return redirect("distributions:event", pk=event.pk)


@case_workers_only
def event_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    event = event_get_for_user(request.user, pk)
    photo = event_photo_get(event, photo_pk)
    return file_response(photo.image, filename="photo")


@hq_only
@submitted_once
def operation_list(request: HttpRequest) -> HttpResponse:
    form = OperationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        operation_save(operation=form.instance, by=request.user)
        messages.success(request, _("Operation saved."))
        return redirect("distributions:operations")
    return render(request, "distributions/operation_list.html", {"operations": national_operations(), "form": form})
