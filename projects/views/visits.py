"""Follow-up visits after the handover, and their photos."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from projects.forms import VisitForm
from projects.selectors import project_get_for_user, visit_get, visit_photo_get
from projects.services import visit_photo_add, visit_record
from reintegration.decorators import case_workers_only
from reintegration.forms import PhotoForm
from reintegration.forms_util import attach_errors
from reintegration.once import submitted_once
from reintegration.uploads import file_response


@case_workers_only
@submitted_once
def visit_edit(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    user = request.user
    project = project_get_for_user(user, pk)
    visit = visit_get(project, visit_pk)
    if not project.followed_by(user):
        raise PermissionDenied
    form = VisitForm(request.POST or None, instance=visit)
    photo_form = PhotoForm(request.POST or None, request.FILES or None) if "image" in request.FILES else PhotoForm()
    if request.method == "POST" and "image" in request.FILES:
        if photo_form.is_valid():
            try:
                visit_photo_add(visit=visit, upload=photo_form.cleaned_data["image"], by=user)
            except ValidationError as error:
                attach_errors(photo_form, error)
            else:
                messages.success(request, _("Photo added."))
                return redirect("projects:visit", pk=project.pk, visit_pk=visit.pk)
        form = VisitForm(instance=visit)
    elif request.method == "POST" and form.is_valid():
        try:
            visit_record(visit=visit, by=user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Follow-up visit recorded."))
            return redirect("projects:detail", pk=project.pk)
    context = {"project": project, "visit": visit, "form": form, "photo_form": photo_form}
    return render(request, "projects/visit_form.html", context)


@case_workers_only
def visit_photo(request: HttpRequest, pk: int, visit_pk: int, photo_pk: int) -> FileResponse:
    project = project_get_for_user(request.user, pk)
    photo = visit_photo_get(project, visit_pk=visit_pk, pk=photo_pk)
    return file_response(photo.image, filename="photo")
