"""Sheets made for the tests: real XLSX and CSV files, with the template's headers."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from imports import cases
from tests.distributions.conftest import private_media  # noqa: F401 — shared fixture
from tests.jobs.conftest import immediate  # noqa: F401 — shared fixture

HEADERS = [column.header() for column in cases.columns()]


def person(**overrides) -> dict:
    """A fictitious person's row, by column key (CINs start with XT, which no real card uses)."""
    row = {
        "last_name_ar": "البناني",
        "first_name_ar": "يوسف",
        "last_name_latin": "Bennani",
        "first_name_latin": "Youssef",
        "cin": "XT900001",
        "sex": "Homme",
        "birth_date": "15/03/1990",
        "phone": "0612345678",
        "address": "12 rue de Fès",
        "province": "Meknès",
        "establishment": "Prison locale Toulal 2",
        "release_date": "01/06/2025",
        "release_type": "Fin de peine",
        "program": "",
        "education_level": "",
        "family_situation": "Célibataire",
        "dependants": "0",
        "skills": "",
        "work_experience": "",
        "notice_given_on": "10/06/2025",
        "consent_signed_on": "10/06/2025",
    }
    row.update(overrides)
    return row


def _lines(rows: list[dict], headers: list[str] | None) -> list[list]:
    keys = [column.key for column in cases.columns()]
    header = headers or HEADERS
    return [header, *[[row.get(key, "") for key in keys] for row in rows]]


def xlsx_bytes(rows: list[dict], *, headers: list[str] | None = None, cells=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in _lines(rows, headers):
        sheet.append(line)
    if cells:
        cells(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], *, encoding: str = "utf-8-sig", delimiter: str = ";", headers=None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for line in _lines(rows, headers):
        writer.writerow(line)
    return buffer.getvalue().encode(encoding)


def upload(content: bytes, name: str = "cases.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
