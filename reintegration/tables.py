"""Lists as tables: the column a user sorts by, and the filtered set written as CSV or XLSX.

Sorting is read from ``?sort=<key>`` or ``?sort=-<key>``, the key checked against the list's own
whitelist (anything else falls back to the list's default order: a URL never reaches
``order_by`` unchecked). The headers are links built from the current query string, so the
filters stay in the URL; ``reintegration.templatetags.tables.sort_header`` draws them.

Exports write what the page lists, through the same selector and filters. A text cell that a
spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return first) is
written with a leading apostrophe; numbers stay numbers so that a spreadsheet can add them up.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from reintegration.i18n import is_arabic

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- Sorting ----------------------------------------------------------------------------------


def person_sort(path: str = "") -> tuple[str, str]:
    """A person's "person" sort key, reached through ``path`` (``"project__beneficiary__"``):
    last then first name, in the script of the page's language."""
    script = "ar" if is_arabic() else "latin"
    return (f"{path}last_name_{script}", f"{path}first_name_{script}")


@dataclass(frozen=True)
class Sorting:
    """The order a list is shown in: ``key`` (one of ``columns``) and its direction.

    ``columns`` maps each sortable key to the fields it orders by; ``default`` is a key, with a
    ``-`` first for a descending default. The list's primary key is always the last tiebreaker, so
    that pages never overlap.
    """

    columns: dict[str, tuple[str, ...]]
    key: str
    descending: bool
    default: str

    @classmethod
    def from_request(cls, request: HttpRequest, columns: dict[str, tuple[str, ...]], *, default: str) -> Sorting:
        asked = request.GET.get("sort", "")
        key, descending = asked.removeprefix("-"), asked.startswith("-")
        if key not in columns:
            key, descending = default.removeprefix("-"), default.startswith("-")
        return cls(columns=columns, key=key, descending=descending, default=default)

    @property
    def value(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def order_by(self) -> list:
        fields = [*self.columns[self.key], "pk"]
        if self.descending:
            return [F(name).desc(nulls_last=True) for name in fields]
        return [F(name).asc(nulls_last=True) for name in fields]

    def apply(self, queryset: QuerySet) -> QuerySet:
        return queryset.order_by(*self.order_by())

    def next_value(self, key: str) -> str:
        """The ``sort`` value a header link sets: the other direction on the current column,
        ascending on another one."""
        if key == self.key:
            return key if self.descending else f"-{key}"
        return key

    def aria(self, key: str) -> str:
        if key != self.key:
            return "none"
        return "descending" if self.descending else "ascending"


# --- Exports ----------------------------------------------------------------------------------

TEXT, MONEY, NUMBER, DATE = "text", "money", "number", "date"


@dataclass(frozen=True)
class Column:
    """One exported column: its header, how to read it from a row, its kind, and the key of
    its figure in the list's totals (``total_line``) when the total row sums it."""

    label: str
    get: Callable
    kind: str = TEXT
    sums: str = ""


def total_line(columns: Sequence[Column], totals: dict) -> list:
    """The total row: "Total" first, then each summed column's figure under it."""
    return [gettext("Total"), *[totals.get(column.sums, "") if column.sums else "" for column in columns[1:]]]


def formula_safe(value):
    """A text that a spreadsheet would run as a formula, with a leading apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(column: Column, row):
    value = column.get(row)
    if value is None or value == "":
        return ""
    if column.kind == MONEY:
        return Decimal(value).quantize(Decimal("0.01"))
    if column.kind == NUMBER:
        return value
    if column.kind == DATE:
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date()
        return value
    return formula_safe(str(value))


def _lines(columns: Sequence[Column], rows: Iterable, total: list | None) -> Iterable[list]:
    yield [formula_safe(str(column.label)) for column in columns]
    for row in rows:
        yield [_cell(column, row) for column in columns]
    if total is not None:
        yield [_total_cell(column, value) for column, value in zip(columns, total, strict=True)]


def _total_cell(column: Column, value):
    if isinstance(value, str):
        return formula_safe(value)
    return Decimal(value).quantize(Decimal("0.01")) if column.kind == MONEY else value


def to_csv(columns: Sequence[Column], rows: Iterable, *, total: list | None = None) -> bytes:
    """UTF-8 with a byte-order mark first, so that spreadsheet programs read the Arabic."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _lines(columns, rows, total):
        writer.writerow([value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else value for value in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(columns: Sequence[Column], rows: Iterable, *, title: str, total: list | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _safe_sheet_title(title)
    sheet.sheet_view.rightToLeft = is_arabic()
    for line in _lines(columns, rows, total):
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 14 if column.kind != TEXT else 24
        if column.kind in (MONEY, DATE):
            style = "#,##0.00" if column.kind == MONEY else "DD/MM/YYYY"
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = style
    if total is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _safe_sheet_title(title: str) -> str:
    return "".join(" " if char in "[]:*?/\\" else char for char in str(title))[:31] or "Sheet"


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(
    fmt: str, *, name: str, title: str, columns: Sequence[Column], rows: Iterable, total: list | None = None
) -> HttpResponse:
    """The rows as a CSV or XLSX download (a 404 for any other format), never cached."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    body = to_csv(columns, rows, total=total) if fmt == "csv" else to_xlsx(columns, rows, title=title, total=total)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
