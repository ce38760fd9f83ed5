"""The second factor's pages: set up an app, confirm a sign-in with a code, and an
administrator's reset (see ``reintegration.second_factor`` for the flow and who is asked)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from reintegration.decorators import administrators_only
from reintegration.forms import LoginForm, SecondFactorForm
from reintegration.second_factor import (
    CodeRefused,
    second_factor_enrol,
    second_factor_reset,
    second_factor_verify,
    totp_device_confirmed,
    totp_device_pending,
    totp_qr_svg,
    totp_secret_text,
)
from reintegration.selectors import account_get


class SignInView(auth_views.LoginView):
    """Django's sign-in, whose page says when a second factor is not asked (the demo)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "second_factor_required": settings.REQUIRE_SECOND_FACTOR}


def _code_form(request: HttpRequest, *, recovery: bool) -> SecondFactorForm:
    data = request.POST if request.method == "POST" else None
    initial = {"next": request.GET.get("next", "")}
    return SecondFactorForm(
        data, initial=initial, host=request.get_host(), secure=request.is_secure(), recovery=recovery
    )


def _keeping_query(request: HttpRequest, name: str) -> HttpResponse:
    query = request.GET.urlencode()
    return redirect(f"{reverse(name)}?{query}" if query else reverse(name))


def _refusal(refused: CodeRefused) -> str:
    if refused.throttled:
        return _("Too many wrong codes in a row: wait a few seconds, then type the code your app shows now.")
    return _("This code is not right. Type the code your app shows now, or an unused recovery code.")


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.needs_second_factor or user.is_verified():
        return redirect("home")
    if totp_device_confirmed(user) is None:
        return _keeping_query(request, "otp_enrol")
    form = _code_form(request, recovery=True)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_verify(request=request, user=user, code=form.cleaned_data["code"])
        except CodeRefused as refused:
            form.add_error("code", _refusal(refused))
        else:
            return redirect(form.cleaned_data["next"] or "home")
    return render(request, "registration/otp_verify.html", {"form": form})


@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.needs_second_factor or user.is_verified():
        return redirect("home")
    if totp_device_confirmed(user) is not None:
        return redirect("otp_verify")
    device = totp_device_pending(user=user)
    form = _code_form(request, recovery=False)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor_enrol(request=request, user=user, code=form.cleaned_data["code"])
        except CodeRefused as refused:
            form.add_error("code", _refusal(refused))
        else:
            # Shown in this answer only (no redirect): the codes are never put anywhere to be
            # shown again. The page is not kept by the browser (``Cache-Control: no-store``).
            context = {"codes": codes, "next": form.cleaned_data["next"]}
            return render(request, "registration/otp_recovery_codes.html", context)
    context = {"form": form, "qr_svg": totp_qr_svg(device), "secret": totp_secret_text(device)}
    return render(request, "registration/otp_enrol.html", context)


@administrators_only
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_get(pk)
    if request.method == "POST":
        second_factor_reset(request=request, user=account, by=request.user)
        messages.success(
            request,
            _("The second factor of %(username)s was reset: they will set up an app at their next sign-in.")
            % {"username": account.username},
        )
        return redirect("users:edit", pk=account.pk)
    return render(request, "reintegration/user_second_factor_reset.html", {"account": account})
