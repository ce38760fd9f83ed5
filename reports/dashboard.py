"""A dashboard as tables: the one structure the page, the CSV and XLSX exports and the PDF report
all render, so that a figure is the same everywhere.

``build(filters)`` runs the selectors of ``reports.figures`` (a fixed number of queries, whatever
the number of records) and returns a ``Dashboard``: headline figures from the catalogue, the
pipeline, breakdowns, monthly trends and budget execution. ``filters.publication`` suppresses
small cells (``reports.publication``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import ReleaseType, Sex
from reintegration.money import format_number
from reports import budget, figures, indicators
from reports.cache import FigureCache
from reports.filters import DashboardFilters
from reports.indicators import CATALOGUE, PERCENT
from reports.tables import (
    AMOUNT,
    INDICATOR,
    LABEL,
    SHARE,
    Column,
    Row,
    Table,
    bilingual,
    display_indicator,
    interpolate,
    named,
)


@dataclass
class Figure:
    """One headline indicator, its value shown the user's way."""

    indicator: indicators.Indicator
    value: object
    display: str
    note: str = ""
    suppressed: bool = False


@dataclass
class Dashboard:
    filters: DashboardFilters
    figures: dict[str, Figure]
    funnel: list[dict]
    tables: dict[str, Table]
    trends: list[dict]
    publication: bool = False
    values: dict = field(default_factory=dict)  # every figure the scans gave, bases of shares included


# --- Building ----------------------------------------------------------------------------


def build(filters: DashboardFilters) -> Dashboard:
    from reports import publication as publishing

    scans = FigureCache(filters).get("scans", lambda: figures.run_scans(filters=filters))
    values = indicators.compute(filters, scans=scans)
    headline = {key: _figure(CATALOGUE[key], values) for key in CATALOGUE}
    breakdown = figures.breakdowns(scans)
    months = figures.monthly(scans)
    dashboard = Dashboard(
        filters=filters,
        figures=headline,
        funnel=_funnel(values),
        tables={
            **_breakdown_tables(filters, breakdown),
            "year": _year_table(filters, months),
            "months": _months_table(filters, months),
            **budget.budget_tables(filters, scans["envelope_scan"].by["envelope"]),
        },
        trends=[],
        publication=filters.publication,
        values=values,
    )
    dashboard.trends = _trends(dashboard.tables["months"])
    dashboard.tables["headline"] = _headline_table(dashboard)
    if filters.publication:
        publishing.suppress(dashboard)
    for table in dashboard.tables.values():
        table.prepare()
    return dashboard


def _figure(indicator, values) -> Figure:
    value = values.get(indicator.key)
    note = ""
    if indicator.base and indicator.unit == PERCENT:
        base = values.get(indicator.base) or 0
        note = _("of %(count)s") % {"count": format_number(base)}
    return Figure(indicator, value, display_indicator(indicator, value), note)


FUNNEL = (
    ("people_registered", "days_release_to_registration"),
    ("people_with_project", ""),
    ("projects_submitted", "days_registration_to_submission"),
    ("projects_approved", "days_submission_to_approval"),
    ("projects_funded", "days_approval_to_funding"),
    ("projects_handed_over", "days_funding_to_handover"),
    ("assessed_12", ""),
    ("running_12", ""),
)


def _funnel(values) -> list[dict]:
    """The pipeline from registered to still running at 12 months, with the median days that
    led to each step."""
    top = max((values.get(key) or 0 for key, _days in FUNNEL), default=0)
    steps = []
    for key, days in FUNNEL:
        indicator = CATALOGUE[key]
        value = values.get(key) or 0
        steps.append(
            {
                "key": key,
                "indicator": indicator,
                "value": value,
                "display": format_number(value),
                "width": _width(value, top),
                "days": CATALOGUE[days] if days else None,
                "days_display": display_indicator(CATALOGUE[days], values.get(days)) if days else "",
            }
        )
    return steps


def _width(value, top) -> float:
    return round(float(value) * 100 / float(top), 1) if top else 0.0


def _headline_table(dashboard: Dashboard) -> Table:
    """Every indicator with its definition: the export of the headline figures."""
    columns = [
        Column("indicator", _("Indicator"), LABEL),
        Column("value", _("Value"), INDICATOR),
        Column("unit", _("Unit"), LABEL),
        Column("definition", _("Definition"), LABEL),
    ]
    units = {"people": _("people"), "projects": _("projects"), "visits": _("visits"), "events": _("events")}
    units |= {"dh": _("dirhams"), "percent": "%"}
    units["days"] = _("days")
    rows = []
    for key, figure in dashboard.figures.items():
        indicator = figure.indicator
        rows.append(
            Row(
                key,
                str(indicator.name),
                {
                    "indicator": str(indicator.name),
                    "value": figure.value,
                    "unit": str(units[indicator.unit]),
                    "definition": str(indicator.definition),
                },
                labels=bilingual(indicator.name),
            )
        )
    return Table("headline", _("Indicators"), columns, rows, limit=None)


