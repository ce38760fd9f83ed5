"""Amounts in dirhams: always ``Decimal``, always two decimals, shown the Moroccan way, and read
back however people type them."""

import re
from decimal import ROUND_HALF_UP, Context, Decimal

from django.utils import numberformat
from django.utils.translation import get_language

CENTIME = Decimal("0.01")

_UNIT = {"ar": "درهم", "fr": "DH", "en": "MAD"}
# Thousands are set apart by a narrow no-break space (U+202F), as French typography wants;
# unlike U+00A0 it also keeps the number in one piece inside right-to-left text in PDFs.
_SEPARATORS = {"ar": (",", "\u202f"), "fr": (",", "\u202f"), "en": (".", ",")}


def to_amount(value) -> Decimal:
    """Round to the centime (half up, as on a receipt).

    However large the number: ``quantize`` refuses a result longer than the context's precision
    (28 digits by default), so the precision is made to fit.
    """
    number = Decimal(value)
    precision = max(28, number.adjusted() + 4) if number.is_finite() else 28
    return number.quantize(CENTIME, rounding=ROUND_HALF_UP, context=Context(prec=precision))


def amount_style(*, language: str | None = None) -> tuple[str, str, str]:
    """The decimal separator, thousands separator and unit of ``format_amount`` (for scripts
    that add amounts up on the page and must write them the same way)."""
    lang = (language or get_language() or "fr")[:2]
    return (*_SEPARATORS.get(lang, _SEPARATORS["fr"]), _UNIT.get(lang, "DH"))


def format_amount(value, *, language: str | None = None, unit: bool = True) -> str:
    """``2 576 296,77 DH`` in French, ``2 576 296,77 درهم`` in Arabic, ``2,576,296.77 MAD`` in English.

    Spaces are non-breaking (narrow within the number), so an amount never wraps across lines.
    """
    if value is None or value == "":
        return ""
    lang = (language or get_language() or "fr")[:2]
    decimal_sep, thousand_sep = _SEPARATORS.get(lang, _SEPARATORS["fr"])
    number = numberformat.format(
        to_amount(value),
        decimal_sep,
        decimal_pos=2,
        grouping=3,
        thousand_sep=thousand_sep,
        force_grouping=True,
    )
    return f"{number}\u00a0{_UNIT.get(lang, 'DH')}" if unit else number


def format_number(value, *, decimals: int = 0, language: str | None = None) -> str:
    """A count or a rate the Moroccan way: ``12 345`` in French and Arabic, ``12,345`` in English."""
    if value is None or value == "":
        return ""
    lang = (language or get_language() or "fr")[:2]
    decimal_sep, thousand_sep = _SEPARATORS.get(lang, _SEPARATORS["fr"])
    return numberformat.format(
        Decimal(value), decimal_sep, decimal_pos=decimals, grouping=3, thousand_sep=thousand_sep, force_grouping=True
    )


def format_percent(value, *, language: str | None = None) -> str:
    """``12,5 %`` (a narrow no-break space before the sign, as in French)."""
    if value is None or value == "":
        return ""
    lang = (language or get_language() or "fr")[:2]
    number = format_number(value, decimals=1, language=lang)
    return f"{number}%" if lang == "en" else f"{number}\u202f%"


# --- Reading a number as typed ----------------------------------------------------------

