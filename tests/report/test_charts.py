"""Charts: the right marks, the right colours in the right order, clear errors."""

from __future__ import annotations

import json
import re

import matplotlib as mpl
import polars as pl
import pytest

from growthpole import datasets
from growthpole.errors import InputError
from growthpole.report import charts


def _region_patches(fig):
    return {
        p.get_gid()[7:]: p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("region-")
    }


@pytest.fixture
def t1_2016():
    return datasets.load("kireyeva2018_table1").filter(pl.col("year") == 2016)


def test_grade_map_draws_16_regions_in_scale_order(t1_2016):
    fig = charts.choropleth(t1_2016, "grade")
    patches = _region_patches(fig)
    assert len(patches) == 16
    # same grade -> same colour; colours darken from C to A (luminance strictly falls)
    colour = {}
    for row in t1_2016.iter_rows(named=True):
        colour.setdefault(row["grade"], mpl.colors.to_hex(patches[row["region"]].get_facecolor()))
        assert colour[row["grade"]] == mpl.colors.to_hex(patches[row["region"]].get_facecolor())

    def lum(hexcol):
        r, g, b = mpl.colors.to_rgb(hexcol)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    order = [g for g in ["C", "C+", "C++", "B", "B+", "A"] if g in colour]
    lums = [lum(colour[g]) for g in order]
    assert lums == sorted(lums, reverse=True)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["A", "B+", "B", "C++", "C+", "C"]  # top grade first


def test_svg_has_region_groups_with_tooltips(t1_2016):
    svg = charts.to_svg(charts.choropleth(t1_2016, "grade"))
    groups = re.findall(r'<g id="region-([a-z_]+)" class="region"><title>([^<]*)</title>', svg)
    assert len(groups) == 16
    assert ("almaty_city", "Almaty city: A") in groups  # Table 1: Almaty city 2016 = 76.05, A
    assert "http" not in svg.replace("http://www.w3.org", "")


def test_missing_values_are_hatched_no_data():
    sh = pl.DataFrame({"region": ["almaty_city", "astana"], "share_of_national": [0.6, None]})
    fig = charts.choropleth(sh, "share_of_national")
    patches = _region_patches(fig)
    assert patches["astana"].get_hatch() == "///"
    assert patches["akmola"].get_hatch() == "///"  # not in the data at all
    assert patches["almaty_city"].get_hatch() is None


def test_join_by_name_when_ids_do_not_match(tmp_path):
    gj = datasets.geojson()
    for f in gj["features"]:
        f["properties"] = {"NAME": f["properties"]["paper_name"]}
    p = tmp_path / "b.geojson"
    p.write_text(json.dumps(gj))
    data = pl.DataFrame(
        {"region": ["x1", "x2"], "name": ["ALMATY CITY", "Astana  city"], "v": [1.0, 2.0]}
    )
    fig = charts.choropleth(data, "v", boundaries=p)
    assert len(fig.axes[0].patches) == 16


