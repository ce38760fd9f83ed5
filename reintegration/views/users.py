from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from reintegration.decorators import administrators_only
from reintegration.forms import UserCreateForm, UserFilterForm, UserUpdateForm
from reintegration.pagination import paginate
from reintegration.selectors import account_get, user_list
from reintegration.services import user_create, user_set_password, user_update

_PROFILE_FIELDS = ["username", "email", "first_name", "last_name", "role", "centre", "language"]


@administrators_only
def user_list_view(request: HttpRequest) -> HttpResponse:
    filters = UserFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(request, user_list(**{k: v for k, v in criteria.items() if v}))
    return render(request, "reintegration/user_list.html", {"filters": filters, "page": page})


@administrators_only
def user_create_view(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in _PROFILE_FIELDS}
        user = user_create(by=request.user, password=form.cleaned_data["password1"], **data)
        messages.success(request, _("The account %(username)s was created.") % {"username": user.username})
        return redirect("users:list")
    return render(request, "reintegration/user_form.html", {"form": form})


@administrators_only
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_get(pk)
    form = UserUpdateForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in [*_PROFILE_FIELDS, "is_active"]}
        user_update(user=account, by=request.user, **data)
        messages.success(request, _("The account %(username)s was saved.") % {"username": account.username})
        return redirect("users:list")
    return render(request, "reintegration/user_form.html", {"form": form, "account": account})


@administrators_only
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_get(pk)
    form = SetPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_set_password(user=account, password=form.cleaned_data["new_password1"], by=request.user)
        messages.success(request, _("A new password was set for %(username)s.") % {"username": account.username})
        return redirect("users:edit", pk=account.pk)
    return render(request, "reintegration/user_password.html", {"form": form, "account": account})
