"""Sectors, trades and standard kits from ``projects/data/reference.json``.

Reference lists, not demo data: administrators edit them afterwards in the admin.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "reference.json"


def load(apps, schema_editor):
    Sector = apps.get_model("projects", "Sector")
    Trade = apps.get_model("projects", "Trade")
    StandardKit = apps.get_model("projects", "StandardKit")
    KitLine = apps.get_model("projects", "KitLine")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    sectors = {}
    for row in data["sectors"]:
        sectors[row["code"]] = Sector.objects.update_or_create(
            code=row["code"], defaults={"name_ar": row["name_ar"], "name_fr": row["name_fr"]}
        )[0]
    trades = {}
    for row in data["trades"]:
        trades[row["code"]] = Trade.objects.update_or_create(
            code=row["code"],
            defaults={"name_ar": row["name_ar"], "name_fr": row["name_fr"], "sector": sectors[row["sector"]]},
        )[0]
    for row in data["kits"]:
        kit, created = StandardKit.objects.get_or_create(
            trade=trades[row["trade"]], name_fr=row["name_fr"], defaults={"name_ar": row["name_ar"]}
        )
        if created:
            KitLine.objects.bulk_create(
                KitLine(kit=kit, item=item, quantity=Decimal(quantity), unit=unit, unit_price=Decimal(price))
                for item, quantity, unit, price in row["lines"]
            )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
