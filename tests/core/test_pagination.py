"""``reintegration.pagination``: a list counted only as far as it needs, honest about it."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from reintegration.models import Province
from reintegration.pagination import CappedPaginator, paginate

pytestmark = pytest.mark.django_db

# The seeded provinces (more than 30) stand for a long list.
CAP = 10


def provinces():
    return Province.objects.order_by("code")


def page(number=None, *, cap=CAP, per_page=3):
    params = {} if number is None else {"page": number}
    return paginate(RequestFactory().get("/", params), provinces(), per_page=per_page, count_up_to=cap)


def test_under_the_cap_the_count_is_exact_as_before():
    total = provinces().count()
    shown = page(cap=total)
    assert shown.paginator.count == total
    assert not shown.paginator.count_capped
    assert shown.paginator.num_pages == -(-total // 3)


def test_past_the_cap_it_says_more_than_the_cap_and_the_next_page_exists():
    shown = page()
    assert shown.paginator.count_capped
    assert shown.paginator.counted_to == CAP
    assert shown.paginator.count == CAP + 1  # known: at least one more row than said
    assert [p.code for p in shown.object_list] == [p.code for p in provinces()[:3]]
    assert shown.has_next()
    assert (shown.start_index(), shown.end_index()) == (1, 3)


def test_the_count_reads_no_more_rows_than_the_cap_and_sorts_nothing():
    with CaptureQueriesContext(connection) as captured:
        page().paginator.count  # noqa: B018 # the count is what is measured
    (sql,) = [q["sql"] for q in captured.captured_queries]
    assert "COUNT(" in sql.upper()
    assert f"LIMIT {CAP + 1}" in sql.upper()
    assert "ORDER BY" not in sql.upper()


def test_walking_past_the_cap_counts_as_far_as_the_page_asked_for():
    total = provinces().count()
    last = -(-total // 3)
    deep = page(5)  # rows 13 to 15: past the cap of 10
    assert deep.number == 5
    assert [p.code for p in deep.object_list] == [p.code for p in provinces()[12:15]]
    assert deep.has_next()
    end = page(last)  # the true last page: counted to its end, so exact again
    assert not end.paginator.count_capped
    assert end.paginator.count == total
    assert not end.has_next()


@pytest.mark.parametrize("number", ["x", "", "0", "-3"])
def test_a_page_number_it_cannot_use_shows_the_first_page(number):
    shown = page(number)
    # Not Django's answer to 0 or -3, the last page: past the cap it is not known, and page 4
    # (rows 10 and 11, of "more than 10") would say, with no "Next", that the list ends there.
    assert shown.number == 1
    assert [p.code for p in shown.object_list] == [p.code for p in provinces()[:3]]
    assert shown.has_next()


def test_a_page_number_past_any_list_counts_it_all_and_shows_its_last_page():
    total = provinces().count()
    shown = page("9" * 30)
    assert not shown.paginator.count_capped
    assert shown.paginator.count == total
    assert shown.number == -(-total // 3)
    assert not shown.has_next()


def test_a_plain_list_is_counted_the_same_way():
    shown = CappedPaginator(list(range(100)), 10, count_up_to=20).get_page(1)
    assert shown.paginator.count_capped
    assert shown.paginator.count == 21


def test_without_a_cap_paginate_counts_everything():
    shown = paginate(RequestFactory().get("/"), provinces(), per_page=3)
    assert shown.paginator.count == provinces().count()
    assert not getattr(shown.paginator, "count_capped", False)