# Arabic-Indic (٠١٢…) and Eastern Arabic / Persian (۰۱۲…) digits, read as 0-9.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Direction marks that copying from right-to-left text brings along, and the BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))
# Thousands separators that never mean a decimal point: spaces (plain, no-break, narrow
# no-break, thin, figure) and the Arabic thousands separator.
_GROUPING = " \u00a0\u202f\u2009\u2007\u066c"
_ARABIC_DECIMAL = "\u066b"  # ٫
_TYPED_UNIT = re.compile(r"^(?:dhs?|mad)\s*|\s*(?:dhs?|mad|درهم|دراهم)\.?$", re.IGNORECASE)
_SPACES = re.compile(f"[{_GROUPING[:5]}]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_PLAIN = re.compile(r"[0-9]*")
_MAX_LENGTH = 60  # a longer text is not an amount anyone typed


class NotANumber(ValueError):
    """The text cannot be read as a decimal number."""


def parse_decimal(text: str, *, language: str | None = None) -> Decimal:
    """A decimal number as people type it in Morocco, exactly: ``Decimal("1234.56")`` for
    ``1 234,56``, ``1234.56``, ``1 234.56``, ``1234,56``, ``١٬٢٣٤٫٥٦``, ``1.234,56``...

    - digits: Western, Arabic-Indic or Eastern Arabic (Persian);
    - decimal mark: a comma, a point, or the Arabic ``٫``; when a comma and a point are both
      there, the last one is the decimal mark and the other separates thousands;
    - thousands: spaces of any kind, ``٬``, or a repeated comma or point (``1.234.567``); groups
      after the first have exactly three digits, so ``12 34`` is refused rather than guessed;
    - a single comma or point is the decimal mark, except in English, where ``1,234`` reads as
      the app shows it there (one thousand two hundred and thirty-four);
    - a leading minus sign, and a ``DH``, ``MAD`` or ``درهم`` after the number, are allowed.

    No exponent (``1e26``), no ``NaN`` or ``Infinity``: ``NotANumber``. The value keeps the
    decimals typed (``"1,5"`` is ``Decimal("1.5")``), the caller judges how many it allows.
    """
    text = str(text)
    if len(text) > _MAX_LENGTH:
        raise NotANumber(text)
    text = _TYPED_UNIT.sub("", text.translate(_INVISIBLE).translate(_DIGITS).strip()).strip()
    text = _SPACES.sub(" ", text.replace("\u2212", "-").replace("\u060c", ","))
    negative = text.startswith("-")
    if negative:
        text = text[1:]
    decimal_mark, grouping = _decimal_mark(text, (language or get_language() or "fr")[:2])
    whole, fraction = text, ""
    if decimal_mark:
        if text.count(decimal_mark) != 1:
            raise NotANumber(text)
        whole, fraction = text.split(decimal_mark)
    groups = re.split(f"[{re.escape(grouping)}]", whole)
    if len(groups) > 1 and not (
        1 <= len(groups[0]) <= 3 and _PLAIN.fullmatch(groups[0]) and all(len(g) == 3 for g in groups[1:])
    ):
        raise NotANumber(text)
    whole = "".join(groups)
    if not (_PLAIN.fullmatch(whole) and _PLAIN.fullmatch(fraction)) or not (whole or fraction):
        raise NotANumber(text)
    number = Decimal(f"{whole or '0'}.{fraction}" if fraction else whole)
    return -number if negative else number


def _decimal_mark(text: str, language: str) -> tuple[str, str]:
    """The decimal mark in ``text`` ("" for none) and the characters that separate thousands."""
    if _ARABIC_DECIMAL in text:
        return _ARABIC_DECIMAL, _GROUPING + ",."
    commas, points = text.count(","), text.count(".")
    if commas and points:
        mark = "," if text.rfind(",") > text.rfind(".") else "."
        return mark, _GROUPING + ("." if mark == "," else ",")
    if commas == 1 and language == "en" and _GROUPED.fullmatch(text):
        return "", _GROUPING + ","
    if commas == 1 or points == 1:
        return ("," if commas else "."), _GROUPING
    return "", _GROUPING + ",."


def amount_limit(max_digits: int, decimal_places: int) -> Decimal:
    """The largest value a ``DecimalField(max_digits, decimal_places)`` holds: 999 999 999 999,99 for (14, 2)."""
    return Decimal(10) ** (max_digits - decimal_places) - Decimal(10) ** -decimal_places
