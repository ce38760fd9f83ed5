"""Tables "for publication": no figure may single out a person with a criminal record.

A count of people (or of their projects) between 1 and ``PUBLICATION_MIN_CELL`` − 1 is hidden,
and so is every amount, share or median computed from so few. Where a table has a total and a
column hides exactly one cell, the next smallest cell of that column is hidden too: otherwise the
total less the others would give the hidden one back (secondary suppression). An envelope's
amount is a budget and stays; what it committed and delivered is hidden when it funds too few.

Not covered: a figure hidden in one table that another table gives back by difference (a
region's provinces, a year's months); published tables are chosen one at a time.
"""

from __future__ import annotations

from django.conf import settings

from reports.dashboard import Dashboard
from reports.tables import AMOUNT, COUNT, SHARE, Table

# The count behind each headline amount, share or median.
FIGURE_BASES = {
    "amount_committed": "projects_funded",
    "cost_average": "projects_funded",
    "cost_median": "projects_funded",
    "amount_delivered": "projects_handed_over",
    "amount_delivered_equipment": "projects_handed_over",
    "amount_delivered_cash": "projects_handed_over",
    "cost_per_running_12": "running_12",
    "days_release_to_registration": "people_registered",
    "days_registration_to_submission": "projects_submitted",
    "days_submission_to_approval": "projects_approved",
    "days_release_to_approval": "projects_approved",
    "days_approval_to_funding": "projects_funded",
    "days_funding_to_handover": "projects_handed_over",
    "days_release_to_handover": "projects_handed_over",
}


def is_small(value) -> bool:
    return bool(value) and 0 < value < settings.PUBLICATION_MIN_CELL


def suppress(dashboard: Dashboard) -> None:
    values = dashboard.values  # every figure, the bases of the shares (assessed at 6, 24 months) included
    men = (values.get("people_registered") or 0) - (values.get("women") or 0)
    for key, figure in dashboard.figures.items():
        indicator = figure.indicator
        base = FIGURE_BASES.get(key) or indicator.base
        if (indicator.counts_people and is_small(figure.value)) or (base and is_small(values.get(base))):
            figure.suppressed = True
        if key in ("women", "women_share") and (is_small(values.get("women")) or is_small(men)):
            figure.suppressed = True
    for step in dashboard.funnel:
        if is_small(step["value"]):
            step["suppressed"] = step["days_suppressed"] = True
            step["width"] = 0  # a bar's length would give the figure back
    headline = dashboard.tables.get("headline")
    for table in dashboard.tables.values():
        if table is headline:
            for row in table.rows:
                if dashboard.figures[row.key].suppressed:
                    row.suppressed.add("value")
        else:
            suppress_table(table)


def _small(row, column) -> bool:
    """A count of too few people, or an amount or share computed from one."""
    if column.kind == COUNT:
        return is_small(row.values.get(column.key))
    return column.kind in (AMOUNT, SHARE) and bool(column.base) and is_small(row.values.get(column.base))


def suppress_table(table: Table) -> None:
    """Primary suppression (small counts, and men where women are shown), then one more cell
    per column where a total would give a hidden one back, then every amount or share computed
    from a hidden count."""
    columns = {column.key: column for column in table.columns if column.sensitive}
    rows = [*table.rows, *([table.total] if table.total else [])]
    for row in rows:
        for key, column in columns.items():
            if _small(row, column):
                row.suppressed.add(key)
        if {"people", "women"} <= columns.keys() and is_small(row.values["people"] - row.values["women"]):
            row.suppressed.add("women")  # the men's count is the people's less the women's
    if table.total is not None:
        for key, column in columns.items():
            if column.kind == COUNT and sum(key in row.suppressed for row in table.rows) == 1:
                others = [row for row in table.rows if key not in row.suppressed and row.values.get(key)]
                if others:
                    min(others, key=lambda row: row.values[key]).suppressed.add(key)
    for row in rows:
        for key, column in columns.items():
            if column.kind in (AMOUNT, SHARE) and column.base in row.suppressed:
                row.suppressed.add(key)
