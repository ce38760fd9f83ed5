"""The event list and an event's handovers as tables: sorting, total rows, CSV/XLSX (issue 12)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from distributions.services import handover_plan
from tests.distributions.conftest import funded_project
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

# Events are read by HQ and the event's centre; another centre gets a 404 for a centre A event.
HANDOVERS_EXPORT_CAST = [
    ("admin", 200),
    ("officer", 200),
    ("analyst", 403),
    ("coordinator_a", 200),
    ("coordinator_b", 404),
    ("anonymous", 302),
]
EVENTS_EXPORT_CAST = [*HANDOVERS_EXPORT_CAST[:4], ("coordinator_b", 200), ("anonymous", 302)]


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(("who", "status"), EVENTS_EXPORT_CAST)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_event_list_export_for_the_cast(cast, client_for, event, who, status, fmt):
    assert client_for(cast[who]).get(reverse("distributions:events_export", args=[fmt])).status_code == status


@pytest.mark.parametrize(("who", "status"), HANDOVERS_EXPORT_CAST)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_handovers_export_for_the_cast(cast, client_for, planned, who, status, fmt):
    url = reverse("distributions:event_handovers_export", args=[planned.event_id, fmt])
    assert client_for(cast[who]).get(url).status_code == status


def test_the_event_list_sorts_and_totals_the_handovers(client_for, officer, planned):
    response = client_for(officer).get(reverse("distributions:events"), {"sort": "-handovers"})
    assert response.context["totals"] == {"handovers": 1, "delivered": 0}
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    assert 'href="?sort=handovers"' in html


def test_the_handovers_total_is_planned_until_handed_over_then_delivered(
    client_for, coordinator_a, officer, delivered, event, centre_a, envelope
):
    other = funded_project(centre_a, coordinator_a, officer, envelope, first_name_latin="Zineb")
    handover_plan(project=other, event=event, by=coordinator_a)
    response = client_for(coordinator_a).get(reverse("distributions:event", args=[event.pk]), {"sort": "-total"})
    assert response.context["handovers_total"] == delivered.total_delivered + other.total
    shown = [handover.shown_total for handover in response.context["handovers"]]
    assert shown == sorted(shown, reverse=True)


def test_the_handovers_csv_has_the_rows_their_total_and_no_cin(client_for, coordinator_a, delivered):
    response = client_for(coordinator_a).get(
        reverse("distributions:event_handovers_export", args=[delivered.event_id, "csv"])
    )
    rows = _csv(response)
    assert rows[1][0] == delivered.project.number
    assert rows[-1][0] == "Total" and Decimal(rows[-1][-1]) == delivered.total_delivered
    assert delivered.project.beneficiary.cin not in response.content.decode()
    sheet = load_workbook(
        io.BytesIO(
            client_for(coordinator_a)
            .get(reverse("distributions:event_handovers_export", args=[delivered.event_id, "xlsx"]))
            .content
        )
    ).active
    assert sheet.cell(row=2, column=9).value == delivered.total_delivered


def test_the_event_pages_cost_the_same_with_1_and_20_handovers(
    client_for, coordinator_a, officer, event, centre_a, envelope
):
    envelope.amount = Decimal("5000000.00")
    envelope.save(update_fields=["amount"])

    def plan_one():
        project = funded_project(centre_a, coordinator_a, officer, envelope)
        handover_plan(project=project, event=event, by=coordinator_a)

    plan_one()
    client = client_for(coordinator_a)

    def fetch():
        assert client.get(reverse("distributions:events"), {"sort": "date"}).status_code == 200
        assert client.get(reverse("distributions:event", args=[event.pk]), {"sort": "total"}).status_code == 200
        export = reverse("distributions:event_handovers_export", args=[event.pk, "xlsx"])
        assert client.get(export).status_code == 200

    def grow():
        for _ in range(19):
            plan_one()

    assert_constant_queries(fetch, grow, budget=40)
