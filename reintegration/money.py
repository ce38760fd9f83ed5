"""Amounts in dirhams: always ``Decimal``, always two decimals, shown the Moroccan way."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import numberformat
from django.utils.translation import get_language

CENTIME = Decimal("0.01")

_UNIT = {"ar": "درهم", "fr": "DH", "en": "MAD"}
# Thousands are set apart by a narrow no-break space (U+202F), as French typography wants;
# unlike U+00A0 it also keeps the number in one piece inside right-to-left text in PDFs.
_SEPARATORS = {"ar": (",", "\u202f"), "fr": (",", "\u202f"), "en": (".", ",")}


def to_amount(value) -> Decimal:
    """Round to the centime (half up, as on a receipt)."""
    return Decimal(value).quantize(CENTIME, rounding=ROUND_HALF_UP)


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
