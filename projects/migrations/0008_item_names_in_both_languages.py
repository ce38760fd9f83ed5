"""Equipment items named in French and in Arabic: ``item`` becomes ``item_fr`` and ``item_ar``
is added, filled for the standard kits' items (and the plans' lines that use the same
names) from ``projects/data/item_names_ar.json``."""

import json
from pathlib import Path

from django.db import migrations, models

NAMES = Path(__file__).resolve().parent.parent / "data" / "item_names_ar.json"


def arabic_names() -> dict[str, str]:
    return json.loads(NAMES.read_text(encoding="utf-8"))


def fill(apps, schema_editor):
    names = arabic_names()
    for model in ("KitLine", "EquipmentLine"):
        lines = apps.get_model("projects", model).objects
        for french, arabic in names.items():
            lines.filter(item_fr=french, item_ar="").update(item_ar=arabic)


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_remove_standardkit_trade")]

    operations = [
        migrations.RenameField("kitline", "item", "item_fr"),
        migrations.RenameField("equipmentline", "item", "item_fr"),
        migrations.AlterField(
            "kitline", "item_fr", models.CharField(max_length=200, verbose_name="item in French")
        ),
        migrations.AlterField(
            "equipmentline", "item_fr", models.CharField(max_length=200, verbose_name="item in French")
        ),
        migrations.AddField(
            "kitline",
            "item_ar",
            models.CharField(blank=True, max_length=200, verbose_name="item in Arabic"),
        ),
        migrations.AddField(
            "equipmentline",
            "item_ar",
            models.CharField(blank=True, max_length=200, verbose_name="item in Arabic"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
