"""HQ's approval queue: the submitted projects, longest-waiting first, approved several at once."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from projects.choices import ProjectStatus
from projects.forms import ProjectBatchForm
from projects.selectors import projects_in_status
from projects.services import projects_transition
from reintegration.decorators import hq_only
from reintegration.once import submitted_once
from reintegration.pagination import paginate


@hq_only
@submitted_once
def approve_batch(request: HttpRequest) -> HttpResponse:
    """Each project ticked is approved as if alone (its own transition, by this user), all of
    them or none; then on to funding them, with the same projects already ticked."""
    queue = projects_in_status(user=request.user, status=ProjectStatus.SUBMITTED)
    form = ProjectBatchForm(request.POST if request.method == "POST" else None, projects=queue)
    if request.method == "POST" and form.is_valid():
        try:
            approved = projects_transition(
                projects=form.cleaned_data["projects"], target=ProjectStatus.APPROVED, by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = len(approved)
            messages.success(
                request,
                ngettext(
                    "%(count)s project approved: choose the envelope that funds it.",
                    "%(count)s projects approved: choose the envelope that funds them.",
                    count,
                )
                % {"count": count},
            )
            return redirect(f"{reverse('projects:fund_batch')}?{urlencode([('projects', p.pk) for p in approved])}")
    chosen = {str(pk) for pk in form["projects"].value() or ()}
    page = paginate(request, queue, per_page=50)
    rows = [(project, str(project.pk) in chosen) for project in page.object_list]
    return render(request, "projects/approve_batch.html", {"form": form, "page": page, "rows": rows})
