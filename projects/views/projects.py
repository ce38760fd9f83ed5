"""Life projects: the list, the page, the editing of the diagnosis and plan, the workflow."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beneficiaries.choices import ViewedPage
from beneficiaries.forms import ActionForm
from beneficiaries.selectors import beneficiary_get_for_user, duplicate_flag_detail
from beneficiaries.services import case_view_record
from projects import funding
from projects.choices import CommitmentStatus, ProjectStatus
from projects.exports import PROJECT_COLUMNS
from projects.filters import ProjectFilter
from projects.forms import (
    CommentForm,
    EquipmentLineFormSet,
    KitChoiceForm,
    PlannedActionForm,
    ProjectForm,
    SaveChoiceForm,
    line_rows,
    plan_typed,
)
from projects.plan import plan_totals
from projects.selectors import (
    cases_without_project,
    open_envelopes,
    open_planned_action_get,
    project_detail,
    project_get_for_user,
    project_list,
    project_list_total,
)
from projects.services import (
    planned_action_add,
    planned_action_done,
    project_create,
    project_submit_refusal,
    project_transition,
    project_update,
)
from projects.workflow import WAITING, allowed_moves, next_steps
from reintegration.decorators import case_workers_only
from reintegration.forms_util import attach_errors, error_links, errors_text, refuse_at_fields
from reintegration.i18n import name_order
from reintegration.once import submitted_once
from reintegration.pagination import paginate
from reintegration.tables import Sorting, export_response, person_sort, total_line


def _project_sorts() -> dict[str, tuple[str, ...]]:
    return {
        "number": ("id",),
        "person": person_sort("beneficiary__"),
        "trade": (f"trade__{name_order()}",),
        "location": (f"province__{name_order()}",),
        "centre": ("beneficiary__centre__city",),
        "total": ("total",),
        "status": ("status",),
        "created": ("created_at",),
    }


def _projects(request: HttpRequest) -> tuple[ProjectFilter, Sorting]:
    filterset = ProjectFilter(request.GET, queryset=project_list(user=request.user), user=request.user)
    return filterset, Sorting.from_request(request, _project_sorts(), default="-created")


@case_workers_only
def project_list_view(request: HttpRequest) -> HttpResponse:
    filterset, sorting = _projects(request)
    context = {
        "filterset": filterset,
        "sorting": sorting,
        "page": paginate(request, sorting.apply(filterset.qs)),
        "total": project_list_total(filterset.qs),
    }
    return render(request, "projects/project_list.html", context)


@case_workers_only
def project_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered list, in the page's order, as CSV or XLSX: the same scope and filters."""
    filterset, sorting = _projects(request)
    projects = filterset.qs  # runs the search, which may refuse a CIN lookup over the budget
    if filterset.refusal:
        return HttpResponse(filterset.refusal, status=429, content_type="text/plain; charset=utf-8")
    return export_response(
        fmt,
        name="life-projects",
        title=_("Life projects"),
        columns=PROJECT_COLUMNS,
        rows=sorting.apply(projects).iterator(chunk_size=2000),
        total=total_line(PROJECT_COLUMNS, {"total": project_list_total(projects)}),
    )


@case_workers_only
def cases_waiting(request: HttpRequest) -> HttpResponse:
    """Active case files with no life project in progress, the longest-registered first: the
    rest of the home page's short queue."""
    queue = cases_without_project(user=request.user).select_related("province", "centre")
    return render(request, "projects/cases_waiting.html", {"page": paginate(request, queue)})


