"""Load the 12 regions, 75 prefectures/provinces and Casablanca's 8 prefectures of
arrondissements from the HCP files shipped in ``reintegration/data/territory``."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "territory"
CASABLANCA = "06.141"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load(apps, schema_editor):
    Region = apps.get_model("reintegration", "Region")
    Province = apps.get_model("reintegration", "Province")
    iso = {row["hcp_code"]: row["iso3166_2"] for row in _rows("crosswalk_hcp_to_iso3166-2.csv")}
    regions = {
        row["code"]: Region.objects.update_or_create(
            code=row["code"], defaults={"name_fr": row["name_fr"], "name_ar": row["name_ar"]}
        )[0]
        for row in _rows("hcp_regions.csv")
    }
    provinces = {}
    # Parents first: the Casablanca prefecture before its prefectures of arrondissements.
    for row in sorted(_rows("hcp_provinces.csv"), key=lambda r: (len(r["code"]), r["code"])):
        parent = provinces.get(CASABLANCA) if row["type"] == "prefecture_of_arrondissements" else None
        provinces[row["code"]] = Province.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_fr": row["name_fr"],
                "name_ar": row["name_ar"],
                "kind": row["type"],
                "region": regions[row["region_code"]],
                "parent": parent,
                "iso_code": iso.get(row["code"], ""),
            },
        )[0]


class Migration(migrations.Migration):
    dependencies = [("reintegration", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
