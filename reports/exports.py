"""A dashboard table as CSV or XLSX, with the page's filters, and the same figures as the page.

Figures are written as numbers (amounts with two decimals, counts whole) so that a spreadsheet
can add them up; a suppressed cell ("for publication") is written as its "< 3" text, never as
the number it hides. CSV is UTF-8 with a BOM (Excel opens it in the right encoding); text cells
that a spreadsheet would run as a formula are escaped.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from reintegration.i18n import is_arabic
from reports.dashboard import Dashboard
from reports.tables import AMOUNT, LABEL, SHARE, Row, Table, suppressed_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(table: Table, row: Row, key: str):
    column = next(column for column in table.columns if column.key == key)
    if key in row.suppressed:
        return suppressed_text()
    if column.kind == LABEL:
        value = row.label if key == table.columns[0].key else row.values.get(key, "")
        return "" if value is None else str(value)
    value = row.values.get(key)
    if value is None:
        return ""
    if column.kind == AMOUNT:
        return Decimal(value).quantize(Decimal("0.01"))
    if column.kind == SHARE:
        return Decimal(value)
    return value


def rows_of(table: Table) -> list[list]:
    """Header, rows and total as lists of cells."""
    keys = [column.key for column in table.columns]
    lines = [[str(column.label) for column in table.columns]]
    for row in [*table.rows, *([table.total] if table.total else [])]:
        lines.append([_cell(table, row, key) for key in keys])
    return lines


def _preamble(dashboard: Dashboard, table: Table) -> list[list]:
    lines = [[str(table.title)]]
    for label, value in dashboard.filters.active:
        lines.append([str(label), value])
    if dashboard.publication:
        lines.append([_("For publication: figures about fewer than %(count)s people are hidden.") % _min_cell()])
    if table.note:
        lines.append([str(table.note)])
    lines.append([])
    return lines


def _min_cell() -> dict:
    return {"count": settings.PUBLICATION_MIN_CELL}


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(dashboard: Dashboard, table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in [*_preamble(dashboard, table), *rows_of(table)]:
        writer.writerow([_safe(value) for value in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(dashboard: Dashboard, table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    sheet.sheet_view.rightToLeft = is_arabic()
    preamble = _preamble(dashboard, table)
    for line in preamble:
        sheet.append([_safe(value) for value in line])
    header_row = len(preamble) + 1
    body = rows_of(table)
    for line in body:
        sheet.append([_safe(value) for value in line])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    amounts = [index for index, column in enumerate(table.columns, start=1) if column.kind == AMOUNT]
    for row in sheet.iter_rows(min_row=header_row + 1):
        for index in amounts:
            row[index - 1].number_format = "#,##0.00"
    if table.total is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 40
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
