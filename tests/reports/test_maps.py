"""The national choropleth: shapes that match the territory, quantile classes, and an SVG that renders."""

import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import translation

from reintegration.models import Province, Region
from reports.management.commands.build_map import DATA_DIR, ring_points, simplify
from reports.maps import choropleth, class_of, classify, load_shapes

PROVINCE_SHAPES = set(load_shapes("provinces")["shapes"])
REGION_SHAPES = set(load_shapes("regions")["shapes"])


def _rows(values: dict[str, object]) -> list[dict]:
    return [
        {"iso": code, "label": f"Name {code}", "value": value, "url": f"/p/{code}/"} for code, value in values.items()
    ]


# The shapes and the territory


@pytest.mark.django_db
def test_every_top_level_province_has_a_shape_and_every_shape_a_province():
    top_level = Province.objects.filter(parent__isnull=True)
    assert top_level.count() == 75
    assert set(top_level.values_list("iso_code", flat=True)) == PROVINCE_SHAPES
    # Casablanca's prefectures of arrondissements lie inside the Casablanca shape and have none of their own.
    assert not set(
        Province.objects.filter(parent__isnull=False).exclude(iso_code="").values_list("iso_code", flat=True)
    )


@pytest.mark.django_db
def test_every_region_has_a_shape():
    assert {f"MA-{code}" for code in Region.objects.values_list("code", flat=True)} == REGION_SHAPES
    assert len(REGION_SHAPES) == 12


def test_both_layers_share_one_viewbox_so_they_overlay():
    assert load_shapes("provinces")["viewBox"] == load_shapes("regions")["viewBox"]
    assert "OpenStreetMap" in load_shapes("provinces")["source"]


def test_the_shapes_are_read_once_per_process():
    assert load_shapes("provinces") is load_shapes("provinces")
    with pytest.raises(ValueError):
        load_shapes("communes")


def test_the_committed_shapes_stay_small():
    assert (DATA_DIR / "map_provinces.json").stat().st_size < 150 * 1024
    assert (DATA_DIR / "map_regions.json").stat().st_size < 80 * 1024


def test_every_path_is_closed_subpaths_within_the_viewbox():
    minx, miny, width, height = map(float, load_shapes("provinces")["viewBox"].split())
    for layer in ("provinces", "regions"):
        for code, d in load_shapes(layer)["shapes"].items():
            assert re.fullmatch(r"(M[-\d., ]+Z ?)+", d), code
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d)?", d)]
            assert all(minx <= x <= minx + width for x in numbers[0::2]), code
            assert all(miny <= y <= miny + height for y in numbers[1::2]), code


# Building


def test_build_map_rebuilds_the_committed_shapes(tmp_path):
    out = io.StringIO()
    call_command("build_map", output_dir=tmp_path, stdout=out)
    assert "75 shapes" in out.getvalue()
    for layer in ("provinces", "regions"):
        built = json.loads((tmp_path / f"map_{layer}.json").read_text(encoding="utf-8"))
        committed = load_shapes(layer)
        assert set(built["shapes"]) == set(committed["shapes"])
        assert built["viewBox"] == committed["viewBox"]


def test_simplify_keeps_the_endpoints_and_drops_points_within_tolerance():
    line = [(0.0, 0.0), (1.0, 0.1), (2.0, -0.1), (3.0, 5.0), (4.0, 0.0)]
    assert simplify(line, 0.5) == [(0.0, 0.0), (2.0, -0.1), (3.0, 5.0), (4.0, 0.0)]
    assert simplify(line, 10) == [(0.0, 0.0), (4.0, 0.0)]
    # A closed ring (first point = last point) keeps its farthest point rather than dividing by zero.
    ring = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    assert simplify(ring, 0.1)[0] == simplify(ring, 0.1)[-1] == (0.0, 0.0)
    assert (1.0, 1.0) in simplify(ring, 0.1)


def test_a_reversed_arc_is_walked_backwards_and_joints_are_not_repeated():
    arcs = [[(0, 0), (1, 0), (1, 1)], [(0, 0), (0, 1), (1, 1)]]
    assert ring_points([0, ~1], arcs) == [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]


# Classes


def test_classify_by_quantiles_of_the_non_zero_values():
    assert classify(list(range(0, 11))) == [2, 4, 6, 8, 10]
    assert classify([None, 0, *range(1, 11)], classes=2) == [5, 10]
    assert classify([Decimal("1.5"), Decimal("2.5"), 4.0, 7]) == [Decimal("1.5"), Decimal("2.5"), 4.0, 7]


def test_classify_gives_fewer_classes_when_few_distinct_values():
    assert classify([3, 3, 3, 3, 9]) == [3, 9]
    assert classify([5, 5, 5]) == [5]
    assert classify([0, None, 0]) == []
    assert classify([]) == []


