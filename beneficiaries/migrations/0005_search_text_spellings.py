"""The search keys now take in particles joined, apart or dropped and more transcriptions (issue 9),
so every case file's ``search_text`` is computed again.

It is computed by today's ``beneficiaries.names``, as ``Beneficiary.save()`` does: if the rules
change again, a later migration recomputes the keys the same way. Only the live table holds
``search_text`` (the history leaves it out), and only the rows whose keys changed are written.
"""

from django.db import migrations

from beneficiaries import names

BATCH = 2000


def recompute_search_text(apps, schema_editor):
    Beneficiary = apps.get_model("beneficiaries", "Beneficiary")
    cases = Beneficiary.objects.only("pk", "search_text", *names.NAME_FIELDS).order_by("pk")
    changed = []
    for case in cases.iterator(chunk_size=BATCH):
        text = names.case_search_text(case)
        if text != case.search_text:
            case.search_text = text
            changed.append(case)
        if len(changed) == BATCH:
            Beneficiary.objects.bulk_update(changed, ["search_text"])
            changed = []
    Beneficiary.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0004_phone_help"),
    ]

    operations = [
        migrations.RunPython(recompute_search_text, migrations.RunPython.noop, elidable=False),
    ]
