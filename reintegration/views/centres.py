from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reintegration.decorators import administrators_only
from reintegration.forms import CentreForm
from reintegration.models import Centre
from reintegration.selectors import centre_coordinators, centre_get_for_user, centre_list
from reintegration.services import centre_save


@login_required
def centre_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "reintegration/centre_list.html", {"centres": centre_list(user=request.user)})


@login_required
def centre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    centre = centre_get_for_user(request.user, pk)
    context = {
        "centre": centre,
        "coordinators": centre_coordinators(centre),
        "can_edit": centre.writable_by(request.user),
    }
    return render(request, "reintegration/centre_detail.html", context)


def _centre_form(request: HttpRequest, centre: Centre) -> HttpResponse:
    form = CentreForm(request.POST or None, instance=centre)
    if request.method == "POST" and form.is_valid():
        centre = centre_save(centre=form.instance, provinces=form.cleaned_data["provinces"], by=request.user)
        messages.success(request, _("The centre was saved."))
        return redirect("centres:detail", pk=centre.pk)
    return render(request, "reintegration/centre_form.html", {"form": form, "centre": centre})


@administrators_only
def centre_create(request: HttpRequest) -> HttpResponse:
    return _centre_form(request, Centre())


@login_required
def centre_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _centre_form(request, centre_get_for_user(request.user, pk, write=True))
