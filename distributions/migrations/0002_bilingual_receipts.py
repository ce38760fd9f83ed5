"""Receipts in both languages all through, and a random public reference in their QR code.

Events get the venue, the town and the presiding official's name in both languages (the
French ones are the former fields); operations get an Arabic name; items handed over get
an Arabic name (from their plan line, else from the standard kits' names); printed
receipts get the random reference their new QR codes name instead of the sequential id.
"""

import json
import secrets
from pathlib import Path

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

NAMES = Path(__file__).resolve().parent.parent.parent / "projects" / "data" / "item_names_ar.json"
# Letters only, without look-alikes: a reference is never all digits, unlike the ids that
# receipts printed before it carry (and which still verify).
ALPHABET = "abcdefghjkmnpqrstuvwxyz"


def fill(apps, schema_editor):
    HandoverItem = apps.get_model("distributions", "HandoverItem")
    EquipmentLine = apps.get_model("projects", "EquipmentLine")
    Handover = apps.get_model("distributions", "Handover")
    plan_name = EquipmentLine.objects.filter(pk=OuterRef("equipment_line_id")).values("item_ar")[:1]
    HandoverItem.objects.filter(equipment_line__isnull=False).update(item_ar=Coalesce(Subquery(plan_name), Value("")))
    for french, arabic in json.loads(NAMES.read_text(encoding="utf-8")).items():
        HandoverItem.objects.filter(item_fr=french, item_ar="").update(item_ar=arabic)
    printed = list(Handover.objects.filter(receipt_number__isnull=False, public_ref__isnull=True).only("pk"))
    for handover in printed:
        handover.public_ref = "".join(secrets.choice(ALPHABET) for _ in range(16))
    Handover.objects.bulk_update(printed, ["public_ref"], batch_size=1000)


def text(verbose_name, max_length, **options):
    return models.CharField(max_length=max_length, verbose_name=verbose_name, **options)


class Migration(migrations.Migration):
    dependencies = [
        ("distributions", "0001_initial"),
        ("projects", "0008_item_names_in_both_languages"),
    ]

    operations = [
        # Operations
        migrations.RenameField("operation", "name", "name_fr"),
        migrations.AlterField("operation", "name_fr", text("name in French", 200)),
        migrations.AddField("operation", "name_ar", text("name in Arabic", 200, default=""), preserve_default=False),
        migrations.AlterModelOptions(
            "operation",
            options={
                "ordering": ["-year", "name_fr"],
                "verbose_name": "operation",
                "verbose_name_plural": "operations",
            },
        ),
        # Events and their history
        *[
            operation
            for model in ("event", "historicalevent")
            for operation in (
                migrations.RenameField(model, "venue", "venue_fr"),
                migrations.RenameField(model, "presiding_name", "presiding_name_fr"),
                migrations.AlterField(
                    model, "venue_fr", text("venue in French", 300, help_text="e.g. Siège de la province, Ben Guerir")
                ),
                migrations.AddField(
                    model,
                    "venue_ar",
                    text("venue in Arabic", 300, default="", help_text="e.g. مقر عمالة إقليم الرحامنة، ابن جرير"),
                    preserve_default=False,
                ),
                migrations.AddField(
                    model,
                    "town_fr",
                    text(
                        "town in French",
                        100,
                        blank=True,
                        help_text="Where the receipts are signed (“Fait à …”); the province's name when left empty.",
                    ),
                ),
                migrations.AddField(
                    model, "town_ar", text("town in Arabic", 100, blank=True, help_text="e.g. ابن جرير")
                ),
                migrations.AlterField(
                    model, "presiding_name_fr", text("presiding official's name in French", 200, blank=True)
                ),
                migrations.AddField(
                    model, "presiding_name_ar", text("presiding official's name in Arabic", 200, blank=True)
                ),
            )
        ],
        # Items handed over
        migrations.RenameField("handoveritem", "item", "item_fr"),
        migrations.AlterField("handoveritem", "item_fr", text("item in French", 200)),
        migrations.AddField("handoveritem", "item_ar", text("item in Arabic", 200, blank=True)),
        # The receipts' public reference
        migrations.AddField(
            "handover",
            "public_ref",
            models.CharField(blank=True, editable=False, max_length=24, null=True, unique=True),
        ),
        migrations.AddField(
            "historicalhandover",
            "public_ref",
            models.CharField(blank=True, db_index=True, editable=False, max_length=24, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
