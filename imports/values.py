"""Cell values as the sheets that centres keep write them, read into Python values.

Each reader takes a cell's value as the file gave it (text from a CSV; text, a number, a date or
``None`` from a workbook) and returns the value to store, or raises ``ValidationError`` with a
message that says what was expected. Empty cells are ``None`` here: the column decides whether
that is allowed.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from beneficiaries.cin import normalize_cin, validate_cin
from beneficiaries.names import normalize_arabic
from reintegration.phones import normalize_phone

Reader = Callable[[object], object]

# Excel's serial day numbers that are plausible dates here: 1900-01-01 to 2100-12-31.
SERIAL_RANGE = (1, 73415)
_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
# Digits are ASCII ones (Arabic-Indic ones are turned into them first, ``_DIGITS``): "¹" or "²"
# pass ``str.isdigit`` and ``\d`` takes other scripts' digits, and neither ``int`` nor ``float``
# reads all of them.
_DATE_DMY = re.compile(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2,4})$")
_DATE_YMD = re.compile(r"^([0-9]{4})[/.\-]([0-9]{1,2})[/.\-]([0-9]{1,2})$")
_SERIAL = re.compile(r"[0-9]+(\.0+)?")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_CURRENCY = re.compile(r"(?i)(dh|mad|dhs|درهم|د\.م\.?)$")
# Arabic-Indic digits, as some sheets typed on an Arabic keyboard have them.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")


@lru_cache(maxsize=16_384)  # a sheet writes the same provinces, sexes, headers thousands of times
def fold(text: str) -> str:
    """A header or a choice as typed, reduced to what identifies it: no case, accents, stars,
    extra spaces; Arabic without its diacritics and letter variants."""
    text = unicodedata.normalize("NFKD", str(text)).translate(_DIGITS)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = normalize_arabic(text.replace("*", " ")).casefold()
    return " ".join(text.replace("’", "'").split())


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(max_length: int) -> Reader:
    def read(value) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime | datetime.date):
            raise ValidationError(_("A date was read where text is expected."))
        result = " ".join(str(value).split())
        if len(result) > max_length:
            raise ValidationError(
                _("At most %(max)s characters (this has %(count)s).") % {"max": max_length, "count": len(result)}
            )
        return result

    return read


def name(script: str) -> Reader:
    """A name in its column's script ("ar" or "latin"); the import moves a name written in the
    other script when its own column is empty (``swap_scripts``)."""
    plain = text(100)

    def read(value) -> str:
        result = plain(value)
        if any(c.isdigit() for c in result):
            raise ValidationError(_("A name has no digits."))
        return result.title() if script == "latin" and not _ARABIC.search(result) else result

    return read


def script_of(value: str) -> str:
    """ "ar" if the text is written in Arabic letters, "latin" if in Latin ones, "" if neither or both."""
    arabic, latin = bool(_ARABIC.search(value)), bool(_LATIN.search(value))
    return "ar" if arabic and not latin else "latin" if latin and not arabic else ""


def date(value) -> datetime.date:
    """dd/mm/yyyy (or with - or .), yyyy-mm-dd, a workbook's date, or an Excel serial number."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    raw = str(value).strip().translate(_DIGITS)
    if _SERIAL.fullmatch(raw):
        return _serial(float(raw))
    raw = raw.split(" ")[0]  # "12/03/2021 00:00:00", as some exports write dates
    if match := _DATE_YMD.match(raw):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DATE_DMY.match(raw):
        day, month, year = (int(part) for part in match.groups())
        if year < 100:
            raise ValidationError(_("Write the year in full (four digits), e.g. 15/03/2021."))
    else:
        raise ValidationError(_("Not a date: write it as dd/mm/yyyy, e.g. 15/03/2021."))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(_("This date does not exist.")) from None


def _serial(number: float) -> datetime.date:
    if not (SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1]) or number != int(number):
        raise ValidationError(_("Not a date: write it as dd/mm/yyyy, e.g. 15/03/2021."))
    return from_excel(int(number)).date()


