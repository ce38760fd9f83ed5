"""The national ID number (CIN): one or two letters then digits, e.g. ``AB123456``."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-_./]+")
_CIN = re.compile(r"^[A-Z]{1,2}[0-9]{3,8}$")


def normalize_cin(raw: str) -> str:
    """Upper case, without spaces, dashes, dots: ``ab-123 456`` → ``AB123456``."""
    return _SEPARATORS.sub("", raw or "").upper()


def validate_cin(value: str) -> None:
    if value and not _CIN.match(value):
        raise ValidationError(
            _("A CIN is one or two letters followed by digits, for example AB123456."), code="invalid_cin"
        )


def looks_like_cin(text: str) -> bool:
    return bool(_CIN.match(normalize_cin(text)))


def mask_cin(value: str) -> str:
    """``AB123456`` → ``AB••••56``: enough to tell two people apart, not enough to reuse."""
    if not value:
        return ""
    letters = re.match(r"^[A-Z]*", value).group(0)
    digits = value[len(letters) :]
    if len(digits) <= 2:
        return letters + "•" * len(digits)
    return letters + "•" * (len(digits) - 2) + digits[-2:]