# --- Breakdowns ---------------------------------------------------------------------------

PEOPLE_COLUMNS = [Column("people", _("People registered")), Column("women", _("Women"))]
PROJECT_COLUMNS = [
    Column("funded", _("Projects funded")),
    Column("committed", _("Committed (DH)"), AMOUNT, base="funded"),
    Column("handed_over", _("Handed over")),
    Column("delivered", _("Delivered (DH)"), AMOUNT, base="handed_over"),
    Column("assessed", _("Assessed at 12 months")),
    Column("running_share", _("Still running at 12 months"), SHARE, base="assessed"),
]
AGE_LABELS = {
    0: _("under 25"),
    1: _("25 to 34"),
    2: _("35 to 44"),
    3: _("45 to 54"),
    4: _("55 and over"),
}


# (dimension, title, with the people columns, the column its bar chart shows)
BREAKDOWNS = (
    ("region", _("By region"), True, "people"),
    ("province", _("By prefecture or province"), True, "people"),
    ("centre", _("By centre"), True, "funded"),
    ("sector", _("By sector"), False, "committed"),
    ("trade", _("By trade"), False, "funded"),
    ("sex", _("By sex"), True, "people"),
    ("age_band", _("By age at release"), True, "people"),
    ("release_type", _("By release type"), True, "people"),
    ("program", _("By program and edition"), True, "people"),
    ("operation", _("By operation"), False, "funded"),
    ("event", _("By distribution event"), False, "handed_over"),
)
OPERATION_NOTE = _(
    "A project counts for an operation once it is planned at one of its events; the others "
    "(funded, not yet at such an event) are under “No operation”."
)


class _Labels:
    """A breakdown row's label, its labels in both languages and its drill-down link."""

    CHOICES = {"sex": dict(Sex.choices), "age_band": AGE_LABELS, "release_type": dict(ReleaseType.choices)}
    LINKED_CHOICES = {"sex"}

    def __init__(self, filters: DashboardFilters, data: dict):
        self.filters, self.url = filters, reverse("dashboard:index")
        self.objects = figures.dimension_objects(data, with_events=filters.operation is not None)

    def _link(self, **change) -> str:
        return f"{self.url}?{self.filters.query_string(**change)}"

    def __call__(self, dimension: str, key) -> tuple[str, dict, str]:
        if dimension in self.CHOICES:
            labels = self.CHOICES[dimension]
            text = labels.get(key, _("Not stated"))
            link = self._link(**{dimension: key}) if dimension in self.LINKED_CHOICES and key in labels else ""
            return str(text), bilingual(text), link
        obj = self.objects[dimension].get(key)
        if dimension == "operation":
            if obj is None:
                return str(_("No operation")), bilingual(_("No operation")), ""
            return obj.name, {"ar": obj.name, "fr": obj.name}, self._link(operation=obj.pk)
        if dimension == "event":
            if obj is None:
                return str(_("Not handed over yet")), bilingual(_("Not handed over yet")), ""
            day = obj.date.strftime("%d/%m/%Y")
            return str(obj), {"ar": f"{obj.province.name_ar} — {day}", "fr": f"{obj.province.name_fr} — {day}"}, ""
        if obj is None:
            return str(_("Not stated")), bilingual(_("Not stated")), ""
        if dimension == "centre" and self.filters.scope_centre is not None:
            return obj.name, named(obj), ""  # a centre's own dashboard has no other centre to open
        return obj.name, named(obj), self._link(**{dimension: obj.code})


def _breakdown_tables(filters: DashboardFilters, data: dict) -> dict[str, Table]:
    """A table per breakdown (by event only within one operation: nationally there are thousands)."""
    labels = _Labels(filters, data)
    notes = {"operation": OPERATION_NOTE}
    if filters.region is not None and not filters.province:
        notes["province"] = interpolate(_("Prefectures and provinces of the region %(region)s."), region=filters.region)
    tables = {}
    for dimension, title, with_people, chart in BREAKDOWNS:
        if dimension == "event" and filters.operation is None:
            continue
        columns = [Column(dimension, title, LABEL), *(PEOPLE_COLUMNS if with_people else []), *PROJECT_COLUMNS]
        rows = []
        for key, measures in data[dimension].items():
            text, both, link = labels(dimension, key)
            rows.append(Row(key, text, _measures(measures), both or {"ar": text, "fr": text}, link))
        rows.sort(key=_sort_key(dimension))
        total = Row(None, str(_("Total")), _measures(data[""].get(None, {})), bilingual(_("Total")))
        tables[dimension] = Table(dimension, title, columns, rows, total, notes.get(dimension, ""), chart)
    return tables


