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
from reports.cache import FigureCache
from reports.filters import DashboardFilters
from reports.publication import is_small
from reports.tables import suppressed_text

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


def province_values(filters: DashboardFilters, choice: MapChoice) -> dict[int, object]:
    """The measure per province: from the dashboard's figures when the page computed them (no
    query), else from one query of its own (cached like them)."""
    store = FigureCache(filters)
    scans = store.peek("scans")
    if scans is not None:
        return values_from_breakdown(figures.breakdowns(scans)["province"], choice.measure)
    return store.get(f"map:{choice.measure}", lambda: figures.by_province(filters=filters, measure=choice.measure))


def values_from_breakdown(province_rows: dict, measure: str) -> dict[int, object]:
    """The measure per province from the dashboard's breakdown (no query of its own), in the
    shape ``figures.by_province`` gives it."""
    pairs = {"committed": ("funded", "committed"), "running_share": ("running", "assessed")}
    if measure in pairs:
        first, second = pairs[measure]
        return {key: (row.get(first) or 0, row.get(second) or 0) for key, row in province_rows.items() if key}
    return {key: row.get(measure) or 0 for key, row in province_rows.items() if key is not None}


def build(filters: DashboardFilters, choice: MapChoice, by_province: dict, *, links: bool = True) -> dict:
    """The map dict (``reports.maps.choropleth``) and its table rows, from ``{province_id: value}``.
    ``links=False`` for paper: a PDF's shapes lead nowhere."""
    owners, totals = _by_shape(choice.layer, by_province)
    url = reverse("dashboard:index")
    link_key = "region" if choice.layer == "regions" else "province"
    drop = {"province": None} if link_key == "region" else {"region": None}  # the click replaces the territory
    rows = [
        {
            "iso": shape,
            "label": owner.name,
            "value": _value(totals.get(shape), choice.measure),
            "url": f"{url}?{filters.query_string(**{link_key: owner.code, **drop})}" if links else None,
            "hidden": filters.publication and _hidden(totals.get(shape), choice.measure),
            "order": owner.code,
        }
        for shape, owner in owners.items()
    ]
    rows.sort(key=lambda row: row["order"])
    if filters.publication:
        _hide_one_more(rows, totals, choice.measure)
    show = _formatter(choice.measure)
    for row in rows:
        row["display"] = suppressed_text() if row["hidden"] else show(row["value"])
        if row["hidden"]:
            row["value"] = None
    result = maps.choropleth(rows, layer=choice.layer, title=str(MEASURES[choice.measure]), value_format=show)
    hidden = {row["iso"] for row in rows if row["hidden"]}
    for shape in result["shapes"]:
        if shape["code"] in hidden:
            shape["display"] = suppressed_text()  # not "no data": there is, too little to show
    result["rows"], result["measure"], result["layer"] = rows, choice.measure, choice.layer
    return result


def _by_shape(layer: str, by_province: dict) -> tuple[dict, dict]:
    """Each shape's owner (province or region) and its total; Casablanca's prefectures of
    arrondissements count in the Casablanca prefecture's shape."""
    owners: dict[str, Province | Region] = {}
    totals: dict[str, object] = {}
    for province in Province.objects.select_related("region", "parent"):
        if layer == "regions":
            shape, owner = f"MA-{province.region.code}", province.region
        else:
            owner = province.parent or province
            shape = owner.iso_code
        if not shape:
            continue
        owners[shape] = owner
        value = by_province.get(province.pk)
        if value is not None:
            totals[shape] = _add(totals.get(shape), value)
    return owners, totals


def _hide_one_more(rows: list[dict], totals: dict, measure: str) -> None:
    """Secondary suppression: with one shape hidden, the national total less the others would
    give it back; the next smallest is hidden too."""
    hidden = [row for row in rows if row["hidden"]]
    if len(hidden) != 1:
        return
    others = [row for row in rows if not row["hidden"] and _count(totals.get(row["iso"]), measure)]
    if others:
        min(others, key=lambda row: _count(totals.get(row["iso"]), measure))["hidden"] = True


def _count(raw, measure: str) -> int:
    """The count of people (or projects) behind a shape's figure."""
    if raw is None:
        return 0
    if measure == "running_share":
        return raw[1]
    if measure == "committed":
        return raw[0]
    return raw


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
        return figures.share(running, assessed)
    if measure == "committed":
        return raw[1]
    return raw


def _hidden(raw, measure: str) -> bool:
    """For publication: a figure about fewer than the minimum of people (or of their projects)."""
    return is_small(_count(raw, measure))


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
