from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from reintegration.forms import LanguageSwitchForm
from reintegration.i18n import set_language_cookie
from reintegration.services import user_set_language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps the choice on every device."""
    form = LanguageSwitchForm(request.POST, host=request.get_host(), secure=request.is_secure())
    form.is_valid()  # an unknown language changes nothing; a foreign or odd "next" goes home
    response = HttpResponseRedirect(form.cleaned_data.get("next") or reverse("home"))
    language = form.cleaned_data.get("language")
    if language and check_for_language(language):
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
        set_language_cookie(response, language)
    return response
