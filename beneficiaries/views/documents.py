"""Scanned documents: uploaded into the case, served only through the case's scope."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beneficiaries.choices import ViewedPage
from beneficiaries.forms import DocumentForm
from beneficiaries.selectors import beneficiary_get_for_user, document_get_for_user
from beneficiaries.services import case_view_record, document_attach, document_remove
from reintegration.decorators import case_workers_only
from reintegration.forms_util import attach_errors
from reintegration.once import submitted_once
from reintegration.uploads import file_response


@case_workers_only
@submitted_once
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = beneficiary_get_for_user(request.user, pk, write=True)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document_attach(
                case=case, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Document added to the case file."))
            return redirect("beneficiaries:detail", pk=case.pk)
    return render(request, "beneficiaries/document_form.html", {"form": form, "case": case})


@case_workers_only
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    document = document_get_for_user(request.user, pk, document_pk)
    case_view_record(case=document.beneficiary, user=request.user, page=ViewedPage.DOCUMENT, document=document)
    return file_response(document.file, filename=document.original_name)


@case_workers_only
@require_POST
def document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = document_get_for_user(request.user, pk, document_pk)
    document_remove(document=document, by=request.user)
    messages.success(request, _("Document removed."))
    return redirect("beneficiaries:detail", pk=pk)
