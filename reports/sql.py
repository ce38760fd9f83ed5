"""Database pieces the dashboards need and the ORM lacks: whole days between two dates, an age
in whole years, and many GROUP BYs over one scan.

Each works on PostgreSQL (production, CI) and on SQLite (the zero-setup first run).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections
from django.db.models import Func, IntegerField, QuerySet


class DaysBetween(Func):
    """Whole days from ``earlier`` to ``later`` (two dates; negative when in the wrong order)."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, later, earlier, **extra):
        super().__init__(later, earlier, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class AgeAt(Func):
    """Age in whole years on ``day`` of someone born on ``birth``."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, day, birth, **extra):
        super().__init__(day, birth, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="CAST(EXTRACT(YEAR FROM AGE(%(expressions)s)) AS INTEGER)", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        day, birth = (compiler.compile(expression) for expression in self.get_source_expressions())
        sql = (
            f"(CAST(strftime('%%Y', {day[0]}) AS INTEGER) - CAST(strftime('%%Y', {birth[0]}) AS INTEGER)"
            f" - (strftime('%%m-%%d', {day[0]}) < strftime('%%m-%%d', {birth[0]})))"
        )
        return sql, (*day[1], *birth[1], *day[1], *birth[1])


def grouped_sums(
    queryset: QuerySet, dimensions: Sequence[str], measures: Sequence[str]
) -> dict[str, dict[object, dict[str, object]]]:
    """``SUM`` of each measure column of ``queryset`` grouped by each dimension on its own, and
    overall (dimension ``""``): ``{dimension: {key: {measure: total}}}``.

    ``queryset`` is annotated so that each row carries its dimensions and measures (0 or an
    amount, already filtered by period). PostgreSQL computes every grouping in one scan
    (``GROUPING SETS``); elsewhere one ``GROUP BY`` per dimension is joined with ``UNION ALL``.
    """
    # No ORDER BY: a model's default ordering would sort every row before grouping them.
    inner_sql, params = queryset.order_by().values(*dimensions, *measures).query.sql_with_params()
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    sums = ", ".join(f"SUM({quote(m)})" for m in measures)
    if connection.vendor == "postgresql":
        columns = ", ".join(quote(d) for d in dimensions)
        sets = ", ".join([*(f"({quote(d)})" for d in dimensions), "()"])
        # Names quoted by the connection; the inner query compiled by the ORM, its values as parameters.
        sql = (
            f"SELECT GROUPING({columns}), {columns}, {sums} FROM ({inner_sql}) AS base "
            f"GROUP BY GROUPING SETS ({sets})"  # nosec B608
        )
        rows = _fetch(connection, sql, params)
        width = len(dimensions)
        result: dict[str, dict] = {d: {} for d in ("", *dimensions)}
        for row in rows:
            mask, keys, totals = row[0], row[1 : width + 1], row[width + 1 :]
            # GROUPING() sets a bit for every column *not* grouped: exactly one is grouped, or none.
            grouped = [d for position, d in enumerate(dimensions) if not mask & (1 << (width - 1 - position))]
            dimension = grouped[0] if grouped else ""
            key = keys[dimensions.index(dimension)] if dimension else None
            result[dimension][key] = _totals(measures, totals)
        return result
    parts, all_params = [], []
    for dimension in ("", *dimensions):
        key = quote(dimension) if dimension else "NULL"
        group = f" GROUP BY {quote(dimension)}" if dimension else ""
        # names quoted by the connection, the inner query compiled by the ORM with its params
        parts.append(f"SELECT %s, {key}, {sums} FROM ({inner_sql}) AS base{group}")  # nosec B608
        all_params += [dimension, *params]
    result = {d: {} for d in ("", *dimensions)}
    for dimension, key, *totals in _fetch(connection, " UNION ALL ".join(parts), all_params):
        result[dimension][key] = _totals(measures, totals)
    return result


def _totals(measures: Sequence[str], totals: Sequence) -> dict:
    """A group's sums, by measure: the sum of no row is 0, not SQL's NULL."""
    return {measure: 0 if total is None else total for measure, total in zip(measures, totals, strict=True)}


def _fetch(connection, sql: str, params: Iterable) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, tuple(params))
        return cursor.fetchall()
