"""Importing a sheet: the templates, the upload, the check's report, the import's confirmation."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beneficiaries.cin import mask_cin
from imports import template
from imports.choices import ImportKind, ImportStatus
from imports.forms import ConfirmForm, UploadForm
from imports.kinds import KINDS
from imports.selectors import import_get_for_user, import_list_for_user
from imports.services import import_confirm, import_upload
from jobs.models import Job
from jobs.services import job_fail_stale
from reintegration.forms_util import attach_errors, error_links
from reintegration.once import submitted_once
from reintegration.pagination import paginate


def _may_import(user) -> bool:
    return user.is_hq or user.is_coordinator


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    if not _may_import(request.user):
        raise PermissionDenied
    page = paginate(request, import_list_for_user(user=request.user))
    return render(request, "imports/import_list.html", {"page": page})


@login_required
@submitted_once
def import_new(request: HttpRequest) -> HttpResponse:
    if not _may_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            batch = import_upload(
                by=request.user,
                kind=form.cleaned_data["kind"],
                centre=form.centre_chosen(),
                upload=form.cleaned_data["file"],
                encoding=form.cleaned_data["encoding"],
                event=form.cleaned_data["event"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("imports:detail", pk=batch.pk)
    kinds = [(value, label) for value, label in ImportKind.choices if value in KINDS]
    return render(request, "imports/import_new.html", {"form": form, "kinds": kinds, "error_links": error_links(form)})


@login_required
def import_template(request: HttpRequest, kind: str, extension: str) -> HttpResponse:
    if not _may_import(request.user):
        raise PermissionDenied
    if kind not in KINDS or extension not in ("xlsx", "csv"):
        raise Http404
    columns = KINDS[kind].template_columns()
    if extension == "xlsx":
        content = template.template_xlsx(columns)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, content_type = template.template_csv(columns), "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_("template")}-{kind}.{extension}"'
    return response


def _detail_context(request, batch, form=None) -> dict:
    kind = KINDS[batch.kind]
    report = batch.result if batch.status == ImportStatus.IMPORTED else batch.report
    counts = report.get("counts", {})
    outcomes = [(label, counts.get(code, 0)) for code, label in kind.outcomes.items()]
    user = request.user
    if not user.sees_full_cin and report.get("problems"):
        report = {**report, "problems": [_masked(problem) for problem in report["problems"]]}
    return {
        "batch": batch,
        "report": report,
        # the file again holds every CIN as typed: its starter's and administrators' (a personal job)
        "marked_copy": bool(batch.check_job and batch.check_job.result)
        and Job.objects.visible_to(user).filter(pk=batch.check_job_id).exists(),
        "outcomes": outcomes,
        "job": batch.import_job if batch.import_job and batch.status != ImportStatus.CHECKED else batch.check_job,
        "form": form
        or (ConfirmForm(kind=batch.kind) if batch.importable and batch.writable_by(request.user) else None),
        "can_write": batch.writable_by(request.user),
    }


def _masked(problem: dict) -> dict:
    return {**problem, "value": mask_cin(problem["value"])} if problem.get("key") == "cin" else problem


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job_fail_stale()
    batch = import_get_for_user(user=request.user, pk=pk)
    return render(request, "imports/import_detail.html", _detail_context(request, batch))


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's report card alone, polled while its job runs."""
    job_fail_stale()
    batch = import_get_for_user(user=request.user, pk=pk)
    return render(request, "imports/_import_report.html", _detail_context(request, batch))


@login_required
@require_POST
@submitted_once
def import_start(request: HttpRequest, pk: int) -> HttpResponse:
    batch = import_get_for_user(user=request.user, pk=pk, write=True)
    form = ConfirmForm(request.POST, kind=batch.kind)
    if form.is_valid():
        try:
            import_confirm(batch=batch, by=request.user, **form.choices())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect("imports:detail", pk=batch.pk)
    return render(request, "imports/import_detail.html", _detail_context(request, batch, form), status=400)
