"""Sheets of any kind made for the tests: real XLSX and CSV files with the kind's template
headers, rows given by column key (``tests.imports.conftest`` builds the case files' ones)."""

import csv
import io

from openpyxl import Workbook


def _lines(columns, rows: list[dict]) -> list[list]:
    return [[column.header() for column in columns], *[[row.get(column.key, "") for column in columns] for row in rows]]


def xlsx_of(columns, rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in _lines(columns, rows):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_of(columns, rows: list[dict], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for line in _lines(columns, rows):
        writer.writerow(line)
    return buffer.getvalue().encode(encoding)
