"""The templates to fill in: a workbook with the columns' headers in French and Arabic, an
instructions sheet, and drop-down lists taken from the reference tables; or the same headers as a
CSV file."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from imports.engine import Column

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
REQUIRED_FILL = PatternFill("solid", fgColor="F7E2B6")


def template_xlsx(columns: list[Column]) -> bytes:
    workbook = Workbook()
    data = workbook.active
    data.title = _("Rows")
    data.sheet_view.rightToLeft = False
    for index, column in enumerate(columns, start=1):
        cell = data.cell(row=1, column=index, value=column.header())
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        data.column_dimensions[get_column_letter(index)].width = 24
    data.freeze_panes = "A2"
    _instructions(workbook.create_sheet(_("Instructions")), columns)
    _lists(workbook, data, columns)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(sheet, columns: list[Column]) -> None:
    sheet.append([_("How to fill in this workbook")])
    sheet["A1"].font = Font(bold=True, size=13)
    for line in (
        _("One row per record, from row 2 of the first sheet. Keep the headers of row 1 (in French or Arabic)."),
        _("Columns in orange are required. Dates as dd/mm/yyyy; amounts in figures (12 500,00 or 12500.00)."),
        _("Type values, not formulas. Do not merge cells. Leave no empty row between records."),
        _("At most %(rows)s rows per file. Upload it: a check lists every problem before anything is saved.")
        % {"rows": settings.IMPORT_MAX_ROWS},
    ):
        sheet.append([line])
    sheet.append([])
    sheet.append([_("Column"), _("Required"), _("What to write"), _("Example")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        sheet.append(
            [column.header(), _("Yes") if column.required else _("No"), str(column.help or ""), column.example]
        )
    for letter, width in zip("ABCD", (42, 10, 60, 18), strict=True):
        sheet.column_dimensions[letter].width = width


def _lists(workbook, data, columns: list[Column]) -> None:
    """A hidden sheet of each column's allowed values, and a drop-down on the column using it."""
    listed = [column for column in columns if column.options]
    if not listed:
        return
    lists = workbook.create_sheet(_("Lists"))
    lists.sheet_state = "hidden"
    last_row = settings.IMPORT_MAX_ROWS + 1
    for list_index, column in enumerate(listed, start=1):
        options = column.options()
        lists.cell(row=1, column=list_index, value=column.header())
        for row, option in enumerate(options, start=2):
            lists.cell(row=row, column=list_index, value=option)
        letter = get_column_letter(list_index)
        source = f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(options) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=not column.required)
        validation.error = _("Choose a value from the list.")
        validation.showErrorMessage = True
        data.add_data_validation(validation)
        target = get_column_letter(columns.index(column) + 1)
        validation.add(f"{target}2:{target}{last_row}")


def template_csv(columns: list[Column]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerow([column.header() for column in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
