"""One pass over an uploaded sheet: find its header, read each row's cells into values, let the
kind of import check them against the database (and write them, on the import's pass), and keep
a report: counts by outcome, every problem by row and column with the value read, and a copy of
the file with the problems marked.

Rows go through in chunks of ``CHUNK``, so that the kind checks a chunk with a few queries (every
CIN of the chunk in one, every date of birth in one) and memory holds one chunk at a time.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from imports import reading, values
from reintegration.tables import FORMULA_STARTS

CHUNK = 500
HEADER_SEARCH = 20  # the header is one of the first rows (a title may come above it)
LISTED = 1000  # problems kept in the report; all are in the marked copy
MISTAKE = PatternFill("solid", fgColor="F8D7DA")
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    """A column an import reads: its key, its English label (translated for the headers), how its
    cells are read, whether it must be filled, what to write (for the template's instructions)."""

    key: str
    label: Promise | str
    read: values.Reader
    required: bool = False
    # An empty cell is a problem when the column is required, unless the kind checks it itself
    # (case files: a name may be in the other script's column).
    cell_required: bool | None = None
    help: Promise | str = ""
    example: str = ""
    options: Callable[[], list[str]] | None = None  # the template's drop-down list, in the user's language

    def title(self, language: str) -> str:
        return values.in_language(language, self.label)

    def title_now(self) -> str:
        """In the active language: the job runs in the language of whoever started it."""
        return str(self.label)

    def header(self) -> str:
        """The template's header: French, then Arabic."""
        return f"{self.title('fr')} / {self.title('ar')}"

    def names(self) -> set[str]:
        """Every way a header may name this column, folded."""
        written = {self.key, self.title("en"), self.title("fr"), self.title("ar"), self.header()}
        return {values.fold(name) for name in written}


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str
    key: str = ""  # the column's key: the pages mask a CIN read for a role that sees it masked

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message, "key": self.key}


@dataclass
class Row:
    """A row of the sheet: its number, its cells as read, the values read from them, its problems,
    and what the import does with it (``outcome``, one of the kind's ``OUTCOMES``)."""

    number: int
    cells: list
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    outcome: str = ""
    target: object = None  # the record the row updates, or is the same as
    note: str = ""  # said in the report: "same person as D-000123"

    def problem(self, column: Column | None, message: str, value=None) -> None:
        title = column.title_now() if column else ""
        shown = "" if value is None else _shown(value)
        self.problems.append(Problem(self.number, title, shown, str(message), column.key if column else ""))


class Kind(Protocol):
    """What an import of one kind of record provides (``imports.kinds``)."""

    code: str
    outcomes: dict[str, Promise]  # outcome → how the report names it

    def columns(self, batch) -> list[Column]: ...

    def start(self, present: set[str]) -> None:
        """The keys of the columns the sheet has."""

    def check(self, batch, rows: list[Row]) -> None:
        """Set each row's outcome (or add its problems), with a few queries per chunk."""

    def write(self, batch, rows: list[Row]) -> None:
        """Write the chunk's rows (only called when no row of the file has a problem)."""

    # Optional: ``group(row)``, the key of the record a row belongs to when one record takes
    # several consecutive rows (a project's equipment lines), or None. A chunk then never ends
    # inside a record: it grows past ``CHUNK`` rows (up to ``2 * CHUNK``) until the record ends.


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    problems: list[dict] = field(default_factory=list)
    problem_count: int = 0
    notes: list[dict] = field(default_factory=list)  # outcome notes (duplicates...), first LISTED
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""

    def add(self, row: Row) -> None:
        self.counts["rows"] += 1
        if row.problems:
            self.counts["with_problems"] += 1
            self.problem_count += len(row.problems)
            room = LISTED - len(self.problems)
            self.problems += [problem.as_dict() for problem in row.problems[: max(room, 0)]]
        else:
            self.counts[row.outcome] += 1
            if row.note and len(self.notes) < LISTED:
                self.notes.append({"row": row.number, "outcome": row.outcome, "note": row.note})

    def as_json(self) -> dict:
        return {
            "counts": dict(self.counts),
            "problems": self.problems,
            "problem_count": self.problem_count,
            "notes": self.notes,
            "warnings": self.warnings,
            "encoding": self.encoding,
        }


def _shown(value) -> str:
    if value is reading.FORMULA:
        return _("(a formula)")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:100]


# --- Header ---------------------------------------------------------------------------------


@dataclass
class Layout:
    """Where each column is: cell index → column; the header row's number and cells."""

    by_index: dict[int, Column]
    header_row: int
    header_cells: list


