"""Cached dashboards are never stale: a committed change makes the next page compute anew."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.services import commitment_create
from reports.cache import current_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def _scans_run(captured) -> int:
    """Queries that read the case files themselves (the scans), not labels or versions."""
    return sum("beneficiaries_beneficiary" in query["sql"] for query in captured.captured_queries)


def _committed(client) -> Decimal:
    return client.get(reverse("dashboard:index")).context["board"].figures["amount_committed"].value


def test_a_new_commitment_shows_at_once(
    cached, picture, client_for, officer, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client = client_for(officer)
    before = _committed(client)
    with django_assert_max_num_queries(20):  # read again: the figures come from the cache
        assert _committed(client) == before
    version = current_version()
    with django_capture_on_commit_callbacks(execute=True):
        commitment_create(project=picture["projects"]["a2"], envelope=picture["envelope"], by=officer)
    assert current_version() > version
    assert _committed(client) == before + Decimal("12000.00")


def test_a_read_computed_before_a_commit_is_not_served_after_it(
    cached, picture, client_for, officer, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    before = _committed(client)
    # The change is made, but its transaction has not committed yet: the old figures may stay...
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        commitment_create(project=picture["projects"]["a2"], envelope=picture["envelope"], by=officer)
    assert _committed(client) == before
    # ...until it commits.
    for callback in callbacks:
        callback()
    assert _committed(client) == before + Decimal("12000.00")


def test_logs_do_not_invalidate_the_figures(cached, picture, coordinator_a, django_capture_on_commit_callbacks):
    from beneficiaries.services import case_view_record

    version = current_version()
    with django_capture_on_commit_callbacks(execute=True):
        case_view_record(case=picture["people"]["a1"], user=coordinator_a, page="case")
    assert current_version() == version


def test_each_scope_has_its_own_figures(cached, picture, client_for, coordinator_a, coordinator_b):
    assert _committed(client_for(coordinator_a)) == Decimal("43701.00")
    assert _committed(client_for(coordinator_b)) == Decimal("12000.00")


@pytest.mark.parametrize("measure", ["people", "funded", "committed", "running_share"])
def test_the_map_reads_the_pages_figures_and_shows_the_same(cached, picture, client_for, officer, settings, measure):
    client = client_for(officer)
    url = reverse("dashboard:map")
    settings.DASHBOARD_CACHE_SECONDS = 0
    own = client.get(url, {"measure": measure}).context["map"]["rows"]
    settings.DASHBOARD_CACHE_SECONDS = 600
    client.get(reverse("dashboard:index"))  # the page computes (and keeps) every figure
    with CaptureQueriesContext(connection) as captured:
        from_page = client.get(url, {"measure": measure}).context["map"]["rows"]
    assert _scans_run(captured) == 0
    assert [(row["iso"], row["display"]) for row in from_page] == [(row["iso"], row["display"]) for row in own]
