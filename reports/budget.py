"""Budget execution: by envelope, by funder (through the funders' shares) and by region.

Envelopes are HQ's: a centre's dashboard has none.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reintegration.i18n import is_arabic
from reintegration.models import Region
from reports import figures
from reports.filters import DashboardFilters
from reports.tables import AMOUNT, LABEL, SHARE, Column, Row, Table, bilingual, named

ENVELOPE_COLUMNS = [
    Column("amount", _("Amount (DH)"), AMOUNT, sensitive=False),  # a budget, not people's money
    Column("committed", _("Committed (DH)"), AMOUNT, sensitive=False),
    Column("delivered", _("Delivered (DH)"), AMOUNT, sensitive=False),
    Column("available", _("Available (DH)"), AMOUNT, sensitive=False),
    Column("consumed", _("Consumed"), SHARE, sensitive=False),
]
# An envelope's own row: what it committed says what its few projects got, when they are few.
ONE_ENVELOPE_COLUMNS = [
    Column("projects", _("Projects funded")),
    ENVELOPE_COLUMNS[0],
    *(Column(c.key, c.label, c.kind, base="projects") for c in ENVELOPE_COLUMNS[1:]),
]


def _envelope_values(amount, committed, delivered) -> dict:
    amount, committed, delivered = (figures.amount(v) for v in (amount, committed, delivered))
    return {
        "amount": amount,
        "committed": committed,
        "delivered": delivered,
        "available": amount - committed,
        "consumed": figures.share(committed, amount),
    }


def budget_tables(filters: DashboardFilters, projects_by_envelope: dict[int, int]) -> dict[str, Table]:
    if filters.scope_centre is not None:
        return {}  # envelopes are HQ's
    envelope_rows = [
        Row(
            envelope.pk,
            str(envelope),
            {
                "program": str(envelope.program),
                "territory": envelope.territory,
                "projects": projects_by_envelope.get(envelope.pk, 0),
                **_envelope_values(envelope.amount, envelope.committed, envelope.delivered),
            },
            {"ar": str(envelope), "fr": str(envelope)},
            reverse("envelopes:detail", args=[envelope.pk]),
        )
        for envelope in figures.envelope_rows(filters=filters)
    ]
    total_values = {"amount": 0, "committed": 0, "delivered": 0}
    for row in envelope_rows:
        for key in total_values:
            total_values[key] += row.values[key]
    projects = sum(row.values["projects"] for row in envelope_rows)
    total = Row(
        None, str(_("Total")), {**_envelope_values(**total_values), "projects": projects}, bilingual(_("Total"))
    )
    envelope_columns = [
        Column("envelope", _("Envelope"), LABEL),
        Column("program", _("Program"), LABEL),
        Column("territory", _("Territory"), LABEL),
        *ONE_ENVELOPE_COLUMNS,
    ]
    narrowing = filters.centre or filters.sex or filters.sector or filters.trade
    note = (
        _("Envelope figures cover whole envelopes: the filters by centre, sex, sector and trade do not apply to them.")
        if narrowing
        else ""
    )
    funders = figures.funder_rows(filters=filters)
    funder_table_rows = []
    for funder in funders:
        values = _envelope_values(funder["share_total"], funder["committed"], funder["delivered"])
        names = {"ar": funder["partner__name_ar"], "fr": funder["partner__name_fr"]}
        funder_table_rows.append(Row(funder["partner_id"], names["ar" if is_arabic() else "fr"], values, names))
    funder_total: dict = {"amount": 0, "committed": 0, "delivered": 0}
    for row in funder_table_rows:
        for key in funder_total:
            funder_total[key] += row.values[key]
    by_region = figures.budget_by_region(filters=filters)
    regions = Region.objects.in_bulk([row["territory_region"] for row in by_region if row["territory_region"]])
    region_rows = []
    for row in by_region:
        region = regions.get(row["territory_region"])
        labels = named(region) if region else bilingual(_("National envelopes"))
        region_rows.append(
            Row(
                row["territory_region"],
                labels["ar" if is_arabic() else "fr"],
                _envelope_values(row["amount_total"], row["committed_total"], row["delivered_total"]),
                labels,
            )
        )
    funder_note = _(
        "Each funder's part of what an envelope committed and delivered is its share of the envelope, "
        "rounded per funder; envelopes without funders are left out."
    )
    return {
        "envelopes": Table(
            "envelopes",
            _("Budget execution by envelope"),
            envelope_columns,
            envelope_rows,
            total,
            note,
            "consumed",
        ),
        "funders": Table(
            "funders",
            _("By funder"),
            [Column("funder", _("Funder"), LABEL), *ENVELOPE_COLUMNS],
            funder_table_rows,
            Row(None, str(_("Total")), _envelope_values(**funder_total), bilingual(_("Total"))),
            funder_note,
        ),
        "budget_region": Table(
            "budget_region",
            _("Budget by region"),
            [Column("region", _("Region"), LABEL), *ENVELOPE_COLUMNS],
            region_rows,
            total,
            note,
        ),
    }
