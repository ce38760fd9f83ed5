"""The dashboard's map: one measure per prefecture/province (or region), coloured by class, with
the same figures in a table beside it.

Figures come from ``reports.figures`` by province of residence; Casablanca's prefectures of
arrondissements have no shape of their own and are added to the Casablanca prefecture's. A
share ("still running at 12 months") is added up as its two counts, then divided.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reintegration.models import Province, Region
from reintegration.money import format_amount, format_number, format_percent
from reports import figures, maps
from reports.dashboard import suppressed_text
from reports.filters import DashboardFilters
from reports.publication import is_small

MEASURES = {
    "people": _("People registered"),
    "funded": _("Projects funded"),
    "committed": _("Amount committed"),
    "running_share": _("Still running at 12 months"),
}
LAYERS = {"provinces": _("Prefectures and provinces"), "regions": _("Regions")}


@dataclass(frozen=True)
class MapChoice:
    measure: str = "people"
    layer: str = "provinces"

    @classmethod
    def from_query(cls, data) -> MapChoice:
        """Unknown values fall back to the defaults: a hand-typed URL never breaks the map."""
        measure, layer = data.get("measure", ""), data.get("layer", "")
        return cls(measure if measure in MEASURES else "people", layer if layer in LAYERS else "provinces")


def values_from_breakdown(province_rows: dict, measure: str) -> dict[int, object]:
    """The measure per province from the dashboard's breakdown (no query of its own), in the
    shape ``figures.by_province`` gives it."""
    pairs = {"committed": ("funded", "committed"), "running_share": ("running", "assessed")}
    if measure in pairs:
        first, second = pairs[measure]
        return {key: (row.get(first) or 0, row.get(second) or 0) for key, row in province_rows.items() if key}
    return {key: row.get(measure) or 0 for key, row in province_rows.items() if key is not None}


def build(filters: DashboardFilters, choice: MapChoice, by_province: dict, *, publication: bool = False) -> dict:
    """The map dict (``reports.maps.choropleth``) and its table rows, from ``{province_id: value}``."""
    provinces = list(Province.objects.select_related("region", "parent"))
    totals: dict[str, object] = {}
    names: dict[str, Province | Region] = {}
    for province in provinces:
        if choice.layer == "regions":
            shape, owner = f"MA-{province.region.code}", province.region
        else:
            owner = province.parent or province
            shape = owner.iso_code
        if not shape:
            continue
        names[shape] = owner
        value = by_province.get(province.pk)
        if value is not None:
            totals[shape] = _add(totals.get(shape), value)
        else:
            totals.setdefault(shape, None)
    url = reverse("dashboard:index")
    link_key = "region" if choice.layer == "regions" else "province"
    drop = {"province": None} if link_key == "region" else {"region": None}  # the click replaces the territory
    rows = []
    for shape, owner in names.items():
        raw = totals.get(shape)
        value = _value(raw, choice.measure)
        hidden = publication and _hidden(raw, choice.measure)
        rows.append(
            {
                "iso": shape,
                "label": owner.name,
                "value": None if hidden else value,
                "url": f"{url}?{filters.query_string(**{link_key: owner.code, **drop})}",
                "hidden": hidden,
                "order": owner.code,
            }
        )
    rows.sort(key=lambda row: row["order"])
    result = maps.choropleth(
        rows, layer=choice.layer, title=str(MEASURES[choice.measure]), value_format=_formatter(choice.measure)
    )
    result["rows"] = [
        {**row, "display": suppressed_text() if row["hidden"] else _formatter(choice.measure)(row["value"])}
        for row in rows
    ]
    result["measure"], result["layer"] = choice.measure, choice.layer
    return result


def _add(total, value):
    """Counts add up; pairs (count and amount, running and assessed) add up term by term."""
    if isinstance(value, tuple):
        return tuple(a + b for a, b in zip(total or (0, 0), value, strict=True))
    return (total or 0) + value


def _value(raw, measure: str):
    if raw is None:
        return None
    if measure == "running_share":
        running, assessed = raw
        return figures._share(running, assessed)
    if measure == "committed":
        return raw[1]
    return raw


def _hidden(raw, measure: str) -> bool:
    """For publication: a figure about fewer than the minimum of people (or of their projects)."""
    if raw is None:
        return False
    if measure == "running_share":
        return is_small(raw[1])
    if measure == "committed":
        return is_small(raw[0])
    return is_small(raw)


def _formatter(measure: str):
    def show(value) -> str:
        if value is None:
            return "—"
        if measure == "committed":
            return format_amount(Decimal(value))
        if measure == "running_share":
            return format_percent(value)
        return format_number(value)

    return show
