"""Query budgets: count the SQL a block runs, and show it when it runs too much."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def _listing(queries) -> str:
    return "\n".join(f"  {i}. {q['sql']}" for i, q in enumerate(queries, 1))


@contextmanager
def query_budget(budget: int):
    """Fail, printing every statement, if the block runs more than ``budget`` queries."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    if len(captured) > budget:
        pytest.fail(f"{len(captured)} queries, budget {budget}:\n{_listing(captured.captured_queries)}")


def count_queries(fn) -> tuple[int, list[dict]]:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured), captured.captured_queries


def assert_constant_queries(fetch, grow, *, budget: int) -> int:
    """The page costs the same with few rows and with many, and stays within ``budget``.

    ``fetch`` requests the page (asserting its status); ``grow`` adds rows in between.
    """
    first, first_sql = count_queries(fetch)
    grow()
    second, second_sql = count_queries(fetch)
    if first != second:
        pytest.fail(
            f"query count grew with the rows: {first} then {second}.\n"
            f"Before:\n{_listing(first_sql)}\nAfter:\n{_listing(second_sql)}"
        )
    if second > budget:
        pytest.fail(f"{second} queries, budget {budget}:\n{_listing(second_sql)}")
    return second