def _measures(measures: dict) -> dict:
    values = {name: measures.get(name, 0) or 0 for name in ("people", "women", "funded", "handed_over", "assessed")}
    for amount in ("committed", "delivered"):
        values[amount] = measures.get(amount) or Decimal("0.00")
    running = measures.get("running", 0) or 0
    values["running"] = running
    values["running_share"] = figures.share(running, values["assessed"])
    return values


def _sort_key(table: str):
    if table in ("sex", "age_band", "release_type"):
        return lambda row: (row.key is None, str(row.key))
    return lambda row: (row.key is None, -(row.values.get("people") or row.values.get("funded") or 0), row.label)


# --- Years and months ----------------------------------------------------------------------

TREND_COLUMNS = [
    Column("registrations", _("Registrations")),
    Column("approvals", _("Approvals")),
    Column("fundings", _("Fundings")),
    Column("committed", _("Committed (DH)"), AMOUNT, base="fundings"),
    Column("handovers", _("Handovers")),
    Column("delivered", _("Delivered (DH)"), AMOUNT, base="handovers"),
]


def _period_values(months: dict, month: datetime.date) -> dict:
    def count(series):
        row = months[series].get(month)
        return row["count"] if row else 0

    def amount(series):
        row = months[series].get(month)
        return figures.amount(row["amount"]) if row else Decimal("0.00")

    return {
        "registrations": count("registrations"),
        "approvals": count("approvals"),
        "fundings": count("fundings"),
        "committed": amount("fundings"),
        "handovers": count("handovers"),
        "delivered": amount("handovers"),
    }


def _add(total: dict, values: dict) -> None:
    for key, value in values.items():
        total[key] = total.get(key, 0) + value


def _year_table(filters: DashboardFilters, months: dict) -> Table:
    first, last = filters.period
    years: dict[int, dict] = {}
    for series in months.values():
        for month in series:
            if (first is None or month >= first.replace(day=1)) and (last is None or month <= last):
                years.setdefault(month.year, {})
    for year in years:
        for month in range(1, 13):
            day = datetime.date(year, month, 1)
            if (first is None or day >= first.replace(day=1)) and (last is None or day <= last):
                _add(years[year], _period_values(months, day))
    rows = [Row(year, str(year), values, {"ar": str(year), "fr": str(year)}) for year, values in sorted(years.items())]
    total: dict = {}
    for row in rows:
        _add(total, row.values)
    columns = [Column("year", _("Year"), LABEL), *TREND_COLUMNS]
    note = _("Each figure counts by its own date: registration, approval, funding, handover.")
    if (first and first.day != 1) or (last and (last + datetime.timedelta(days=1)).day != 1):
        # Months are the smallest unit kept: a period that cuts one counts it whole here.
        note = format_lazy("{} {}", note, _("A month the period cuts is counted whole in this table."))
    return Table(
        "year", _("By year"), columns, rows, Row(None, str(_("Total")), total, bilingual(_("Total"))), note, "fundings"
    )


TREND_MONTHS = 24


def _months_table(filters: DashboardFilters, months: dict) -> Table:
    end = filters.period_end.replace(day=1)
    days = []
    year, month = end.year, end.month
    for _step in range(TREND_MONTHS):
        days.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    rows = [Row(day, day.strftime("%m/%Y"), _period_values(months, day)) for day in reversed(days)]
    total: dict = {}
    for row in rows:
        _add(total, row.values)
    columns = [Column("month", _("Month"), LABEL), *TREND_COLUMNS]
    title = interpolate(_("The last %(months)s months"), months=TREND_MONTHS)
    return Table("months", title, columns, rows, Row(None, str(_("Total")), total, bilingual(_("Total"))))


def _trends(table: Table) -> list[dict]:
    """One small column chart per series of the monthly table."""
    return [
        {"column": column, "rows": table.rows}
        for column in table.columns
        if column.key in ("registrations", "approvals", "fundings", "handovers")
    ]


# --- Budget execution ------------------------------------------------------------------------
