"""A sheet's chunk of CINs is looked up through the CIN index, not by reading every case file.

The index holds filled CINs only; PostgreSQL uses it for a list of more than 100 values only when
the query states that condition too (``holding_any_cin``). Sequential scans are switched off
here: a plan that still reads the table is one that cannot use the index at all."""

import pytest
from django.db import connection, transaction

from beneficiaries.models import Beneficiary
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db

CINS = [f"XQ{n:06d}" for n in range(500)]


def _plan(queryset) -> str:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CI runs it): the plan is PostgreSQL's")
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_five_hundred_cins_are_looked_up_through_the_cin_index():
    plan = _plan(Beneficiary.objects.holding_cins(CINS).order_by())
    assert "beneficiary_cin_unique" in plan


def test_without_the_condition_the_index_cannot_serve_the_list():
    """What the condition is for: the same list alone reads the table (so the test above would
    fail if the condition were dropped)."""
    plan = _plan(Beneficiary.objects.filter(cin__in=CINS).order_by())
    assert "beneficiary_cin_unique" not in plan


def test_the_files_found_are_those_holding_the_cins():
    holder = BeneficiaryFactory(cin="XQ000042")
    BeneficiaryFactory(cin="")
    BeneficiaryFactory(cin="XQ999999")
    assert list(Beneficiary.objects.holding_cins([*CINS, ""])) == [holder]