def find_layout(rows: Iterator[tuple[int, list]], columns: list[Column]) -> Layout:
    known = {name: column for column in columns for name in column.names()}
    best: Layout | None = None
    for _seen, (number, cells) in zip(range(HEADER_SEARCH), rows, strict=False):
        found = {index: column for index, cell in enumerate(cells) if (column := _header_column(cell, known))}
        if best is None or len(found) > len(best.by_index):
            best = Layout(found, number, cells)
        if len(found) >= len(columns) / 2:
            break
    if best is None or len(best.by_index) < 2:
        raise reading.refuse(
            _(
                "No row at the top of this sheet has the expected column headers (%(examples)s…): "
                "start from the template, or give your columns its headers."
            )
            % {"examples": ", ".join(column.title_now() for column in columns[:3])},
            "no_header",
        )
    _check_layout(best, columns)
    return best


def _header_column(cell, known: dict[str, Column]) -> Column | None:
    """The column a header names: as a whole ("Nom (arabe) / النسب بالعربية"), or by one of its
    parts around a "/" (a template of an earlier version, a header in one language)."""
    if not isinstance(cell, str):
        return None
    folded = values.fold(cell)
    if folded in known:
        return known[folded]
    return next((known[part.strip()] for part in folded.split("/") if part.strip() in known), None)


