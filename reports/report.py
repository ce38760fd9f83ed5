"""The dashboard as a bilingual PDF report (WeasyPrint): the same tables, charts and map.

The dashboard is built once, in French (figures in the Moroccan French format, as on every
printed paper); each heading, column and row label is also given in Arabic.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reintegration.pdf import render_pdf
from reports import charts, dashboard, map_panel
from reports.filters import DashboardFilters
from reports.tables import bilingual

# The tables of the report, in its order.
SECTIONS = (
    "region",
    "province",
    "centre",
    "sector",
    "trade",
    "sex",
    "age_band",
    "release_type",
    "program",
    "operation",
    "event",
    "year",
    "envelopes",
    "funders",
    "budget_region",
)


def context(filters: DashboardFilters) -> dict:
    board = dashboard.build(filters)
    province_rows = {row.key: row.values for row in board.tables["province"].rows}
    choice = map_panel.MapChoice()
    by_province = map_panel.values_from_breakdown(province_rows, choice.measure)
    tables = [board.tables[key] for key in SECTIONS if key in board.tables]
    return {
        "board": board,
        "figures": [
            {
                "figure": figure,
                "name": bilingual(figure.indicator.name),
                "definition": bilingual(figure.indicator.definition),
            }
            for figure in board.figures.values()
        ],
        "funnel": [{**step, "name": bilingual(step["indicator"].name)} for step in board.funnel],
        "tables": [
            {
                "table": table,
                "title": bilingual(table.title),
                "columns": [{"column": column, "label": bilingual(column.label)} for column in table.columns],
                "chart": charts.bars(table),
                "rows": table.shown,
                "more": table.more,
            }
            for table in tables
        ],
        "map": map_panel.build(filters, choice, by_province, links=False),  # no link on paper
        "trend_charts": [
            {**charts.columns(t["rows"], t["column"], board.tables["months"]), "label": bilingual(t["column"].label)}
            for t in board.trends
        ],
        "active_filters": [(bilingual(label), value) for label, value in filters.active],
        "printed_on": timezone.localdate(),
        "foundation_ar": settings.FOUNDATION_NAME_AR,
        "foundation_fr": settings.FOUNDATION_NAME_FR,
        "min_cell": settings.PUBLICATION_MIN_CELL,
        "publication": filters.publication,
        "scope_centre": filters.scope_centre,
    }


def render(filters: DashboardFilters) -> bytes:
    with translation.override("fr"):
        html = render_to_string("reports/report.html", context(filters))
    return render_pdf(html)
