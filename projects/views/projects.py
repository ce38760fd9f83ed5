"""Life projects: the list, the page, the editing of the diagnosis and plan, the workflow."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beneficiaries.choices import ViewedPage
from beneficiaries.forms import ActionForm
from beneficiaries.selectors import beneficiary_get_for_user, duplicate_flag_detail
from beneficiaries.services import case_view_record
from projects.choices import CommitmentStatus, ProjectStatus
from projects.filters import ProjectFilter
from projects.forms import (
    CommentForm,
    EquipmentLineFormSet,
    FundForm,
    KitChoiceForm,
    PlannedActionForm,
    ProjectForm,
    line_rows,
    plan_typed,
)
from projects.plan import plan_totals
from projects.selectors import (
    envelopes_for,
    open_planned_action_get,
    project_detail,
    project_get_for_user,
    project_list,
)
from projects.services import (
    planned_action_add,
    planned_action_done,
    project_create,
    project_transition,
    project_update,
)
from projects.workflow import allowed_moves
from reintegration.decorators import case_workers_only
from reintegration.forms_util import attach_errors, errors_text
from reintegration.once import submitted_once
from reintegration.pagination import paginate


@case_workers_only
def project_list_view(request: HttpRequest) -> HttpResponse:
    filterset = ProjectFilter(request.GET, queryset=project_list(user=request.user), user=request.user)
    return render(
        request, "projects/project_list.html", {"filterset": filterset, "page": paginate(request, filterset.qs)}
    )


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
def project_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    project = project_detail(user, pk)
    case_view_record(case=project.beneficiary, user=user, page=ViewedPage.PROJECT)
    funding = user.is_hq and project.status == ProjectStatus.APPROVED
    context = {
        "project": project,
        "case": project.beneficiary,
        "moves": allowed_moves(project, user),
        "comment_form": CommentForm(),
        "can_edit": project.writable_by(user),
        "can_follow": project.followed_by(user),
        "fund_form": FundForm(envelopes=envelopes_for(project)) if funding else None,
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
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        fields = {name: form.cleaned_data[name] for name in ProjectForm.Meta.fields}
        try:
            project_update(project=project, by=user, fields=fields, lines=line_rows(lines))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Life project saved."))
            return redirect("projects:detail", pk=project.pk)
    context = {
        "form": form,
        "lines": lines,
        "project": project,
        "kit_form": KitChoiceForm(trade=project.trade),
        "totals": plan_typed(request.POST).totals if request.method == "POST" else _saved_totals(lines, project),
    }
    return render(request, "projects/project_form.html", context)


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
