"""Every indicator of the catalogue against the hand-computed picture of ``conftest.py``."""

import datetime
from decimal import Decimal

import pytest

from reports import indicators
from reports.filters import DashboardFilters

pytestmark = pytest.mark.django_db

NATIONAL = {
    "people_registered": 6,
    "cases_active": 5,
    "people_with_project": 4,
    "women": 1,
    "women_share": Decimal("16.7"),
    "projects_submitted": 4,
    "projects_approved": 4,
    "projects_funded": 3,
    "projects_handed_over": 2,
    "projects_in_follow_up": 2,
    "events_held": 1,
    "projects_succeeded": 0,
    "projects_abandoned": 0,
    "amount_committed": Decimal("55701.00"),
    "amount_delivered": Decimal("43701.00"),
    "amount_delivered_equipment": Decimal("37701.00"),
    "amount_delivered_cash": Decimal("6000.00"),
    "cost_average": Decimal("18567.00"),
    "cost_median": Decimal("17500.00"),
    "envelope_amount": Decimal("500000.00"),
    "envelope_committed": Decimal("55701.00"),
    "envelope_delivered": Decimal("43701.00"),
    "envelope_available": Decimal("444299.00"),
    "envelope_consumed": Decimal("11.1"),
    "visits_done": 2,
    "assessed_12": 2,
    "running_12": 1,
    "running_12_share": Decimal("50.0"),
    "running_6_share": None,
    "cost_per_running_12": Decimal("43701.00"),
}


def test_it_computes_every_national_indicator_by_hand(picture):
    values = indicators.compute(DashboardFilters())
    assert {key: values[key] for key in NATIONAL} == NATIONAL
    # Visits due before today and not made: the 3- and 6-month visits of both handovers.
    assert values["visits_overdue"] == 4


def test_it_has_a_definition_a_unit_and_a_selector_for_every_indicator():
    for indicator in indicators.CATALOGUE.values():
        assert str(indicator.name) and str(indicator.definition)
        assert indicator.unit in {"people", "projects", "visits", "events", "dh", "percent", "days"}
        assert indicator.key in indicator.selector(filters=DashboardFilters()).figures


def test_it_agrees_with_itself(picture):
    """The headline figures tell one story: what was handed over was funded, and so on."""
    v = indicators.compute(DashboardFilters())
    assert v["people_registered"] >= v["people_with_project"]
    assert v["projects_submitted"] >= v["projects_approved"] >= v["projects_funded"] >= v["projects_handed_over"]
    assert v["amount_delivered"] == v["amount_delivered_equipment"] + v["amount_delivered_cash"]
    assert v["amount_committed"] == v["envelope_committed"]
    assert v["amount_delivered"] == v["envelope_delivered"]
    assert v["envelope_available"] == v["envelope_amount"] - v["envelope_committed"]


def test_it_gives_a_centre_its_own_figures_only(picture, centre_a, centre_b):
    a = indicators.compute(DashboardFilters(scope_centre=centre_a))
    # A1, A2, A3 and the case transferred in; the transfer moved it out of centre B's figures.
    assert a["people_registered"] == 4
    assert a["projects_funded"] == 2
    assert a["amount_committed"] == Decimal("43701.00")
    assert a["envelope_amount"] == Decimal("0.00")  # envelopes are HQ's
    b = indicators.compute(DashboardFilters(scope_centre=centre_b))
    assert b["people_registered"] == 2  # B1 and the anonymised case
    assert b["projects_funded"] == 1
    assert b["amount_committed"] == Decimal("12000.00")
    assert b["amount_delivered"] == Decimal("0.00")


def test_it_counts_by_each_figures_own_date(picture):
    """2025 saw the handovers; the registrations and fundings happened today (2026 or later)."""
    in_2025 = indicators.compute(DashboardFilters(year=2025))
    assert in_2025["projects_handed_over"] == 2
    assert in_2025["amount_delivered"] == Decimal("43701.00")
    assert in_2025["people_registered"] == 0
    assert in_2025["projects_funded"] == 0
    today = datetime.date.today()
    now = indicators.compute(DashboardFilters(year=today.year))
    assert now["people_registered"] == 6
    assert now["projects_funded"] == 3
    assert now["projects_handed_over"] == 0


def test_it_filters_by_sex_operation_territory_and_trade(picture):
    from distributions.models import Operation
    from projects.models import Trade
    from reintegration.models import Province, Region

    women = indicators.compute(DashboardFilters(sex="F"))
    assert (women["people_registered"], women["amount_committed"]) == (1, Decimal("26201.00"))
    operation = indicators.compute(DashboardFilters(operation=Operation.objects.get()))
    assert operation["people_registered"] == 2
    assert operation["amount_delivered"] == Decimal("43701.00")
    fes = indicators.compute(DashboardFilters(province=Province.objects.get(code="03.231")))
    assert fes["people_registered"] == 3 and fes["projects_funded"] == 1
    region = indicators.compute(DashboardFilters(region=Region.objects.get(code="03")))
    assert region["people_registered"] == 6
    assert indicators.compute(DashboardFilters(region=Region.objects.get(code="07")))["people_registered"] == 0
    bakery = indicators.compute(DashboardFilters(trade=Trade.objects.get(code="bakery")))
    assert bakery["people_registered"] == 4 and bakery["projects_funded"] == 3


def test_a_new_commitment_shows_at_once(picture, cast):
    """No precomputed aggregate: a commitment made now is in the next figures."""
    from projects.services import commitment_create

    before = indicators.compute(DashboardFilters(), ["amount_committed"])["amount_committed"]
    project = picture["projects"]["a2"]  # approved again after its cancelled commitment
    commitment_create(project=project, envelope=picture["envelope"], by=cast["officer"])
    after = indicators.compute(DashboardFilters(), ["amount_committed", "projects_funded"])
    assert after["amount_committed"] == before + Decimal("12000.00")
    assert after["projects_funded"] == 4


def test_it_gives_the_median_delays_in_days(picture):
    values = indicators.compute(DashboardFilters())
    released, handed_over = datetime.date(2024, 3, 1), datetime.date(2025, 6, 2)
    today = datetime.date.today()
    assert values["days_release_to_registration"] == (today - released).days
    assert values["days_release_to_approval"] == (today - released).days
    assert values["days_release_to_handover"] == (handed_over - released).days
    # Registered, submitted, approved and funded the same day, in this picture.
    assert values["days_registration_to_submission"] == 0
    assert values["days_submission_to_approval"] == 0
    assert values["days_approval_to_funding"] == 0


@pytest.mark.parametrize("table", ["region", "province", "centre", "sex", "age_band", "release_type", "program"])
def test_every_breakdown_adds_up_to_the_headline_figures(picture, table):
    from reports import dashboard

    board = dashboard.build(DashboardFilters())
    figures = {key: figure.value for key, figure in board.figures.items()}
    rows = board.tables[table].rows
    total = board.tables[table].total.values
    assert sum(row.values["people"] for row in rows) == total["people"] == figures["people_registered"]
    assert sum(row.values["women"] for row in rows) == figures["women"]
    assert sum(row.values["funded"] for row in rows) == total["funded"] == figures["projects_funded"]
    assert sum(row.values["committed"] for row in rows) == total["committed"] == figures["amount_committed"]
    assert sum(row.values["delivered"] for row in rows) == total["delivered"] == figures["amount_delivered"]
    assert sum(row.values["assessed"] for row in rows) == figures["assessed_12"]
