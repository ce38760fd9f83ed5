"""Moroccan phone numbers: stored as E.164 (``+212612345678``), shown ``06 12 34 56 78``."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_phone(raw: str) -> str:
    """``06 12-34 56 78``, ``0612345678``, ``+212 6 12 34 56 78`` → ``+212612345678``."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "MA")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number, for example 06 12 34 56 78."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """``+212612345678`` → ``06 12 34 56 78``; a foreign number keeps its international form."""
    if not e164:
        return ""
    if e164.startswith("+212") and len(e164) == 13:
        national = "0" + e164[4:]
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