def _check_layout(layout: Layout, columns: list[Column]) -> None:
    placed = Counter(column.key for column in layout.by_index.values())
    twice = [column.title_now() for column in columns if placed[column.key] > 1]
    if twice:
        raise reading.refuse(
            _("These columns appear twice: %(columns)s. Keep one of each.") % {"columns": ", ".join(twice)},
            "duplicate_columns",
        )
    missing = [column.title_now() for column in columns if column.required and column.key not in placed]
    if missing:
        unknown = [str(cell) for index, cell in enumerate(layout.header_cells) if index not in layout.by_index and cell]
        message = _("These required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        if unknown:
            message += " " + _("Columns not recognised: %(columns)s (renamed?).") % {"columns": ", ".join(unknown)}
        gaps = _empty_header_cells(layout)
        if gaps:
            message += " " + _("Some header cells are empty (merged cells?): each column needs its own header.")
        raise reading.refuse(message, "missing_columns")


def _empty_header_cells(layout: Layout) -> bool:
    last = max(layout.by_index, default=-1)
    return any(layout.header_cells[index] in (None, "") for index in range(last))


# --- The pass ---------------------------------------------------------------------------------


def read_row(number: int, cells: list, layout: Layout, columns: list[Column]) -> Row:
    row = Row(number=number, cells=cells)
    for index, column in layout.by_index.items():
        raw = cells[index] if index < len(cells) else None
        if raw is reading.FORMULA or (isinstance(raw, str) and raw.strip().startswith("=")):
            row.problem(column, _("A formula: type the value itself (copy the column, paste it as values)."), raw)
            continue
        if values.is_empty(raw):
            if column.required and column.cell_required is not False:
                row.problem(column, _("Required."))
            row.values[column.key] = None
            continue
        try:
            row.values[column.key] = column.read(raw)
        except ValidationError as error:
            for message in error.messages:
                row.problem(column, message, raw)
    for column in columns:
        if column.key not in row.values and not any(p.column == column.title_now() for p in row.problems):
            row.values[column.key] = None
    return row


def run(
    batch,
    kind: Kind,
    path: Path,
    *,
    write: bool = False,
    progress: Callable[[int, int], None] | None = None,
    marked: Path | None = None,
) -> Report:
    """Check (and with ``write``, import) the file at ``path``. With ``marked``, and when a row has
    a problem, write there the copy of the file with each row's problems (a second reading of the
    file, once the problems are known; a file without a problem needs none). Raises
    ``ValidationError`` for a file that cannot be read at all (the message says why)."""
    sheet = reading.Sheet(path=path, kind=batch.file_type, encoding=_encoding(batch))
    columns = kind.columns(batch)
    rows = sheet.rows()
    layout = find_layout(rows, columns)
    kind.start({column.key for column in layout.by_index.values()})
    report = Report()
    problems: dict[int, list[Problem]] = {}
    total = sheet.rows_estimate() - layout.header_row
    done = 0
    if progress:
        progress(0, max(total, 1))
    for chunk in _chunks(rows, layout, columns, getattr(kind, "group", None)):
        kind.check(batch, [row for row in chunk if not row.problems])
        if write:
            if any(row.problems for row in chunk):
                raise RowsChanged
            kind.write(batch, chunk)
        for row in chunk:
            report.add(row)
            if row.problems and marked:
                problems[row.number] = row.problems
        done += len(chunk)
        if progress:
            progress(done, max(total, done))
    report.encoding = sheet.encoding
    if not report.counts["rows"]:
        raise reading.refuse(_("There is no row under the headers: nothing to import."), "no_rows")
    if sheet.stopped_at:
        report.warnings.append(
            _("Reading stopped at row %(row)s after %(count)s empty rows: nothing below it was read.")
            % {"row": sheet.stopped_at, "count": reading.EMPTY_ROWS_END}
        )
    if problems:
        _write_marked(reading.Sheet(path=path, kind=batch.file_type, encoding=sheet.encoding), layout, problems, marked)
    return report


def _write_marked(sheet: reading.Sheet, layout: Layout, problems: dict[int, list[Problem]], path: Path) -> None:
    copy = _MarkedCopy(path, layout)
    try:
        for number, cells in sheet.rows():
            if number > layout.header_row:
                copy.add(Row(number=number, cells=cells, problems=problems.get(number, [])))
    finally:
        copy.save()  # also when the reading stops: openpyxl's streamed sheets are closed


class RowsChanged(Exception):
    """On the import's pass, a row has a problem it did not have when the file was checked (the
    data changed meanwhile): the import writes nothing and asks for a new check."""


def _encoding(batch) -> str:
    return "" if batch.encoding == "auto" else batch.encoding


def _chunks(rows, layout: Layout, columns: list[Column], group=None) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for number, cells in rows:
        row = read_row(number, cells, layout, columns)
        if len(chunk) >= CHUNK and not (len(chunk) < 2 * CHUNK and _same_record(group, chunk[-1], row)):
            yield chunk
            chunk = []
        chunk.append(row)
    if chunk:
        yield chunk


def _same_record(group, last: Row, row: Row) -> bool:
    if group is None:
        return False
    key = group(row)
    return key is not None and key == group(last)


class _MarkedCopy:
    """The file's rows again, each problem's cell in red and the row's problems in a last column;
    then a sheet listing every problem. Streamed (openpyxl's write-only mode)."""

    def __init__(self, path: Path, layout: Layout):
        self.path = path
        self.layout = layout
        self.workbook = Workbook(write_only=True)
        self.rows = self.workbook.create_sheet(_("Rows"))
        self.list = self.workbook.create_sheet(_("Problems"))
        self.width = max(len(layout.header_cells), max(layout.by_index, default=0) + 1)
        header = [self._cell(value, bold=True) for value in _padded(layout.header_cells, self.width)]
        self.rows.append([*header, self._cell(_("Problems"), bold=True)])
        self.list.append(
            [self._cell(str(title), bold=True) for title in (_("Row"), _("Column"), _("Value read"), _("Problem"))]
        )
        self.index_of = {column.title_now(): index for index, column in layout.by_index.items()}

    def _cell(self, value, *, bold: bool = False, wrong: bool = False) -> WriteOnlyCell:
        if value is reading.FORMULA:
            value = _("(a formula)")
        elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
            value = "'" + value
        elif not isinstance(value, str | int | float | Decimal | datetime.date | type(None)):
            value = str(value)
        cell = WriteOnlyCell(self.rows, value=value)
        if bold:
            cell.font = BOLD
        if wrong:
            cell.fill = MISTAKE
        return cell

    def add(self, row: Row) -> None:
        if not row.problems:  # most rows: their values as they are, no styled cell to make
            self.rows.append([_plain(value) for value in _padded(row.cells, self.width)])
            return
        wrong = {self.index_of.get(problem.column) for problem in row.problems}
        cells = [self._cell(value, wrong=index in wrong) for index, value in enumerate(_padded(row.cells, self.width))]
        messages = " · ".join(
            f"{problem.column}: {problem.message}" if problem.column else problem.message for problem in row.problems
        )
        self.rows.append([*cells, self._cell(messages, wrong=bool(messages))])
        for problem in row.problems:
            self.list.append([problem.row, self._cell(problem.column), self._cell(problem.value), problem.message])

    def save(self) -> None:
        self.workbook.save(self.path)


def _plain(value):
    if value is reading.FORMULA:
        return _("(a formula)")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value if isinstance(value, str | int | float | Decimal | datetime.date | type(None)) else str(value)


def _padded(cells: list, width: int) -> list:
    return list(cells[:width]) + [None] * (width - len(cells))
