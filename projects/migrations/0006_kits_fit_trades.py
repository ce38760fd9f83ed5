"""Each standard kit fits its own trade, and some fit others too (``also_for`` in
``projects/data/reference.json``): the sewing kit serves leatherwork, the household-appliance
repair kit (multimeters, soldering station) phone repair, the grocery kit a fruit and vegetable
stall. Bakery and pastry keep a kit each: their ovens and tools differ.

Kits added by administrators since keep the trade they were given.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "reference.json"


def _reference_kits() -> dict[str, dict]:
    return {row["name_fr"]: row for row in json.loads(DATA.read_text(encoding="utf-8"))["kits"]}


def fill(apps, schema_editor):
    StandardKit = apps.get_model("projects", "StandardKit")
    Trade = apps.get_model("projects", "Trade")
    trades = {trade.code: trade for trade in Trade.objects.all()}
    reference = _reference_kits()
    for kit in StandardKit.objects.select_related("trade"):
        fits = [kit.trade] if kit.trade_id else []
        also_for = reference.get(kit.name_fr, {}).get("also_for", [])
        fits += [trades[code] for code in also_for if code in trades]
        kit.trades.add(*fits)


def back(apps, schema_editor):
    """A kit's one trade again: its own in the reference data, else the first of its trades."""
    StandardKit = apps.get_model("projects", "StandardKit")
    reference = _reference_kits()
    for kit in StandardKit.objects.filter(trade__isnull=True).prefetch_related("trades"):
        fits = sorted(kit.trades.all(), key=lambda trade: trade.code)
        own = reference.get(kit.name_fr, {}).get("trade")
        kit.trade = next((trade for trade in fits if trade.code == own), fits[0] if fits else None)
        if kit.trade is not None:
            kit.save(update_fields=["trade"])


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_standardkit_trades")]

    operations = [migrations.RunPython(fill, back)]
