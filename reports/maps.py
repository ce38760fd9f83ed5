"""Choropleth maps of Morocco for the national dashboards, drawn on the server as inline SVG.

No JavaScript and nothing fetched from the internet: the same SVG shows in the web page and in the
WeasyPrint PDF. The shapes are built once, at build time, by ``manage.py build_map`` (see
``reports/data/README.md``); this module only reads them and colours them.

It stays pure (no queries): the caller turns its figures into rows, already localised and already
rolled up to the map's shapes (Casablanca's prefectures of arrondissements have no shape of their
own), and gets back what ``templates/reports/_map.html`` needs.
"""

from __future__ import annotations

import hashlib
import json
import math
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

DATA_DIR = Path(__file__).resolve().parent / "data"
LAYERS = ("provinces", "regions")
# ColorBrewer "Blues" (sequential, colour-blind safe, prints in grey well), lightest to darkest.
# The very lightest Blues tone is left out: against white strokes it hardly differs from the grey.
BLUES = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NONE_FILL = "#e5e5e5"
MAX_CLASSES = len(BLUES)

Number = Decimal | int | float


@lru_cache(maxsize=len(LAYERS))
def load_shapes(layer: str) -> dict[str, Any]:
    """``{"viewBox", "source", "shapes": {iso_code: svg_path}}`` of a layer, read once per process.

    The cached dict is shared by every request: read it, never change it.
    """
    if layer not in LAYERS:
        raise ValueError(f"Unknown map layer {layer!r}; expected one of {LAYERS}.")
    with open(DATA_DIR / f"map_{layer}.json", encoding="utf-8") as handle:
        return json.load(handle)


def classify(values: Iterable[Number | None], classes: int = MAX_CLASSES) -> list[Number]:
    """Class breaks by quantiles of the non-zero values: the upper bound of each class, ascending.

    Value ``v`` falls in class ``k`` (1-based) when ``breaks[k-2] < v <= breaks[k-1]``; see
    :func:`class_of`. Zero and None are left out, for they get their own "none" class (0): a
    province with no beneficiary should not pull the first class down to zero.

    Each break is one of the values (nearest-rank quantile), so every class holds at least one
    value and the legend never shows an empty range. Equal breaks are merged, so there are fewer
    classes than asked when there are few distinct values; no values at all gives ``[]``.
    """
    if classes < 1:
        raise ValueError("classes must be at least 1.")
    ordered = sorted(v for v in values if v)
    breaks: list[Number] = []
    for k in range(1, classes + 1):
        value = ordered[math.ceil(k * len(ordered) / classes) - 1] if ordered else None
        if value is not None and (not breaks or value > breaks[-1]):
            breaks.append(value)
    return breaks


def class_of(value: Number | None, breaks: list[Number]) -> int:
    """The class of ``value`` under ``breaks`` from :func:`classify`: 0 for zero, None or no breaks,
    else 1..len(breaks). A value beyond the last break (not among the classified ones) takes the last class."""
    if not value or not breaks:
        return 0
    return min(bisect_left(breaks, value), len(breaks) - 1) + 1


def class_fill(klass: int, classes: int) -> str:
    """The fill of class ``klass`` out of ``classes``: spread over the palette, so two classes are
    light and dark blue, not the two lightest tones."""
    if klass == 0:
        return NONE_FILL
    if classes == 1:
        return BLUES[len(BLUES) // 2]
    return BLUES[round((klass - 1) * (len(BLUES) - 1) / (classes - 1))]


def choropleth(
    rows: Iterable[Mapping[str, Any]],
    *,
    layer: str,
    title: str,
    value_format: Callable[[Any], str],
) -> dict[str, Any]:
    """Everything ``templates/reports/_map.html`` draws, as the template variable ``map``.

    ``rows``: one mapping per territory with ``iso`` (shape id: ``MA-REH`` for a province,
    ``MA-07`` for a region), ``label`` (name in the active language), ``value`` (number or None)
    and ``url`` (drill-down link or None). Rows whose ``iso`` has no shape in the layer are left
    out, classification included; two rows for one shape raise ValueError (roll them up first).
    Give a row, value 0, to territories with no figure so their tooltip shows their name.

    Returns ``{"id", "title", "layer", "viewBox", "source", "classes", "shapes", "legend",
    "none_fill", "has_links"}``:

    - ``shapes``: every shape of the layer once, in the layer's order, each
      ``{"code", "d", "label", "value", "display", "klass", "fill", "url"}``; ``klass`` is 0
      (zero, None or no row) or 1..``classes``; ``display`` is ``value_format(value)``, or
      "No data" when there is no value; ``label`` is the shape id when there is no row.
    - ``legend``: ``[{"klass", "label", "fill"}]`` for classes 1..n, ``label`` the range of the
      values in that class ("1 – 5", or "7" when it holds one value), formatted by ``value_format``.
      The template adds the class-0 entry itself.
    - ``id``: stable and unique per layer and title, for ``aria-labelledby`` when a page shows
      several maps.
    """
    layer_data = load_shapes(layer)
    paths: dict[str, str] = layer_data["shapes"]
    by_code: dict[str, Mapping[str, Any]] = {}
    for row in rows:
        code = row["iso"]
        if code not in paths:
            continue
        if code in by_code:
            raise ValueError(f"Two rows for map shape {code}: roll them up before drawing the map.")
        by_code[code] = row
    breaks = classify([row["value"] for row in by_code.values()])
    classes = len(breaks)
    shapes = []
    in_class: dict[int, list[Number]] = {k: [] for k in range(1, classes + 1)}
    for code, d in paths.items():
        row = by_code.get(code, {})
        value = row.get("value")
        klass = class_of(value, breaks)
        if klass:
            in_class[klass].append(value)
        shapes.append(
            {
                "code": code,
                "d": d,
                "label": row.get("label") or code,
                "value": value,
                "display": gettext("No data") if value is None else value_format(value),
                "klass": klass,
                "fill": class_fill(klass, classes),
                "url": row.get("url"),
            }
        )
    legend = []
    for klass, members in in_class.items():
        low, high = value_format(min(members)), value_format(max(members))
        legend.append(
            {"klass": klass, "label": low if low == high else f"{low} – {high}", "fill": class_fill(klass, classes)}
        )
    digest = hashlib.sha1(f"{layer}\n{title}".encode(), usedforsecurity=False).hexdigest()[:8]
    return {
        "id": f"map-{layer}-{digest}",
        "title": title,
        "layer": layer,
        "viewBox": layer_data["viewBox"],
        "source": layer_data["source"],
        "classes": classes,
        "shapes": shapes,
        "legend": legend,
        "none_fill": NONE_FILL,
        "has_links": any(shape["url"] for shape in shapes),
    }
