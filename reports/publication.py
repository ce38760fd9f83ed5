"""Tables "for publication": no figure may single out a person with a criminal record.

A count of people (or of their projects) between 1 and ``PUBLICATION_MIN_CELL`` − 1 is hidden,
and so is every amount, share or median computed from so few. Where a table has a total and a
column hides exactly one cell, the next smallest cell of that column is hidden too: otherwise the
total less the others would give the hidden one back (secondary suppression). Envelope amounts
are budgets, not people, and stay.
"""

from __future__ import annotations

from django.conf import settings

from reports.dashboard import AMOUNT, COUNT, SHARE, Dashboard, Table

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
    figures = dashboard.figures
    values = {key: figure.value for key, figure in figures.items()}
    men = (values.get("people_registered") or 0) - (values.get("women") or 0)
    for key, figure in figures.items():
        indicator = figure.indicator
        base = FIGURE_BASES.get(key) or indicator.base
        if (indicator.counts_people and is_small(figure.value)) or (base and is_small(values.get(base))):
            figure.suppressed = True
        if key in ("women", "women_share") and (is_small(values.get("women")) or is_small(men)):
            figure.suppressed = True
    for step in dashboard.funnel:
        step["suppressed"] = is_small(step["value"])
        if step["days"] is not None and is_small(step["value"]):
            step["days_suppressed"] = True
    for table in dashboard.tables.values():
        suppress_table(table)


def suppress_table(table: Table) -> None:
    rows = [*table.rows, *([table.total] if table.total else [])]
    for row in rows:
        for column in table.columns:
            if not column.sensitive:
                continue
            if column.kind == COUNT:
                small = is_small(row.values.get(column.key))
            else:  # an amount or a share says something about the people it is computed from
                small = column.kind in (AMOUNT, SHARE) and column.base and is_small(row.values.get(column.base))
            if small:
                row.suppressed.add(column.key)
    if table.total is None:
        return
    for column in table.columns:
        key = column.key
        if column.kind != COUNT or not column.sensitive:
            continue
        if sum(key in row.suppressed for row in table.rows) != 1:
            continue
        others = [row for row in table.rows if key not in row.suppressed and row.values.get(key)]
        if others:
            min(others, key=lambda row: row.values[key]).suppressed.add(key)
