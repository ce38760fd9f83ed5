"""Files that are not what they claim, damaged, hostile or badly laid out: a clear message in the
user's language, and nothing written."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from beneficiaries.models import Beneficiary
from imports import cases, reading
from imports.choices import ImportStatus
from imports.models import ImportBatch
from imports.services import import_upload
from tests.imports.conftest import csv_bytes, person, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs(immediate, private_media):
    """Jobs run at once; files go to a temporary folder."""


@pytest.fixture
def check(django_capture_on_commit_callbacks, coordinator_a):
    def run(content: bytes, name: str = "cases.xlsx", *, encoding="auto"):
        with django_capture_on_commit_callbacks(execute=True), translation.override("en"):  # the cast's language
            batch = import_upload(
                by=coordinator_a,
                kind="cases",
                centre=coordinator_a.centre,
                upload=upload(content, name),
                encoding=encoding,
            )
        batch.refresh_from_db()
        return batch

    return run


def said(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


def refused_at_upload(check, content: bytes, name: str = "cases.xlsx") -> str:
    with pytest.raises(ValidationError) as refused:
        check(content, name)
    assert not ImportBatch.objects.exists() and not Beneficiary.objects.exists()
    return " ".join(refused.value.messages)


def file_error(batch) -> str:
    assert batch.status == ImportStatus.FAILED and batch.check_job.status == "failed"
    assert not Beneficiary.objects.exists()
    return batch.report["file_error"]


def test_a_pdf_named_xlsx_is_not_a_spreadsheet(check):
    message = refused_at_upload(check, b"%PDF-1.7\n1 0 obj <<>> endobj\n" + bytes(range(256)) * 20)
    assert "not a spreadsheet" in message


def test_an_image_named_csv_is_not_a_spreadsheet(check):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10
    assert "not a spreadsheet" in refused_at_upload(check, png, "cases.csv")


def test_a_password_protected_workbook_says_so(check):
    ole2 = reading.OLE2 + b"\x00" * 4000  # what Excel writes for an encrypted workbook (and an old .xls)
    assert "password" in refused_at_upload(check, ole2)


def test_a_zip_that_is_not_a_workbook(check):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "not an Excel workbook" in refused_at_upload(check, buffer.getvalue())


def test_a_truncated_workbook_is_damaged(check):
    content = xlsx_bytes([person()])
    assert "damaged" in refused_at_upload(check, content[: len(content) // 2])


def test_a_workbook_with_broken_parts_is_damaged(check):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")  # cut in the middle
    assert "damaged" in file_error(check(buffer.getvalue()))


def test_a_zip_bomb_is_refused_unread(check, monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED", 5 * 1024 * 1024)  # the rule, on a bomb small enough for a test
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (6 * 1024 * 1024))
    assert len(buffer.getvalue()) < 50_000  # 6 MB packed into a few kilobytes
    assert "cannot be read safely" in refused_at_upload(check, buffer.getvalue())


def test_a_hundred_megabytes_of_junk_is_refused_by_its_size(check):
    junk = b"\xff\xfe junk " * (100 * 1024 * 1024 // 8)
    assert "limit" in refused_at_upload(check, junk, "cases.csv")


def test_random_bytes_under_the_limit_are_not_a_spreadsheet(check):
    import random

    junk = random.Random(4).randbytes(200_000)
    assert "not a spreadsheet" in refused_at_upload(check, junk, "cases.csv")


def test_missing_and_renamed_columns_are_named(check):
    headers = ["Birthday" if column.key == "birth_date" else column.header() for column in cases.columns()]
    message = file_error(check(xlsx_bytes([person()], headers=headers)))
    assert said("Date of birth") in message and "Birthday" in message


def test_a_sheet_without_the_headers(check):
    message = file_error(check(b"name;age\nYoussef;35\n", "cases.csv"))
    assert "template" in message


def test_merged_header_cells_are_pointed_at(check):
    def merge(sheet):
        sheet["B1"] = None
        sheet.merge_cells("A1:B1")

    message = file_error(check(xlsx_bytes([person()], cells=merge)))
    assert said("First name (Arabic)") in message and "merged" in message


def test_a_title_row_above_the_headers_is_fine(check):
    def with_title(sheet):
        sheet.insert_rows(1)
        sheet["A1"] = "Liste des bénéficiaires 2024"

    batch = check(xlsx_bytes([person()], cells=with_title))
    assert batch.report["counts"] == {"rows": 1, "new": 1}


def test_formula_cells_are_problems(check, tmp_path):
    def formulas(sheet):
        sheet["G2"] = "=DATE(1990,3,15)"

    batch = check(xlsx_bytes([person()], cells=formulas))
    problem = batch.report["problems"][0]
    assert (problem["row"], problem["column"]) == (2, said("Date of birth")) and "formula" in problem["message"]
    path = tmp_path / "marked.xlsx"
    path.write_bytes(batch.check_job.result.read())
    assert "=" not in str(next(load_workbook(path).worksheets[0].iter_rows(min_row=2, values_only=True))[6])[:1]


def test_a_formula_typed_in_a_csv_is_a_problem_and_escaped_in_the_marked_copy(check, tmp_path):
    batch = check(csv_bytes([person(address='=HYPERLINK("http://x","y")')]), "cases.csv")
    assert batch.report["problems"][0]["column"] == said("Address")
    path = tmp_path / "marked.xlsx"
    path.write_bytes(batch.check_job.result.read())
    cells = [cell.value for cell in next(load_workbook(path).worksheets[0].iter_rows(min_row=2))]
    assert cells[8] == '\'=HYPERLINK("http://x","y")' and all(not str(c).startswith("=") for c in cells if c)


def test_empty_rows_between_records_are_skipped(check):
    def gaps(sheet):
        sheet.insert_rows(3, amount=4)

    batch = check(
        xlsx_bytes([person(), person(cin="XT900002", first_name_latin="Ahmed", first_name_ar="أحمد")], cells=gaps)
    )
    assert batch.report["counts"] == {"rows": 2, "new": 2}


def _workbook_with_empty_rows(rows: int, data: list[dict]) -> bytes:
    """A workbook whose sheet goes on with ``rows`` empty, formatted rows (as when a whole column is
    formatted in Excel), written straight as XML: openpyxl would take minutes to write them."""
    content = xlsx_bytes(data)
    source = zipfile.ZipFile(io.BytesIO(content))
    sheet = source.read("xl/worksheets/sheet1.xml").decode()
    start = len(data) + 2
    empty = "".join(f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(start, start + rows))
    sheet = sheet.replace("</sheetData>", empty + "</sheetData>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, sheet if item.filename == "xl/worksheets/sheet1.xml" else source.read(item))
    return buffer.getvalue()


def test_a_million_empty_rows_hold_nothing(check):
    message = file_error(check(_workbook_with_empty_rows(1_000_000, [])))
    assert "no row" in message


def test_records_above_a_million_empty_rows_are_read(check):
    assert check(_workbook_with_empty_rows(1_000_000, [person()])).report["counts"] == {"rows": 1, "new": 1}


def test_reading_stops_after_a_thousand_empty_lines(check):
    content = csv_bytes([person()]) + b";;;;;;;;;;;;;;;;;;;;\r\n" * 1_000_000  # 22 MB of empty lines
    batch = check(content, "cases.csv")
    assert batch.report["counts"] == {"rows": 1, "new": 1}
    assert said("Reading stopped at row %(row)s").split()[0] in batch.report["warnings"][0]


def test_too_many_rows_are_refused(check, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [person(cin=f"XT90000{n}", birth_date=f"0{n + 1}/01/1990") for n in range(4)]
    assert "more than 3 rows" in file_error(check(csv_bytes(rows), "cases.csv"))


@pytest.mark.parametrize(
    "encoding, chosen",
    [("utf-8-sig", "auto"), ("utf-8", "auto"), ("cp1256", "auto"), ("cp1256", "cp1256")],
)
def test_csv_encodings_arabic(check, encoding, chosen):
    arabic = [column.title("ar") for column in cases.columns()]  # Windows-1256 has no "É"
    batch = check(csv_bytes([person()], encoding=encoding, headers=arabic), "cases.csv", encoding=chosen)
    assert batch.report["counts"] == {"rows": 1, "new": 1}
    assert batch.report["encoding"] in (encoding, chosen)


def test_a_french_legacy_export_in_windows_1252(check):
    # Windows-1252 holds no Arabic: in such an export the Arabic columns hold Latin letters
    rows = [
        person(last_name_ar="Lefèvre", first_name_ar="Hélène", last_name_latin="Lefèvre", first_name_latin="Hélène")
    ]
    french = [column.title("fr") for column in cases.columns()]
    batch = check(csv_bytes(rows, encoding="cp1252", headers=french), "legacy.csv")
    assert batch.report["encoding"] == "cp1252"
    found = {(p["column"], p["value"]) for p in batch.report["problems"]}
    assert found == {(said("Last name (Arabic)"), "Lefèvre"), (said("First name (Arabic)"), "Hélène")}


def test_a_wrong_encoding_chosen_says_which_row(check):
    arabic = [column.title("ar") for column in cases.columns()]
    message = file_error(check(csv_bytes([person()], encoding="cp1256", headers=arabic), "cases.csv", encoding="utf-8"))
    assert (
        "UTF-8" in message and said("Line %(line)s").split()[0] in message and " 1 " in message
    )  # its header is in Arabic


def test_comma_separated_csv(check):
    batch = check(csv_bytes([person()], delimiter=","), "cases.csv")
    assert batch.report["counts"] == {"rows": 1, "new": 1}
