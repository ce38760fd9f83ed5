from django.conf import settings
from django.utils import translation

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
