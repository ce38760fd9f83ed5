"""A job's page (its progress polled by htmx), the list of one's jobs, cancelling, the result file."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jobs.selectors import job_get_for_user, job_list_for_user
from jobs.services import job_cancel, job_fail_stale
from reintegration.pagination import paginate
from reintegration.uploads import file_response


@login_required
def job_list_view(request: HttpRequest) -> HttpResponse:
    job_fail_stale()
    page = paginate(request, job_list_for_user(user=request.user))
    return render(request, "jobs/job_list.html", {"page": page})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job_fail_stale()
    job = job_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "jobs/job_detail.html",
        {"job": job, "can_cancel": job.writable_by(request.user), "job_result_days": settings.JOB_RESULT_DAYS},
    )


@never_cache
@login_required
def job_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's status card alone, polled by its page until the job has finished."""
    job_fail_stale()
    job = job_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "jobs/_job_status.html",
        {"job": job, "can_cancel": job.writable_by(request.user), "job_result_days": settings.JOB_RESULT_DAYS},
    )


@login_required
@require_POST
def job_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_get_for_user(user=request.user, pk=pk, write=True)
    try:
        job_cancel(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The job is being cancelled: nothing it was doing is kept."))
    return redirect("jobs:detail", pk=job.pk)


# The files a job makes that are not of an uploaded kind (``file_response`` serves PDFs and
# images as their bytes show): a download of the type its name says, under that name.
MADE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = job_get_for_user(user=request.user, pk=pk)
    if not job.result:
        raise Http404
    extension = job.result_name.rpartition(".")[2].lower()
    if extension not in MADE_TYPES:
        return file_response(job.result, filename=job.result_name)
    response = FileResponse(
        job.result.open("rb"), as_attachment=True, filename=job.result_name, content_type=MADE_TYPES[extension]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
