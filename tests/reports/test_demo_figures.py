"""The source articles' figures, read back through the dashboard's CSV export of the demo."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from beneficiaries.choices import Sex
from distributions.models import Operation
from projects.models import Trade
from reintegration.models import User
from reports.indicators import CATALOGUE

pytestmark = pytest.mark.django_db

# Ben Guerir's 14 projects by trade (funded column of the export).
TRADES = {
    "pastry": "2",
    "bakery": "3",
    "sewing": "1",
    "mens_barber": "1",
    "car_wash": "1",
    "building_painting": "1",
    "zellige": "1",
    "ironwork": "1",
    "appliance_repair": "1",
    "tyre_repair": "1",
    "olive_sales": "1",
}


def _table(client, name: str, **params) -> dict[str, list[str]]:
    """The export's rows by their first cell (the preamble's rows too)."""
    response = client.get(reverse("dashboard:export", args=[name, "csv"]), params)
    assert response.status_code == 200
    return {row[0]: row for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) if row}


def test_the_demo_shows_the_articles_figures_through_the_export(client):
    call_command("seed_demo")
    client.force_login(User.objects.get(username="analyst"))
    client.cookies["django_language"] = "fr"
    with translation.override("fr"):
        moussalaha = Operation.objects.get(name_fr="Moussalaha 2021").pk
        ben_guerir = Operation.objects.get(name_fr="AGR Rehamna 2019-2020").pk

        headline = _table(client, "headline", operation=moussalaha)
        sexes = _table(client, "sex", operation=moussalaha)
        total = sexes["Total"]
        assert total[1] == "50" and total[2] == "2"  # people, women
        assert total[4] == "2576296.77" and total[6] == "2576296.77"  # committed, delivered
        assert sexes[str(Sex.FEMALE.label)][1] == "2"
        assert headline[str(CATALOGUE["people_registered"].name)][1] == "50"
        assert headline[str(CATALOGUE["amount_delivered"].name)][1] == "2576296.77"
        assert headline[str(CATALOGUE["events_held"].name)][1] == "3"
        events = _table(client, "event", operation=moussalaha)
        by_event = {label: row[1:4:2] for label, row in events.items() if " — " in label}
        # Funded and handed over at each event: Meknès 24 May, Fès 25 May, Ben M'Sick (Casablanca) 26 May.
        assert by_event == {
            "Meknès — 24/05/2021": ["15", "15"],
            "Fès — 25/05/2021": ["16", "16"],
            "Ben M'sick — 26/05/2021": ["19", "19"],
        }
        centres = _table(client, "centre", operation=moussalaha)
        people = {label: row[1] for label, row in centres.items() if label.startswith("Centre")}
        assert sorted(people.values()) == ["15", "16", "19"]

        provinces = _table(client, "province", operation=ben_guerir)
        assert provinces["Total"][1] == "14" and provinces["Total"][2] == "1"
        assert provinces["Total"][4] == "316607.00"
        assert provinces["Rehamna"][1] == "7"
        assert provinces["Youssoufia"][1] == "3"
        assert provinces["El Kelâa Des-Sraghna"][1] == "4"
        trades = _table(client, "trade", operation=ben_guerir)
        by_trade = {code: trades[Trade.objects.get(code=code).name_fr][1] for code in TRADES}
        assert by_trade == TRADES
