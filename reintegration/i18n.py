"""Helpers for data that exists in both Arabic and French."""

from django.utils.translation import get_language


def is_arabic() -> bool:
    return (get_language() or "").startswith("ar")


def localized(arabic: str, french: str) -> str:
    """The value in the active language (French stands in for English), else the other one."""
    preferred, other = (arabic, french) if is_arabic() else (french, arabic)
    return preferred or other
