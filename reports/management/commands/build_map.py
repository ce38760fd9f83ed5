"""Build the map shapes the dashboards draw, from the ODbL TopoJSON files in ``reports/data``.

Run at build time, not per request: decoding ~40,000 quantized points and simplifying them takes a
moment, while the dashboards only need a few thousand points already projected to SVG coordinates.
The output is committed (``reports/data/map_provinces.json``, ``map_regions.json``) and read once per
process by :func:`reports.maps.load_shapes`.

Each TopoJSON arc (a boundary stretch shared by two neighbours) is simplified once, so both
neighbours get the very same simplified line and no gap or overlap opens between them. Both layers
use one projection and one viewBox so a region outline can be laid over the provinces.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
LAYERS = {"provinces": "morocco-map_provinces.topojson", "regions": "morocco-map_regions.topojson"}
# SVG user units. The map is WIDTH units wide (about 1.4 km per unit); TOLERANCE is the largest
# distance, in those units, a simplified line may stray from the original one.
WIDTH = 1000.0
PADDING = 2.0
TOLERANCE = 0.5
SOURCE = (
    "© OpenStreetMap contributors, ODbL-1.0, via yousfiSaad/morocco-map; "
    "simplified by manage.py build_map (tolerance {tolerance} of {width} units)"
)

Point = tuple[float, float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Undo TopoJSON quantization: each arc's positions are deltas of integers, then scaled and shifted."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: keep the point farthest from the chord while it strays more than ``tolerance``.

    The two endpoints are always kept, since they are where the arc meets its neighbours. An
    explicit stack, not recursion, as a coastline arc can hold thousands of points.
    """
    if len(points) < 3:
        return list(points)
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        chord = math.hypot(dx, dy)
        farthest, distance = first, 0.0
        for i in range(first + 1, last):
            px, py = points[i]
            # Distance to the chord's line; to the endpoint when the arc is a closed ring.
            d = abs(dy * (px - ax) - dx * (py - ay)) / chord if chord else math.hypot(px - ax, py - ay)
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep.add(farthest)
            stack += [(first, farthest), (farthest, last)]
    return [points[i] for i in sorted(keep)]


class Projection:
    """Equirectangular projection fitted to a bounding box: x shrunk by cos(mean latitude), y pointing down."""

    def __init__(self, points: Iterable[Point], width: float = WIDTH, padding: float = PADDING):
        lons, lats = zip(*points, strict=True)
        self.west, self.north = min(lons), max(lats)
        self.aspect = math.cos(math.radians((min(lats) + max(lats)) / 2))
        self.scale = width / ((max(lons) - self.west) * self.aspect)
        self.height = (self.north - min(lats)) * self.scale
        self.width, self.padding = width, padding

    def __call__(self, point: Point) -> Point:
        lon, lat = point
        return (lon - self.west) * self.aspect * self.scale, (self.north - lat) * self.scale

    @property
    def view_box(self) -> str:
        p = self.padding
        return " ".join(_number(v) for v in (-p, -p, self.width + 2 * p, self.height + 2 * p))


def _number(value: float) -> str:
    """One decimal, no trailing ``.0``: 0.1 unit is about 140 m, finer than any screen or print shows."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def ring_points(ring: Sequence[int], arcs: Sequence[Sequence[Point]]) -> list[Point]:
    """Chain a ring's arcs; ``~i`` (a negative index) is arc ``i`` walked backwards. Consecutive arcs
    share their joining point, so it is taken once."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def ring_path(points: Sequence[Point]) -> str | None:
    """An SVG subpath ``Mx,y x,y …Z`` (lineto is implicit after moveto), or None when the ring has
    shrunk below three distinct points, as a speck of an island may at this scale."""
    coords: list[str] = []
    for x, y in points:
        pair = f"{_number(x)},{_number(y)}"
        if not coords or coords[-1] != pair:
            coords.append(pair)
    if len(coords) > 1 and coords[0] == coords[-1]:
        coords.pop()
    if len(set(coords)) < 3:
        return None
    return "M" + " ".join(coords) + "Z"


def geometry_path(geometry: dict[str, Any], arcs: Sequence[Sequence[Point]]) -> str:
    """The ``d`` attribute of a Polygon or MultiPolygon: one subpath per ring, holes included (the
    default nonzero fill leaves them empty because TopoJSON winds them the other way)."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        raise CommandError(f"{geometry.get('id')}: unexpected geometry type {geometry['type']}")
    subpaths = [ring_path(ring_points(ring, arcs)) for polygon in polygons for ring in polygon]
    return " ".join(path for path in subpaths if path)


def build(
    topologies: dict[str, dict[str, Any]], tolerance: float = TOLERANCE, width: float = WIDTH
) -> dict[str, dict[str, Any]]:
    """Every layer's ``{"viewBox", "source", "shapes": {id: d}}``, all through one projection."""
    decoded = {layer: decode_arcs(topology) for layer, topology in topologies.items()}
    project = Projection((point for arcs in decoded.values() for arc in arcs for point in arc), width=width)
    result = {}
    for layer, topology in topologies.items():
        arcs = [simplify([project(p) for p in arc], tolerance) for arc in decoded[layer]]
        (collection,) = topology["objects"].values()
        shapes = {}
        for geometry in sorted(collection["geometries"], key=lambda g: g["id"]):
            path = geometry_path(geometry, arcs)
            if not path:
                raise CommandError(f"{layer} {geometry['id']}: nothing left after simplification")
            shapes[geometry["id"]] = path
        result[layer] = {
            "viewBox": project.view_box,
            "source": SOURCE.format(tolerance=tolerance, width=_number(width)),
            "shapes": shapes,
        }
    return result


class Command(BaseCommand):
    help = "Simplify and project the TopoJSON map shapes into reports/data/map_provinces.json and map_regions.json."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, default=DATA_DIR, help="Where to write (default: %(default)s).")
        parser.add_argument(
            "--tolerance", type=float, default=TOLERANCE, help="Douglas–Peucker tolerance in SVG units."
        )

    def handle(self, *args, output_dir: Path, tolerance: float, **options):
        topologies = {}
        for layer, name in LAYERS.items():
            with open(DATA_DIR / name, encoding="utf-8") as handle:
                topologies[layer] = json.load(handle)
        output_dir.mkdir(parents=True, exist_ok=True)
        for layer, data in build(topologies, tolerance=tolerance).items():
            target = output_dir / f"map_{layer}.json"
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
            target.write_text(text, encoding="utf-8")
            self.stdout.write(f"{target}: {len(data['shapes'])} shapes, {len(text.encode()) / 1024:.1f} KB")
