from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from reintegration.i18n import set_language_cookie


class UserLanguageMiddleware:
    """Speak the signed-in user's chosen language on every device they use.

    ``LocaleMiddleware`` has already picked a language from the cookie or the
    browser; a user's saved preference wins over both, and the cookie is
    brought in line so that the login page after a logout speaks it too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        preferred = user.language if user is not None and user.is_authenticated else ""
        if preferred and preferred != request.LANGUAGE_CODE:
            translation.activate(preferred)
            request.LANGUAGE_CODE = preferred
        response = self.get_response(request)
        if preferred and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != preferred:
            set_language_cookie(response, preferred)
        return response


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in user.

    Centres share computers: a browser (or a proxy) must not keep a copy of a case file, a
    list of names, an export or a dashboard once the page is left. The rule is every answer
    to a signed-in user rather than a list of views, so that no new page can forget it. An
    answer that sets its own ``Cache-Control`` keeps it (documents and PDFs already say
    ``no-store``; the public receipt check says ``never_cache``); static files are served before
    this runs (WhiteNoise, or the development server's handler) and anonymous pages are left as
    they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` (settings.PERMISSIONS_POLICY) on every answer: the browser features
    no page uses are switched off, so injected code could not reach them either."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.policy
        return response


class SecondFactorMiddleware:
    """Until a code is accepted, a user who needs a second factor (``User.needs_second_factor``)
    gets only the second-factor pages, sign-out and the language switch: every other page sends
    them to ``otp_verify``, with the page asked for as ``next``. Runs after django-otp's
    ``OTPMiddleware``, which tells whether this session is verified (``user.is_verified()``).
    Static files are served before any middleware (WhiteNoise, the development server).
    """

    OPEN_URL_NAMES = ("otp_verify", "otp_enrol", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.needs_second_factor and not user.is_verified():
            match = _resolve(request.path_info)
            if match is None or match.view_name not in self.OPEN_URL_NAMES:
                target = reverse("otp_verify")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(target)
        return self.get_response(request)


def _resolve(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None
