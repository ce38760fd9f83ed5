"""Workbooks written row by row into a file, in bounded memory: an XLSX workbook of several
sheets, or a zip of CSV files, one per sheet.

Each sheet goes straight into its entry of the zip (deflated as it is written), so that a million
rows take no more memory than one batch of them. The XLSX is SpreadsheetML written here rather
than through openpyxl's write-only workbook: openpyxl spends some 20 µs on each cell in its XML
serializer (31 s for 100,000 rows of 16 cells on the bench machine, minutes for the national
data set), this writer well under 1 µs. Strings are inline, dates and amounts carry a number
format (``dd/mm/yyyy``, ``#,##0.00``), the header row is bold and frozen, and a sheet in Arabic
reads right to left. A sheet longer than a spreadsheet holds (1,048,576 rows) goes on in a
second sheet of the same title, numbered.

Cells follow ``reintegration.tables``: its kinds of column (text, money, number, date) and its
rule for text that a spreadsheet would run as a formula (``formula_safe``).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape, quoteattr  # nosec B406 # escapes what we write; parses nothing

from django.utils import timezone
from openpyxl.utils import get_column_letter

from reintegration.tables import DATE, MONEY, NUMBER, TEXT, formula_safe

CENT = Decimal("0.01")
MAX_ROWS = 1_048_576  # rows in one sheet of a spreadsheet, the header included
MAX_TEXT = 32_767  # characters in one cell
# Characters XML 1.0 cannot carry, even escaped; a pasted text may hold some.
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Day 0 of spreadsheet dates (1899-12-30, so that 1900-03-01 is day 61 as in Excel).
EPOCH = datetime.date(1899, 12, 30).toordinal()
FLUSH_EVERY = 500  # rows joined before they are written to the zip
COMPRESSION = 4  # deflate: near level 6's size (+12 %) in half its time on these sheets

Column = tuple[str, str]  # (header, kind)


def _day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _text(value) -> str:
    return ILLEGAL.sub("", formula_safe(str(value)))[:MAX_TEXT]


class Book:
    """Sheets one after the other: ``sheet(title, columns)`` writes the header row, ``write(row)``
    one row of values in the columns' order (None or "" for an empty cell), ``close()`` the end.
    Used as a context manager, it closes itself; the file it writes to stays the caller's."""

    def __init__(self, target: IO[bytes]):
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION)

    def __enter__(self) -> Book:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.close()
        else:  # stopped half-way (a cancel): the file is thrown away, only the zip is let go
            self._end_sheet()
            self.zip.close()

    def sheet(self, title: str, columns: Sequence[Column], *, name: str = "") -> None:
        """Begin a sheet: its title, its columns (header, kind) and, for a file of its own, its
        file name without extension (``case-files``)."""
        raise NotImplementedError

    def write(self, row: Sequence) -> None:
        raise NotImplementedError

    def _end_sheet(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self._end_sheet()
        self.zip.close()


# --- XLSX -------------------------------------------------------------------------------------

STYLE_DATE, STYLE_MONEY, STYLE_HEADER = 1, 2, 3
WIDTHS = {TEXT: 24, MONEY: 14, NUMBER: 10, DATE: 12}

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"

STYLES = (
    f"{XML}<styleSheet {NS}>"
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


# A cell is written ``<c r="B7`` then its tail: what follows its reference, which depends on its
# value alone, so that a value met again (a province, a status, a day, a price) costs a lookup.
def _string_tail(value) -> str:
    text = _text(value)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def _money_tail(value) -> str:
    return f'" s="{STYLE_MONEY}"><v>{Decimal(value).quantize(CENT)}</v></c>'


def _number_tail(value) -> str:
    return f'"><v>{value}</v></c>'


def _date_tail(value) -> str:
    return f'" s="{STYLE_DATE}"><v>{_day(value).toordinal() - EPOCH}</v></c>'


TAILS = {TEXT: _string_tail, MONEY: _money_tail, NUMBER: _number_tail, DATE: _date_tail}
CACHE_SIZE = 10_000  # tails kept by column: repeated values are met early; unique ones (a CIN) stop it


def _cell_writer(kind: str) -> Callable[[str, object], str]:
    """One column's cell at a reference (``B7``): nothing for None or "", the tail cached.

    Emptiness is asked of the value's class, not ``value == ""``: a ``Decimal`` compared to a
    string goes through the ``numbers`` ABCs, a microsecond a cell on a million rows."""
    make, cache = TAILS[kind], {}

    def cell(ref: str, value) -> str:
        if value is None or (value.__class__ is str and not value):
            return ""
        try:
            tail = cache[value]
        except KeyError:
            tail = make(value)
            if len(cache) < CACHE_SIZE:
                cache[value] = tail
        return f'<c r="{ref}{tail}'

    return cell


def sheet_title(title: str, taken: set[str]) -> str:
    """A title a spreadsheet accepts: 31 characters at most, none of ``[]:*?/\\``, no apostrophe
    at either end, unlike the others (in any case)."""
    base = "".join(" " if char in "[]:*?/\\" else char for char in str(title)).strip("' ")[:31] or "Sheet"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


class XlsxBook(Book):
    """An XLSX workbook (see the module's docstring); ``right_to_left`` for sheets in Arabic."""

    max_rows = MAX_ROWS

    def __init__(self, target: IO[bytes], *, right_to_left: bool = False):
        super().__init__(target)
        self.right_to_left = right_to_left
        self.titles: list[str] = []
        self._taken: set[str] = set()
        self._out = None
        self._columns: Sequence[Column] = ()
        self._title = ""

    def sheet(self, title: str, columns: Sequence[Column], *, name: str = "") -> None:
        self._end_sheet()
        self._title, self._columns = str(title), columns
        self._begin(self._title)

    def _begin(self, title: str) -> None:
        self.titles.append(sheet_title(title, self._taken))
        self._out = self.zip.open(f"xl/worksheets/sheet{len(self.titles)}.xml", "w")
        self._letters = [get_column_letter(index) for index in range(1, len(self._columns) + 1)]
        self._cells = [_cell_writer(kind) for _header, kind in self._columns]
        self._row, self._pending = 1, []
        direction = ' rightToLeft="1"' if self.right_to_left else ""
        selected = ' tabSelected="1"' if len(self.titles) == 1 else ""
        widths = "".join(
            f'<col min="{index}" max="{index}" width="{WIDTHS[kind]}" customWidth="1"/>'
            for index, (_header, kind) in enumerate(self._columns, start=1)
        )
        header = "".join(
            f'<c r="{letter}1" s="{STYLE_HEADER}{_string_tail(label)}'
            for letter, (label, _kind) in zip(self._letters, self._columns, strict=True)
        )
        self._out.write(
            (
                f'{XML}<worksheet {NS} {NS_R}><sheetViews><sheetView{direction}{selected} workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                f'<sheetFormatPr defaultRowHeight="15"/>{"<cols>" + widths + "</cols>" if widths else ""}'
                f'<sheetData><row r="1">{header}</row>'
            ).encode()
        )

    def write(self, row: Sequence) -> None:
        if self._row >= self.max_rows:  # the sheet is full: the same title goes on, numbered
            self._end_sheet()
            self._begin(self._title)
        self._row += 1
        n = str(self._row)
        cells = "".join(
            [cell(letter + n, value) for cell, letter, value in zip(self._cells, self._letters, row, strict=True)]
        )
        self._pending.append(f'<row r="{n}">{cells}</row>')
        if len(self._pending) >= FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        self._out.write("".join(self._pending).encode())
        self._pending = []

    def _end_sheet(self) -> None:
        if self._out is None:
            return
        self._flush()
        self._out.write(b"</sheetData></worksheet>")
        self._out.close()
        self._out = None

    def close(self) -> None:
        self._end_sheet()
        count = len(self.titles)
        sheets = "".join(
            f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
            for n, title in enumerate(self.titles, start=1)
        )
        self.zip.writestr("xl/workbook.xml", f"{XML}<workbook {NS} {NS_R}><sheets>{sheets}</sheets></workbook>")
        relations = "".join(
            f'<Relationship Id="rId{n}" Type="{DOCUMENT_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1)
        )
        relations += f'<Relationship Id="rId{count + 1}" Type="{DOCUMENT_RELS}/styles" Target="styles.xml"/>'
        self.zip.writestr(
            "xl/_rels/workbook.xml.rels", f'{XML}<Relationships xmlns="{PACKAGE_RELS}">{relations}</Relationships>'
        )
        self.zip.writestr("xl/styles.xml", STYLES)
        self.zip.writestr(
            "_rels/.rels",
            f'{XML}<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SPREADSHEETML}.worksheet+xml"/>'
            for n in range(1, count + 1)
        )
        self.zip.writestr(
            "[Content_Types].xml",
            f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEETML}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{SPREADSHEETML}.styles+xml"/>'
            f"{overrides}</Types>",
        )
        self.zip.close()


# --- CSV files in a zip -----------------------------------------------------------------------


def _csv_value(kind: str, value):
    if value is None or value == "":
        return ""
    if kind == MONEY:
        return Decimal(value).quantize(CENT)
    if kind == NUMBER:
        return value
    if kind == DATE:
        return _day(value).strftime("%d/%m/%Y")
    return formula_safe(str(value))


class CsvZipBook(Book):
    """One CSV file a sheet, in a zip: UTF-8 with a byte-order mark first (so that spreadsheet
    programs read the Arabic), dates ``dd/mm/yyyy`` and amounts with two decimals, as in
    ``reintegration.tables.to_csv``; each file is named by its sheet's ``name``."""

    def __init__(self, target: IO[bytes]):
        super().__init__(target)
        self.names: list[str] = []
        self._raw = self._text = None

    def sheet(self, title: str, columns: Sequence[Column], *, name: str = "") -> None:
        self._end_sheet()
        name = f"{name or 'sheet'}.csv"
        self.names.append(name)
        self._raw = self.zip.open(name, "w")
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8", newline="")
        self._text.write("\ufeff")
        self._writer = csv.writer(self._text)
        self._kinds = [kind for _header, kind in columns]
        self._writer.writerow([formula_safe(str(header)) for header, _kind in columns])

    def write(self, row: Sequence) -> None:
        self._writer.writerow([_csv_value(kind, value) for kind, value in zip(self._kinds, row, strict=True)])

    def _end_sheet(self) -> None:
        if self._text is not None:
            self._text.close()  # closes the zip entry under it
            self._text = self._raw = None