def amount(*, max_digits: int = 12, decimal_places: int = 2) -> Reader:
    """1234.5, 1 234,50, 1.234,50, 1,234.50, "12 000 DH": spaces or dots as thousands separators,
    a comma or a dot as the decimal mark (the last one written, when both are)."""
    limit = Decimal(10) ** (max_digits - decimal_places)

    def read(value) -> Decimal:
        if isinstance(value, bool | datetime.date):
            raise ValidationError(_("Not an amount: write it in figures, e.g. 12 500,00."))
        number = Decimal(str(value)) if isinstance(value, int | float) else _decimal_text(str(value))
        if not number.is_finite():
            raise ValidationError(_("Not an amount: write it in figures, e.g. 12 500,00."))
        if number < 0:
            raise ValidationError(_("An amount cannot be negative."))
        if number >= limit:
            raise ValidationError(_("This amount is too large."))
        if number != number.quantize(Decimal(1).scaleb(-decimal_places)):
            raise ValidationError(_("At most %(places)s decimals.") % {"places": decimal_places})
        return number.quantize(Decimal(1).scaleb(-decimal_places))

    return read


def _decimal_text(raw: str) -> Decimal:
    raw = _CURRENCY.sub("", _SPACES.sub("", raw.translate(_DIGITS)).strip())
    if not re.fullmatch(r"[0-9.,]+|-[0-9.,]+", raw) or not any(c.isdigit() for c in raw):
        raise ValidationError(_("Not an amount: write it in figures, e.g. 12 500,00."))
    negative, raw = raw.startswith("-"), raw.lstrip("-")
    marks = [c for c in raw if c in ",."]
    if marks:
        decimal_mark = marks[-1]
        whole, _sep, fraction = raw.rpartition(decimal_mark)
        if marks.count(decimal_mark) > 1:
            # "1.234.567": every mark a thousands separator, each followed by three digits
            if not re.fullmatch(r"\d{1,3}([.,]\d{3})+", raw) or len(set(marks)) > 1:
                raise ValidationError(_("Not an amount: write it in figures, e.g. 12 500,00."))
            whole, fraction = raw.replace(decimal_mark, ""), ""
        thousands = [c for c in whole if c in ",."]
        if thousands and not re.fullmatch(r"\d{1,3}([.,]\d{3})*", whole):
            raise ValidationError(_("Not an amount: write it in figures, e.g. 12 500,00."))
        raw = whole.replace(",", "").replace(".", "") + ("." + fraction if fraction else "")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(_("Not an amount: write it in figures, e.g. 12 500,00.")) from None
    return -number if negative else number


def whole_number(*, maximum: int) -> Reader:
    def read(value) -> int:
        try:
            number = Decimal(str(value).strip().translate(_DIGITS).replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("Write a whole number, e.g. 2.")) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValidationError(_("Write a whole number, e.g. 2."))
        if not 0 <= number <= maximum:
            raise ValidationError(_("Between 0 and %(max)s.") % {"max": maximum})
        return int(number)

    return read


def cin(value) -> str:
    result = normalize_cin(str(value))
    validate_cin(result)
    return result


def phone(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip()
    if raw.isascii() and raw.isdigit() and len(raw) == 9:  # a phone stored as a number loses its leading 0
        raw = "0" + raw
    return normalize_phone(raw)


def choice(options: Callable[[], Iterable[tuple[object, Iterable[str]]]], *, what: Callable[[], str]) -> Reader:
    """One of ``options()``: (value stored, ways it may be written), compared folded. The table is
    built on first use: make the reader for one run (reference data can change between runs)."""
    table: dict[str, object] = {}

    def read(value):
        if not table:
            for stored, names in options():
                for written in names:
                    table.setdefault(fold(written), stored)
        found = table.get(fold(value))
        if found is None:
            raise ValidationError(_("Not one of the %(what)s: see the list in the template.") % {"what": what()})
        return found

    return read


def labels_of(choices: type[models.TextChoices]) -> Callable[[], list[tuple[str, list[str]]]]:
    """A TextChoices' values with their labels in Arabic, French and English."""

    def options() -> list[tuple[str, list[str]]]:
        result = []
        for value, label in choices.choices:
            names = [value]
            for language in ("ar", "fr", "en"):
                with translation.override(language):
                    names.append(str(label))
            result.append((value, names))
        return result

    return options


def in_language(language: str, label) -> str:
    with translation.override(language):
        return str(label)


def coded(model) -> Callable[[], list[tuple[object, list[str]]]]:
    """A reference table's rows (province, program, trade), each written by its code or its
    French or Arabic name."""

    def options() -> list[tuple[object, list[str]]]:
        return [(row, [row.code, row.name_fr, row.name_ar]) for row in model.objects.all()]

    return options


def label_list(choices: type[models.TextChoices]) -> list[str]:
    """A TextChoices' labels in the active language: the template's drop-down list."""
    return [str(label) for _value, label in choices.choices]
