"""An uploaded spreadsheet read as rows of cells, whatever made it, or refused with a reason.

The type comes from the file's bytes, never its name: a workbook is a zip holding
``xl/workbook.xml``; a password-protected workbook (and an old ``.xls``) is an OLE2 container,
which is named as such; anything else must decode as text to be read as CSV. A workbook is
opened only after its zip directory shows it stays small once unpacked (a zip bomb is refused
unread), and read in openpyxl's streaming mode; a CSV is decoded as it is read. Both give rows
one at a time, so memory stays flat whatever the number of rows; reading stops after
``EMPTY_ROWS_END`` empty rows in a row (a sheet formatted down to row 1,000,000 holds nothing
more), and refuses a sheet of more than ``settings.IMPORT_MAX_ROWS`` rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

XLSX, CSV = "xlsx", "csv"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
EMPTY_ROWS_END = 1000
# A workbook whose parts unpack to more than this is refused unread.
MAX_UNPACKED = 250 * 1024 * 1024
MAX_PARTS = 2000
SAMPLE = 64 * 1024
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")

FORMULA = object()  # a workbook cell holding a formula: the row says which


def refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def file_type(path: Path) -> str:
    """ "xlsx" or "csv", read from the bytes; ``ValidationError`` for anything else."""
    if path.stat().st_size == 0:  # its size limit is checked before it is stored (imports.services)
        raise refuse(_("This file is empty."), "empty")
    with path.open("rb") as handle:
        head = handle.read(SAMPLE)
    if head.startswith(OLE2):
        raise refuse(
            _(
                "This workbook is protected by a password, or is an old Excel 97-2003 (.xls) file. "
                "Open it in Excel, remove the password, save it as “Excel workbook (.xlsx)” and upload it again."
            ),
            "protected",
        )
    if head.startswith(ZIP):
        _check_workbook_zip(path)
        return XLSX
    if b"\x00" in head or _looks_binary(head):
        raise refuse(
            _("This is not a spreadsheet: upload the .xlsx workbook or a .csv file (see the template)."), "type"
        )
    return CSV


def _looks_binary(head: bytes) -> bool:
    """Control characters other than tab and line ends make up more than 1 % of the sample."""
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return controls > len(head) / 100


def _check_workbook_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refuse(
            _("This workbook is damaged: open it in Excel, save it again and upload the copy."), "broken"
        ) from None
    if "xl/workbook.xml" not in names:
        raise refuse(
            _("This is not an Excel workbook (.xlsx): save the sheet as .xlsx or .csv and upload it again."), "type"
        )
    if "EncryptedPackage" in names:
        raise refuse(
            _("This workbook is protected by a password: remove it in Excel and upload it again."), "protected"
        )
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED:
        raise refuse(
            _("This workbook opens to more than %(limit)s: it cannot be read safely. Split it into smaller files.")
            % {"limit": filesizeformat(MAX_UNPACKED)},
            "bomb",
        )


# --- Encodings ---------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without its byte-order mark) if the whole file decodes as such; otherwise
    Windows-1256 when most of its non-ASCII letters read as Arabic that way, else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    arabic = accented = 0
    utf8 = True
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            if not utf8:
                for char in chunk.decode("cp1256", errors="replace"):
                    if ord(char) > 127 and char.isalpha():
                        if _ARABIC_LETTER.match(char):
                            arabic += 1
                        else:
                            accented += 1
    if utf8:
        with path.open("rb") as handle:
            return "utf-8-sig" if handle.read(3) == codecs.BOM_UTF8 else "utf-8"
    return "cp1256" if arabic >= accented else "cp1252"


# --- Rows --------------------------------------------------------------------------------


@dataclass
class Sheet:
    """Rows of a file: (row number as the user sees it, cells), one at a time.

    ``stopped_at`` is set when reading stopped on ``EMPTY_ROWS_END`` empty rows before the end.
    """

    path: Path
    kind: str
    encoding: str = ""
    stopped_at: int = 0
    name: str = ""
    _closers: list = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list]]:
        source = self._workbook_rows() if self.kind == XLSX else self._csv_rows()
        empty_run = 0
        data_rows = 0
        for number, cells in source:
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                empty_run += 1
                if empty_run >= EMPTY_ROWS_END:
                    self.stopped_at = number
                    return
                continue
            empty_run = 0
            data_rows += 1
            if data_rows > settings.IMPORT_MAX_ROWS + 1:  # + the header row
                raise refuse(
                    _("This file has more than %(max)s rows: split it into several files.")
                    % {"max": settings.IMPORT_MAX_ROWS},
                    "too_many_rows",
                )
            yield number, cells

    def _workbook_rows(self) -> Iterator[tuple[int, list]]:
        """Read by calamine (Rust, a tenth of openpyxl's time); a workbook holding formulas by
        openpyxl, which tells a formula cell from a value (calamine gives only the last value
        computed), so that the check can say where each formula is."""
        if not _has_formulas(self.path):
            yield from self._calamine_rows()
            return
        yield from self._openpyxl_rows()

    def _calamine_rows(self) -> Iterator[tuple[int, list]]:
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(self.path))
            visible = [sheet.name for sheet in workbook.sheets_metadata if str(sheet.visible).endswith("Visible")]
            if not visible:
                raise refuse(_("This workbook has no sheet of data."), "empty")
            sheet = workbook.get_sheet_by_name(visible[0])
            self.name = sheet.name
            first_row = sheet.start[0] if sheet.start else 0
            for index, row in enumerate(sheet.iter_rows()):
                yield first_row + index + 1, row
        except ValidationError:
            raise
        except (CalamineError, Exception) as error:  # a damaged part, a bad zip entry...
            logger.warning("unreadable workbook: %s", type(error).__name__)
            raise refuse(
                _("This workbook is damaged: open it in Excel, save it again and upload the copy."), "broken"
            ) from None

    def rows_estimate(self) -> int:
        """How many rows the file has, for the progress bar."""
        if self.kind == CSV:
            with self.path.open("rb") as handle:
                return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) + 1
        try:
            from python_calamine import CalamineWorkbook

            workbook = CalamineWorkbook.from_path(str(self.path))
            return max((workbook.get_sheet_by_index(0).total_height or 0), 1)
        except Exception:  # the pass itself says what is wrong with the file
            return 1

    def _openpyxl_rows(self) -> Iterator[tuple[int, list]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=False)
        except Exception as error:  # openpyxl raises many kinds of errors on a damaged file
            logger.warning("unreadable workbook: %s", type(error).__name__, exc_info=True)
            raise refuse(
                _("This workbook is damaged: open it in Excel, save it again and upload the copy."), "broken"
            ) from None
        try:
            sheet = _data_sheet(workbook)
            self.name = sheet.title
            try:
                for number, row in enumerate(sheet.iter_rows(), start=1):
                    yield number, [FORMULA if cell.data_type == "f" else cell.value for cell in row]
            except ValidationError:
                raise
            except Exception as error:
                logger.warning("unreadable workbook: %s", type(error).__name__, exc_info=True)
                raise refuse(
                    _("This workbook is damaged: open it in Excel, save it again and upload the copy."), "broken"
                ) from None
        finally:
            workbook.close()

    def _csv_rows(self) -> Iterator[tuple[int, list]]:
        encoding = self.encoding or detect_encoding(self.path)
        self.encoding = encoding
        if bad_line := _first_undecodable_line(self.path, encoding):
            raise refuse(
                _("Line %(line)s cannot be read as %(encoding)s: choose the file's encoding and upload it again.")
                % {"line": bad_line, "encoding": encoding.upper()},
                "encoding",
            )
        with self.path.open("rb") as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
            dialect = _dialect(text.read(SAMPLE))
            text.seek(0)
            number = 0
            try:
                for number, row in enumerate(csv.reader(text, dialect), start=1):
                    yield number, row
            except csv.Error:
                raise refuse(
                    _("Row %(row)s is not a valid CSV line (an unclosed quote?).") % {"row": number + 1}, "csv"
                ) from None


def _dialect(sample: str) -> type[csv.Dialect]:
    """Excel's CSV with the separator of the header line: a comma, or the semicolon French
    versions of Excel write, or a tab."""
    try:
        delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0] or ",", delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return type("Sheet", (csv.excel,), {"delimiter": delimiter})


def _first_undecodable_line(path: Path, encoding: str) -> int:
    """The line of the first byte that does not decode (0 when all do)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return lines + chunk[: error.start].count(b"\n") + 1
            lines += chunk.count(b"\n")
    return 0


def _has_formulas(path: Path) -> bool:
    """Whether a sheet of the workbook holds a formula (an ``<f>`` element), read part by part."""
    with zipfile.ZipFile(path) as archive:
        for part in archive.infolist():
            if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
                continue
            with archive.open(part) as handle:
                tail = b""
                while chunk := handle.read(1 << 20):
                    text = tail + chunk
                    if b"<f>" in text or b"<f " in text or b"<f/>" in text:
                        return True
                    tail = text[-4:]
    return False


def _data_sheet(workbook):
    """The first visible sheet (the template's, before its instructions and lists)."""
    for sheet in workbook.worksheets:
        if sheet.sheet_state == "visible":
            return sheet
    raise refuse(_("This workbook has no sheet of data."), "empty")
