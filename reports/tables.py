"""The tables a dashboard is made of: what the page, the CSV and XLSX exports and the PDF report
all render, so that a figure is shown the same way everywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reintegration.money import format_amount, format_number, format_percent
from reports import indicators
from reports.indicators import CATALOGUE, DAYS, DH, PERCENT

# A page or a report shows a table's first rows (the largest, in breakdowns); the export has all.
ROWS_SHOWN = 25
# Column kinds: how a value is shown and whether a small value may single someone out.
LABEL, COUNT, AMOUNT, SHARE, NUMBER = "label", "count", "amount", "share", "number"
INDICATOR = "indicator"  # a catalogue indicator's value, shown in its own unit


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT
    base: str = ""  # for an amount or a share: the count of people or projects behind it
    sensitive: bool = True  # a count of people (or their projects); envelope money is not


class Cell(NamedTuple):
    text: str
    numeric: bool
    label: str  # the column's, shown beside the value when a phone stacks the row


@dataclass
class Row:
    key: object
    label: str
    values: dict
    labels: dict = field(default_factory=dict)  # {"ar": ..., "fr": ...} for the bilingual report
    url: str = ""
    suppressed: set = field(default_factory=set)
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    chart: str = ""  # the column key the bar chart shows, if any
    limit: int | None = ROWS_SHOWN  # rows shown on the page and on paper; the exports have them all

    @property
    def shown(self) -> list[Row]:
        return self.rows if self.limit is None else self.rows[: self.limit]

    @property
    def more(self) -> int:
        """Rows not shown (the total still counts them)."""
        return len(self.rows) - len(self.shown)

    def display(self, row: Row, column: Column) -> str:
        if column.kind == INDICATOR and column.key not in row.suppressed:
            return display_indicator(CATALOGUE[row.key], row.values.get(column.key))
        return display(row.values.get(column.key), column.kind, suppressed=column.key in row.suppressed)

    def prepare(self) -> None:
        """Each row's cells after the first, shown the user's way, once suppression is done: the
        templates only print them (a national page has thousands)."""
        columns = self.columns[1:]
        for row in [*self.shown, *([self.total] if self.total else [])]:
            row.cells = [Cell(self.display(row, column), column.kind != LABEL, str(column.label)) for column in columns]


def suppressed_text() -> str:
    """What a suppressed cell shows: "fewer than 3"."""
    return _("< %(count)s") % {"count": settings.PUBLICATION_MIN_CELL}


def display(value, kind: str, *, suppressed: bool = False) -> str:
    if suppressed:
        return suppressed_text()
    if value is None or value == "":
        return "—"
    if kind == AMOUNT:
        return format_amount(value, unit=False)
    if kind == SHARE:
        return format_percent(value)
    if kind in (COUNT, NUMBER):
        return format_number(value)
    return str(value)


def display_indicator(indicator: indicators.Indicator, value) -> str:
    if value is None:
        return "—"
    if indicator.unit == DH:
        return format_amount(value)
    if indicator.unit == PERCENT:
        return format_percent(value)
    if indicator.unit == DAYS:
        return ngettext("%(days)s day", "%(days)s days", value) % {"days": format_number(value)}
    return format_number(value)


def interpolate(text, **values):
    """``text % values``, still lazy: the bilingual report renders it in both languages."""
    return lazy(lambda: str(text) % {key: str(value) for key, value in values.items()}, str)()


def bilingual(text) -> dict:
    """A (lazy) label in Arabic and in French, for the bilingual report."""
    labels = {}
    for language in ("ar", "fr"):
        with translation.override(language):
            labels[language] = str(text)
    return labels


def named(obj) -> dict:
    """A bilingual name (``name_ar``, ``name_fr``), each standing in for the other when empty."""
    return {"ar": obj.name_ar or obj.name_fr, "fr": obj.name_fr or obj.name_ar}
