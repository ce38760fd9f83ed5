"""The workbooks written row by row (``reintegration.spreadsheets``): what a spreadsheet reads
back from them, a sheet that outgrows a spreadsheet, and text no spreadsheet should run."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from reintegration.spreadsheets import CsvZipBook, XlsxBook, sheet_title
from reintegration.tables import DATE, MONEY, NUMBER, TEXT

COLUMNS = [("Name", TEXT), ("Amount", MONEY), ("Count", NUMBER), ("Day", DATE)]


def xlsx(rows, *, columns=COLUMNS, title="People", **options):
    output = io.BytesIO()
    with XlsxBook(output, **options) as book:
        book.sheet(title, columns)
        for row in rows:
            book.write(row)
    return load_workbook(io.BytesIO(output.getvalue()))


def test_it_writes_text_amounts_numbers_and_dates_as_a_spreadsheet_reads_them():
    book = xlsx([["Fès", Decimal("1234.5"), 3, datetime.date(2026, 5, 24)], ["مكناس", None, "", None]])
    sheet = book.active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Name", "Amount", "Count", "Day"],
        ["Fès", 1234.5, 3, datetime.datetime(2026, 5, 24)],
        ["مكناس", None, None, None],
    ]
    assert [cell.number_format for cell in sheet[2]] == ["General", "#,##0.00", "General", "dd/mm/yyyy"]
    assert all(cell.font.b for cell in sheet[1]) and sheet.freeze_panes == "A2"


def test_a_time_of_day_is_written_as_its_day_in_casablanca():
    moment = datetime.datetime(2026, 6, 1, 23, 30, tzinfo=datetime.UTC)  # already 2 June in Morocco (UTC+1)
    assert xlsx([["x", None, None, moment]]).active["D2"].value == datetime.datetime(2026, 6, 2)


def test_text_a_spreadsheet_would_run_is_escaped_and_unreadable_characters_dropped():
    sheet = xlsx([["=1+1", None, None, None], ["@A1", None, None, None], ["a\x00b\x1fc", None, None, None]]).active
    assert [sheet["A2"].value, sheet["A3"].value, sheet["A4"].value] == ["'=1+1", "'@A1", "abc"]


def test_markup_and_spaces_in_a_text_come_back_as_typed():
    assert xlsx([[" <b>Tom & Jerry</b> ", None, None, None]]).active["A2"].value == " <b>Tom & Jerry</b> "


def test_a_sheet_longer_than_a_spreadsheet_goes_on_in_a_numbered_one(monkeypatch):
    monkeypatch.setattr(XlsxBook, "max_rows", 3)  # the header and two rows a sheet
    book = xlsx([[f"p{n}", None, n, None] for n in range(5)])
    assert book.sheetnames == ["People", "People (2)", "People (3)"]
    assert [[row[0] for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets] == [
        ["Name", "p0", "p1"],
        ["Name", "p2", "p3"],
        ["Name", "p4"],
    ]


def test_an_arabic_sheet_reads_right_to_left():
    assert xlsx([], right_to_left=True).active.sheet_view.rightToLeft


def test_sheet_titles_are_ones_a_spreadsheet_accepts():
    taken = set()
    assert sheet_title("Dossiers: 2026/05 [all]", taken) == "Dossiers  2026 05  all"
    assert sheet_title("DOSSIERS  2026 05  ALL", taken) == "DOSSIERS  2026 05  ALL (2)"
    assert len(sheet_title("x" * 40, taken)) == 31


def test_the_csv_files_are_utf8_with_a_byte_order_mark_dates_and_amounts_as_the_lists_write_them():
    output = io.BytesIO()
    with CsvZipBook(output) as book:
        book.sheet("People", COLUMNS, name="people")
        book.write(["=cmd", Decimal("12.5"), 2, datetime.date(2026, 5, 24)])
        book.sheet("Empty", [("Name", TEXT)], name="empty")
    archive = zipfile.ZipFile(output)
    assert archive.namelist() == ["people.csv", "empty.csv"]
    raw = archive.read("people.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(raw.decode("utf-8-sig")))) == [
        ["Name", "Amount", "Count", "Day"],
        ["'=cmd", "12.50", "2", "24/05/2026"],
    ]
