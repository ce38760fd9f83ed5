"""The national ID number (CIN): one or two letters then digits, e.g. ``AB123456``."""

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
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


# --- Searching by CIN ---------------------------------------------------------------------
# A role that sees CINs masked may search by what the mask shows, never by more: otherwise a
# list that narrows to one file for the right number, and to none for a wrong one, would
# confirm a number the page hides (and ten suffix searches would reveal each hidden digit).

_MASKED = re.compile(r"^([A-Z]{1,2})([•*]{1,8})([0-9]{0,2})$")
_DIGITS = re.compile(r"^[0-9]{1,8}$")
SHOWN_DIGITS = 2  # what ``mask_cin`` leaves visible at the end


@dataclass(frozen=True)
class CinSearch:
    """A search box's text read as a CIN, reduced to what the searching role may match on.

    ``exact``: the whole number (roles that see CINs in full). Otherwise the files whose CIN
    starts with ``letters`` (any, when empty), has ``hidden`` digits before the last ones
    (any number, when None) and ends with ``shown``. ``reduced`` says that the text said more
    than the role may search by (a full number, or more final digits than the mask shows).
    """

    exact: str = ""
    letters: str = ""
    hidden: int | None = None
    shown: str = ""
    reduced: bool = False

    @property
    def masked(self) -> str:
        """How the search reads once reduced: ``AB••••57``, or ``…57`` for final digits."""
        if self.exact:
            return self.exact
        return self.letters + ("•" * self.hidden if self.hidden is not None else "…") + self.shown


def cin_search(text: str, *, full: bool) -> CinSearch | None:
    """The CIN the text searches for, or None when it is not one (a name, then).

    A full number, the masked form (``AB••••57``, or with ``*``) or final digits alone; a role
    that sees CINs masked (``full=False``) searches a full number by its masked form, and
    final digits by the last two only.
    """
    value = normalize_cin(text)
    if _CIN.match(value):
        if full:
            return CinSearch(exact=value)
        value, reduced = mask_cin(value), True
    else:
        reduced = False
    if masked := _MASKED.match(value):
        letters, hidden, shown = masked.groups()
        return CinSearch(letters=letters, hidden=len(hidden), shown=shown, reduced=reduced)
    if _DIGITS.match(value):
        if full:
            return CinSearch(shown=value)
        return CinSearch(shown=value[-SHOWN_DIGITS:], reduced=len(value) > SHOWN_DIGITS)
    return None


def cin_digest(text: str) -> str:
    """The keyed hash (HMAC-SHA256) a CIN lookup is recorded under, never the number itself.

    Keyed with ``settings.CIN_LOOKUP_HASH_KEY``: without the key, the 10^8 possible numbers
    cannot be hashed one by one to read the log back; with it, an audit asks "was this number
    looked up, by whom?" by hashing that one number (the admin's search does).
    """
    key = settings.CIN_LOOKUP_HASH_KEY.encode()
    return hmac.new(key, normalize_cin(text).encode(), hashlib.sha256).hexdigest()