def test_zero_and_none_fall_in_the_none_class():
    breaks = [2, 4, 6, 8, 10]
    assert [class_of(v, breaks) for v in (None, 0, Decimal(0), 1, 2, 3, 10, 11)] == [0, 0, 0, 1, 1, 2, 5, 5]
    assert class_of(5, []) == 0


# The map


@translation.override("en")  # the labels are asserted in English, whatever an earlier test left active
def test_choropleth_colours_every_shape_once_and_ignores_unknown_ids():
    values = {"MA-TNG": 10, "MA-REH": 20, "MA-CAS": 30, "MA-RAB": 40, "MA-FES": 50, "MA-AGD": 0, "MA-OUJ": None}
    rows = [*_rows(values), {"iso": "", "label": "Anfa", "value": 999, "url": None}]
    rows.append({"iso": "MA-XXX", "label": "Nowhere", "value": 1000, "url": None})
    result = choropleth(rows, layer="provinces", title="Beneficiaries", value_format=str)

    assert [s["code"] for s in result["shapes"]] == list(load_shapes("provinces")["shapes"])
    by_code = {s["code"]: s for s in result["shapes"]}
    assert {code: by_code[code]["klass"] for code in values} == {
        "MA-TNG": 1,
        "MA-REH": 2,
        "MA-CAS": 3,
        "MA-RAB": 4,
        "MA-FES": 5,
        "MA-AGD": 0,
        "MA-OUJ": 0,
    }
    assert by_code["MA-REH"] | {"d": None} == {
        "code": "MA-REH",
        "d": None,
        "label": "Name MA-REH",
        "value": 20,
        "display": "20",
        "klass": 2,
        "fill": by_code["MA-REH"]["fill"],
        "url": "/p/MA-REH/",
    }
    # A shape with no row: no value, the none class, its code as label, no link.
    assert by_code["MA-TAO"] | {"d": None} == {
        "code": "MA-TAO",
        "d": None,
        "label": "MA-TAO",
        "value": None,
        "display": "No data",
        "klass": 0,
        "fill": result["none_fill"],
        "url": None,
    }
    # The unknown ids do not stretch the classes: 1000 and 999 are nowhere.
    assert [entry["label"] for entry in result["legend"]] == ["10", "20", "30", "40", "50"]
    assert [entry["klass"] for entry in result["legend"]] == [1, 2, 3, 4, 5]
    assert len({entry["fill"] for entry in result["legend"]} | {result["none_fill"]}) == 6
    assert result["viewBox"] == load_shapes("provinces")["viewBox"]
    assert result["has_links"]


def test_the_legend_shows_each_class_range_formatted():
    values = dict(zip(sorted(REGION_SHAPES), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, None], strict=True))
    result = choropleth(_rows(values), layer="regions", title="Amounts", value_format=lambda v: f"{v} MAD")
    assert [entry["label"] for entry in result["legend"]] == [
        "1 MAD – 2 MAD",
        "3 MAD – 4 MAD",
        "5 MAD – 6 MAD",
        "7 MAD – 8 MAD",
        "9 MAD – 10 MAD",
    ]


def test_two_rows_for_one_shape_must_be_rolled_up_first():
    with pytest.raises(ValueError, match="MA-CAS"):
        choropleth(_rows({"MA-CAS": 1}) * 2, layer="provinces", title="t", value_format=str)


def test_no_figures_at_all_gives_a_grey_map_and_an_empty_legend():
    result = choropleth([], layer="regions", title="t", value_format=str)
    assert {s["klass"] for s in result["shapes"]} == {0}
    assert result["legend"] == []
    assert not result["has_links"]


# The template


def test_the_template_draws_one_linked_path_per_shape_with_a_tooltip():
    values = {code: i for i, code in enumerate(sorted(PROVINCE_SHAPES))}
    result = choropleth(_rows(values), layer="provinces", title="Beneficiaries by province", value_format=str)
    html = render_to_string("reports/_map.html", {"map": result})

    assert html.count("<path") == 75
    assert f'viewBox="{result["viewBox"]}"' in html
    assert f'aria-labelledby="{result["id"]}-title"' in html
    assert f'<title id="{result["id"]}-title">Beneficiaries by province</title>' in html
    assert "<title>Name MA-REH: " in html
    assert 'href="/p/MA-REH/"' in html
    assert html.count('<a class="map-link"') == 75  # the one at 0 links too: it has a url
    assert 'role="group"' in html
    assert html.count('class="map-swatch') == len(result["legend"]) + 1
    assert "OpenStreetMap" in html


@translation.override("en")
def test_without_links_the_map_is_one_image_and_says_no_data():
    html = render_to_string(
        "reports/_map.html", {"map": choropleth([], layer="regions", title="Empty", value_format=str)}
    )
    assert html.count("<path") == 12
    assert "href" not in html
    assert 'role="img"' in html
    assert ": No data</title>" in html
    assert "None or no data" in html