@case_workers_only
@require_POST
@submitted_once
def project_start(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = beneficiary_get_for_user(request.user, case_pk, write=True)
    try:
        project = project_create(case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("beneficiaries:detail", pk=case.pk)
    messages.success(request, _("Life project opened: start with the diagnosis."))
    return redirect("projects:edit", pk=project.pk)


@case_workers_only
def project_detail_view(request: HttpRequest, pk: int, *, comment_form: CommentForm | None = None) -> HttpResponse:
    """The project's page; ``comment_form`` is a refused move's, shown again with its error."""
    user = request.user
    project = project_detail(user, pk)
    case_view_record(case=project.beneficiary, user=user, page=ViewedPage.PROJECT)
    can_fund = user.is_hq and project.status == ProjectStatus.APPROVED
    context = {
        "project": project,
        "case": project.beneficiary,
        "moves": allowed_moves(project, user),
        "next_steps": next_steps(project, user),
        "waiting": WAITING.get(project.status, ""),
        "comment_form": comment_form or CommentForm(),
        "error_links": error_links(comment_form) if comment_form else [],
        "can_edit": project.writable_by(user),
        "can_follow": project.followed_by(user),
        "offer": funding.offer(project, open_envelopes()) if can_fund else None,
        "planned_form": PlannedActionForm() if project.followed_by(user) else None,
        "active_commitment": next((c for c in project.commitments.all() if c.status == CommitmentStatus.ACTIVE), None),
        "duplicate": duplicate_flag_detail(project.beneficiary, user),
    }
    return render(request, "projects/project_detail.html", context)


@case_workers_only
@submitted_once
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project = project_get_for_user(user, pk, write=True)
    form = ProjectForm(request.POST or None, instance=project)
    lines = EquipmentLineFormSet(request.POST or None, instance=project, prefix="lines")
    plan_errors: dict[str, list[str]] = {}
    # Sent back by a refused submit (project_move): its reasons, at the fields they concern.
    refusal = project_submit_refusal(project) if request.method == "GET" and "check" in request.GET else None
    if refusal:
        plan_errors = refuse_at_fields(form, refusal)
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        fields = {name: form.cleaned_data[name] for name in ProjectForm.Meta.fields}
        try:
            project_update(project=project, by=user, fields=fields, lines=line_rows(lines))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return _after_saving(request, project, submit=SaveChoiceForm(request.POST).submits)
    context = {
        "form": form,
        "lines": lines,
        "project": project,
        "can_submit": any(target == ProjectStatus.SUBMITTED for target, _rule in allowed_moves(project, user)),
        "kit_form": KitChoiceForm(trade=project.trade),
        "plan_errors": [message for messages in plan_errors.values() for message in messages],
        "error_links": error_links(
            form, lines, elsewhere={key: ("plan", _("Equipment plan"), found) for key, found in plan_errors.items()}
        ),
        "totals": plan_typed(request.POST).totals if request.method == "POST" else _saved_totals(lines, project),
    }
    return render(request, "projects/project_form.html", context)


def _after_saving(request: HttpRequest, project, *, submit: bool) -> HttpResponse:
    """To the project's page; with "Save and submit", submitted as well — or, if the plan is not
    yet complete, saved and back here with the fields the submission still needs marked."""
    if not submit:
        messages.success(request, _("Life project saved."))
        return redirect("projects:detail", pk=project.pk)
    try:
        project_transition(project=project, target=ProjectStatus.SUBMITTED, by=request.user)
    except ValidationError as error:
        if not getattr(error, "error_dict", None):
            messages.error(request, " ".join(error.messages))
            return redirect("projects:detail", pk=project.pk)
        messages.warning(request, _("Life project saved, not submitted yet: complete the fields marked below."))
        return redirect(f"{reverse('projects:edit', args=[project.pk])}?check=submitted#error-summary")
    messages.success(request, _("Life project saved and submitted for approval."))
    return redirect("projects:detail", pk=project.pk)


def _saved_totals(formset, project):
    return plan_totals([(form.instance.quantity, form.instance.unit_price) for form in formset.forms], project.cash_aid)


@case_workers_only
@require_POST
def plan_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's totals while it is being typed (htmx): the same arithmetic and the same
    messages as on saving, for whatever was sent."""
    project_get_for_user(request.user, pk, write=True)
    plan = plan_typed(request.POST)
    return render(
        request, "projects/_plan_totals.html", {"totals": plan.totals, "rows": plan.rows, "errors": plan.errors}
    )


@case_workers_only
def kit_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """A standard kit's lines as new rows of the plan (htmx)."""
    project = project_get_for_user(request.user, pk, write=True)
    kit_form, start = KitChoiceForm(request.GET, trade=project.trade), request.GET.get("lines-TOTAL_FORMS", "0")
    if not (kit_form.is_valid() and start.isascii() and start.isdigit()):
        raise Http404
    kit = kit_form.cleaned_data["kit"]
    start = int(start)
    formset = EquipmentLineFormSet(instance=project, prefix="lines")
    rows = []
    for offset, line in enumerate(kit.lines.all()):
        form = formset.form(
            prefix=f"lines-{start + offset}",
            initial={
                "item_fr": line.item_fr,
                "item_ar": line.item_ar,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": line.unit_price,
            },
        )
        rows.append(form)
    context = {"rows": rows, "total_forms": start + len(rows), "warning": kit_form.warning()}
    response = render(request, "projects/_kit_rows.html", context)
    response["HX-Trigger-After-Swap"] = "plan-changed"
    return response


@case_workers_only
@require_POST
def project_move(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get_for_user(request.user, pk)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        project_transition(project=project, target=request.POST.get("target", ""), by=request.user, comment=comment)
    except ValidationError as error:
        fields = set(getattr(error, "error_dict", {}))
        if "comment" in fields:  # the comment box is on this page: mark it there
            attach_errors(form, error)
            return project_detail_view(request, pk, comment_form=form)
        if fields and project.writable_by(request.user):  # the plan's fields: on the edit page
            messages.error(request, _("The project was not submitted: complete the fields marked below."))
            return redirect(f"{reverse('projects:edit', args=[project.pk])}?check=submitted#error-summary")
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Project status: %(status)s.") % {"status": ProjectStatus(request.POST["target"]).label}
        )
    return redirect("projects:detail", pk=project.pk)


@case_workers_only
@require_POST
@submitted_once
def planned_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get_for_user(request.user, pk)
    form = PlannedActionForm(request.POST)
    if form.is_valid():
        planned_action_add(project=project, by=request.user, **form.cleaned_data)
        messages.success(request, _("Action added to the plan."))
    else:
        messages.error(request, _("The planned action was not added: %(errors)s") % {"errors": errors_text(form)})
    return redirect("projects:detail", pk=project.pk)


@case_workers_only
def planned_done(request: HttpRequest, pk: int, planned_pk: int) -> HttpResponse:
    """Record a planned action as done: it goes into the case's accompaniment log."""
    project = project_get_for_user(request.user, pk)
    planned = open_planned_action_get(project, planned_pk)
    if not project.beneficiary.writable_by(request.user):
        raise PermissionDenied
    form = ActionForm(request.POST or None, initial={"kind": planned.kind, "description": planned.description})
    if request.method == "POST" and form.is_valid():
        try:
            planned_action_done(planned=planned, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Accompaniment action recorded."))
            return redirect("projects:detail", pk=project.pk)
    return render(
        request, "beneficiaries/action_form.html", {"form": form, "case": project.beneficiary, "planned": planned}
    )
