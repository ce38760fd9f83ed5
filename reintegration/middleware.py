from django.conf import settings
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
