"""Charts drawn on the server as SVG, so that the page and the PDF report show the same picture.

A few clear lines rather than a charting library: the bars are ``<rect>``s whose widths come
from the table they illustrate, and every word (a region's name in Arabic, a trade in French)
stays in HTML beside the SVG, where the browser and WeasyPrint shape and order it right to left.
Inside the SVG there are only shapes and figures.
"""

from __future__ import annotations

from reports.tables import Column, Row, Table

BAR_ROWS = 12  # a chart shows the first rows of its table; the table beside it has them all


def bars(table: Table, *, rows: int = BAR_ROWS) -> dict | None:
    """A horizontal bar chart of ``table.chart``'s column: one bar per row, widths in % of the largest."""
    if not table.chart or not table.rows:
        return None
    column = next(column for column in table.columns if column.key == table.chart)
    shown = table.rows[:rows]
    values = [_value(row, column) for row in shown]
    top = max(values, default=0)
    return {
        "column": column,
        "bars": [
            {"label": row.label, "display": table.display(row, column), "width": _percent(value, top)}
            for row, value in zip(shown, values, strict=True)
        ],
        "more": len(table.rows) - len(shown),
    }


WIDTH, HEIGHT, TOP, BOTTOM = 480, 150, 14, 18


def columns(rows: list[Row], column: Column, table: Table) -> dict:
    """A monthly column chart: one bar per month, the largest value on top, a tick every quarter."""
    values = [_value(row, column) for row in rows]
    top = max(values, default=0)
    step = WIDTH / max(len(rows), 1)
    plot = HEIGHT - TOP - BOTTOM
    items = []
    for index, (row, value) in enumerate(zip(rows, values, strict=True)):
        height = round(plot * value / top, 1) if top else 0
        items.append(
            {
                "x": round(index * step + step * 0.15, 1),
                "y": round(TOP + plot - height, 1),
                "width": round(step * 0.7, 1),
                "height": height,
                "label": row.label,
                "display": table.display(row, column),
                "tick": row.label[:2] + "/" + row.label[-2:] if index % 3 == 2 else "",  # none on the edge
                "tick_x": round(index * step + step / 2, 1),
            }
        )
    return {
        "column": column,
        "items": items,
        "top_display": table.display(Row(None, "", {column.key: top}), column),
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": HEIGHT - BOTTOM,
        "tick_y": HEIGHT - 4,
    }


def _value(row: Row, column: Column) -> float:
    if column.key in row.suppressed:
        return 0.0
    value = row.values.get(column.key)
    return float(value) if value else 0.0


def _percent(value: float, top: float) -> float:
    return round(value * 100 / top, 1) if top else 0.0
