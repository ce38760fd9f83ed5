"""Helpers for data that exists in both Arabic and French."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language


def is_arabic() -> bool:
    return (get_language() or "").startswith("ar")


def name_order() -> str:
    """The column a bilingual name sorts by in the active language."""
    return "name_ar" if is_arabic() else "name_fr"


def localized(arabic: str, french: str) -> str:
    """The value in the active language (French stands in for English), else the other one."""
    preferred, other = (arabic, french) if is_arabic() else (french, arabic)
    return preferred or other


def set_language_cookie(response: HttpResponse, language: str) -> None:
    """Remember the interface language in the browser, with Django's cookie settings."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