def test_unmatched_regions_are_listed():
    data = pl.DataFrame({"region": ["almaty_city", "atlantis", "lemuria"], "v": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError) as exc:
        charts.choropleth(data, "v")
    msg = str(exc.value)
    assert "2 region(s)" in msg
    assert "'atlantis'" in msg
    assert "'lemuria'" in msg


def test_several_years_need_a_choice():
    t1 = datasets.load("kireyeva2018_table1")
    with pytest.raises(InputError, match="several years"):
        charts.choropleth(t1, "grade")
    assert len(_region_patches(charts.choropleth(t1, "grade", year=2010))) == 16


def test_geopackage_boundaries(tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    shapely = pytest.importorskip("shapely")
    import numpy as np

    gj = datasets.geojson()
    geoms = [shapely.geometry.shape(f["geometry"]) for f in gj["features"]]
    ids = np.array([f["properties"]["region_id"] for f in gj["features"]], dtype=object)
    p = tmp_path / "b.gpkg"
    pyogrio.raw.write(
        p,
        shapely.to_wkb(np.array(geoms, dtype=object)),
        [ids],
        ["region_id"],
        geometry_type="MultiPolygon",
        crs="EPSG:4326",
        driver="GPKG",
    )
    t = pl.DataFrame({"region": ["almaty_city"], "index": [76.05]})
    assert len(_region_patches(charts.choropleth(t, "index", boundaries=p))) == 16


def test_bad_boundaries_file(tmp_path):
    p = tmp_path / "b.geojson"
    p.write_text('{"type": "Point"}')
    with pytest.raises(InputError, match="FeatureCollection"):
        charts.choropleth(pl.DataFrame({"region": ["a"], "v": [1.0]}), "v", boundaries=p)


def test_rank_interval_map_uses_width():
    t = pl.DataFrame(
        {"region": ["almaty_city", "astana"], "rank_p05": [1.0, 2.0], "rank_p95": [2.0, 9.0]}
    )
    fig = charts.choropleth(t, "rank_interval")
    cbar = fig.axes[1]
    assert cbar.get_ylim() == pytest.approx((1.0, 7.0))  # widths 2-1 = 1 and 9-2 = 7


def test_quadrant_lines_and_candidates():
    t = pl.DataFrame(
        {
            "region": ["a", "b", "c"],
            "name": ["North", "South", "East"],
            "index": [62.0, 31.5, 45.0],
            "share_of_national": [0.41, 0.02, None],
            "candidate": [True, False, False],
        }
    )
    fig = charts.quadrant(t)
    ax = fig.axes[0]
    v, h = ax.lines[0], ax.lines[1]
    assert list(v.get_xdata()) == [15.0, 15.0]  # PoleRule(): top tier 'high' from 15 %
    assert list(h.get_ydata()) == [40.0, 40.0]  # Scale.default(): B from 40
    cand = ax.collections[1].get_offsets()
    assert cand.tolist() == [[41.0, 62.0]]  # share 0.41 drawn as 41 %
    texts = [t.get_text() for t in ax.texts]
    assert "North" in texts
    assert "South" in texts
    assert "East" not in texts
    assert any("East" in t.get_text() and "no data" in t.get_text() for t in ax.texts)
    fig2 = charts.quadrant(t, x_threshold=0.3, y_threshold=50)
    assert list(fig2.axes[0].lines[0].get_xdata()) == [30.0, 30.0]


def test_rank_slope_colours_direction():
    t = pl.DataFrame(
        {"region": ["a", "b", "c"] * 2, "year": [2010] * 3 + [2016] * 3, "rank": [1, 2, 3, 2, 1, 3]}
    )
    fig = charts.rank_slope(t, year_from=2010, year_to=2016)
    cols = [mpl.colors.to_hex(line.get_color()).upper() for line in fig.axes[0].lines]
    assert cols == ["#D55E00", "#0072B2", "#7F7F7F"]  # a down, b up, c same
    with pytest.raises(InputError, match="no rows for year 2011"):
        charts.rank_slope(t, year_from=2011, year_to=2016)


def test_subindices_and_rank_interval_and_portfolio():
    t = pl.DataFrame(
        {"region": ["a", "b"], "g1": [80.0, 20.0], "g2": [40.0, 60.0], "index": [60.0, 40.0]}
    )
    fig = charts.subindices(t, ["g1", "g2"])
    bars = fig.axes[0].patches
    assert [b.get_width() for b in bars] == [60.0, 40.0]
    u = pl.DataFrame(
        {
            "region": ["a", "b"],
            "rank_median": [2.0, 1.0],
            "rank_p05": [1.0, 1.0],
            "rank_p95": [3.0, 2.0],
        }
    )
    ax = charts.rank_interval(u).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]  # sorted by median rank
    p = pl.DataFrame(
        {
            "region": ["a", "a", "b"],
            "industry": ["IT", "steel", "IT"],
            "lq": [2.0, 0.5, 1.0],
            "share_of_national": [0.3, 0.05, 0.7],
            "value": [30.0, 5.0, 70.0],
        }
    )
    ax = charts.portfolio(p, "a").axes[0]
    assert ax.collections[0].get_offsets().tolist() == [[30.0, 2.0], [5.0, 0.5]]
    with pytest.raises(InputError, match="region 'zz' not found"):
        charts.portfolio(p, "zz")


def test_save_png_and_svg(tmp_path, t1_2016):
    fig = charts.choropleth(t1_2016, "index")
    png = charts.save(fig, tmp_path / "m.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = charts.save(fig, tmp_path / "m.svg")
    assert svg.read_text().startswith("<svg")
    with pytest.raises(InputError, match=r"expected \.png or \.svg"):
        charts.save(fig, tmp_path / "m.gif")


def test_pandas_input_gives_the_same_map(t1_2016):
    pytest.importorskip("pandas")
    a = charts.to_svg(charts.choropleth(t1_2016, "grade"))
    b = charts.to_svg(charts.choropleth(t1_2016.to_pandas(), "grade"))
    assert a == b


def test_lq_map_diverges_around_one():
    t = pl.DataFrame({"region": ["almaty_city", "astana", "akmola"], "lq": [3.0, 1.0, 0.5]})
    fig = charts.choropleth(t, "lq")
    patches = _region_patches(fig)
    # LQ = 1 (like the nation) gets the diverging scale's neutral middle colour
    middle = mpl.colors.to_hex(mpl.colormaps["PuOr"](0.5))
    assert mpl.colors.to_hex(patches["astana"].get_facecolor()) == middle
    assert fig.axes[1].get_ylim() == pytest.approx((-1.0, 3.0))  # symmetric: 1 -/+ 2


def test_cities_get_a_visible_dot_in_their_colour(t1_2016):
    fig = charts.choropleth(t1_2016, "grade")
    ax = fig.axes[0]
    dots = {c.get_gid(): c for c in ax.collections if (c.get_gid() or "").startswith("dot-")}
    assert sorted(dots) == ["dot-almaty_city", "dot-astana"]  # the two city regions
    patches = _region_patches(fig)
    for region in ("almaty_city", "astana"):
        assert mpl.colors.to_hex(dots[f"dot-{region}"].get_facecolor()[0]) == mpl.colors.to_hex(
            patches[region].get_facecolor()
        )


def test_compact_svg_paths_keep_the_outline():
    from growthpole.report.charts import _round_numbers

    # absolute (1.04, 2) -> tenths (10, 20); (1.06, 2) is < 0.4 px away: dropped;
    # (3.55, -1.23) -> (36, -12): step (+26, -32); (0, 0): step (-36, +12)
    assert _round_numbers("M 1.04 2 L 1.06 2 L 3.55 -1.23 L 0 0 z") == "M1 2 l 2.6-3.2-3.6 1.2 z"
    # curves (text glyphs, markers) are only rounded, never rewritten
    assert _round_numbers("M 0 0 Q 1.234 5.678 9 9") == "M 0 0 Q 1.2 5.6 9 9"
