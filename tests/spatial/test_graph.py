"""Region graphs: Kazakhstan's 16 regions, user boundaries, edge lists, errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from growthpole import datasets
from growthpole.errors import GrowthpoleError, InputError
from growthpole.spatial import (
    GraphSpec,
    graph_from_edges,
    great_circle_km,
    read_boundaries,
    region_graph,
)

KAZ = sorted(datasets.load("kaz_boundaries")["region"].to_list())


@pytest.fixture(scope="module")
def queen():
    return region_graph(graph="queen")


def test_kazakhstan_queen_graph_is_connected(queen) -> None:
    assert sorted(queen.regions) == KAZ
    assert len(KAZ) == 16
    assert queen.islands == []
    assert queen.n_components == 1
    # the two cities are enclaves: each touches only the region around it
    assert queen.neighbours("astana") == ["akmola"]
    assert queen.neighbours("almaty_city") == ["almaty_region"]
    # Mangystau borders Atyrau and Aktobe on land (the Caspian is not a neighbour)
    assert queen.neighbours("mangystau") == ["aktobe", "atyrau"]
    t = queen.table()
    assert t.height == 16
    assert not t["island"].any()
    assert set(t["component"]) == {1}
    assert "connected" in queen.describe()


def test_contiguity_is_symmetric(queen) -> None:
    e = queen.edges()
    pairs = set(zip(e["focal"], e["neighbour"], strict=True))
    assert all((b, a) in pairs for a, b in pairs)
    # row-standardised: each region's weights sum to 1
    sums = e.group_by("focal").agg(pl.col("weight").sum())
    assert sums["weight"].to_list() == pytest.approx([1.0] * 16)


def test_knn_uses_great_circle_distance_between_representative_points() -> None:
    g = region_graph(graph="knn:1", transform="b")
    gdf = read_boundaries()
    pts = gdf.geometry.representative_point()
    x, y = pts.x.to_numpy(), pts.y.to_numpy()
    d = great_circle_km(x[:, None], y[:, None], x[None, :], y[None, :])
    np.fill_diagonal(d, np.inf)
    ids = list(gdf.index)
    e = g.edges()
    for i, r in enumerate(ids):
        got = e.filter(pl.col("focal") == r)["neighbour"].to_list()
        assert got == [ids[int(np.argmin(d[i]))]]
    k3 = region_graph(graph="knn:3")
    assert k3.edges().group_by("focal").len()["len"].to_list() == [3] * 16


def test_distance_band_links_exactly_the_pairs_within_the_band() -> None:
    g = region_graph(graph="band:600")
    gdf = read_boundaries()
    pts = gdf.geometry.representative_point()
    x, y = pts.x.to_numpy(), pts.y.to_numpy()
    d = great_circle_km(x[:, None], y[:, None], x[None, :], y[None, :])
    ids = list(gdf.index)
    want = {(ids[i], ids[j]) for i in range(16) for j in range(16) if i != j and d[i, j] <= 600}
    e = g.edges()
    assert set(zip(e["focal"], e["neighbour"], strict=True)) == want


def test_small_band_reports_islands() -> None:
    g = region_graph(graph="band:50")
    assert g.islands == KAZ
    assert g.n_components == 16
    assert "islands (no neighbours)" in g.describe()


def _grid_geojson(path: Path, names: list[str]) -> Path:
    # 2 x 2 one-degree squares near the equator:  a b / c d
    cells = {names[0]: (0, 1), names[1]: (1, 1), names[2]: (0, 0), names[3]: (1, 0)}
    feats = []
    for n, (x, y) in cells.items():
        ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
        feats.append(
            {
                "type": "Feature",
                "properties": {"code": n.upper(), "label": f"Zone {n}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return path


def test_user_geojson_queen_rook_band(tmp_path: Path) -> None:
    p = _grid_geojson(tmp_path / "grid.geojson", ["a", "b", "c", "d"])
    rook = region_graph(p, "rook", regions=["A", "B", "C", "D"])
    queen = region_graph(p, "queen", regions=["A", "B", "C", "D"])
    assert rook.neighbours("A") == ["B", "C"]
    assert queen.neighbours("A") == ["B", "C", "D"]
    # centres 1 degree apart (111.2 km) side by side, sqrt(2) degrees (about 157 km) across
    assert region_graph(p, "band:120", regions=list("ABCD")).neighbours("A") == ["B", "C"]
    assert region_graph(p, "band:160", regions=list("ABCD")).neighbours("A") == ["B", "C", "D"]


def test_user_boundaries_matched_by_name_and_geopackage(tmp_path: Path) -> None:
    import geopandas as gpd

    p = _grid_geojson(tmp_path / "grid.geojson", ["a", "b", "c", "d"])
    # names differ in case and spacing from the file's 'label' property
    g = region_graph(p, "rook", regions=["zone A", "ZONE_B", "Zone c", "zone-d"])
    assert g.neighbours("zone A") == ["ZONE_B", "Zone c"]
    gpkg = tmp_path / "grid.gpkg"
    gpd.read_file(p).to_file(gpkg, driver="GPKG")
    g2 = region_graph(gpkg, "queen", regions=["A", "B", "C", "D"], key="code")
    assert g2.neighbours("D") == ["A", "B", "C"]


def test_unmatched_regions_are_listed(tmp_path: Path) -> None:
    p = _grid_geojson(tmp_path / "grid.geojson", ["a", "b", "c", "d"])
    with pytest.raises(InputError, match=r"match no boundary.*\['E', 'F'\]"):
        region_graph(p, regions=["A", "B", "E", "F"])
    with pytest.raises(InputError, match="nowhere"):
        region_graph(regions=["astana", "nowhere"])


def test_embedded_boundaries_match_paper_names() -> None:
    names = datasets.load("kireyeva2018_table1")["name"].unique().to_list()
    g = region_graph(regions=names)
    assert g.neighbours("Astana city") == ["Akmola region"]


def test_bad_boundaries(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        region_graph(tmp_path / "missing.geojson")
    pts = tmp_path / "points.geojson"
    pts.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"region_id": "a"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}
    ]}))  # fmt: skip
    with pytest.raises(InputError, match="polygon"):
        region_graph(pts)
    junk = tmp_path / "junk.geojson"
    junk.write_text("not json")
    with pytest.raises(InputError, match="cannot read"):
        region_graph(junk)
    with pytest.raises(InputError, match="no such property"):
        region_graph(regions=["astana"], key="nope")


def test_edge_list_islands_and_errors() -> None:
    e = pl.DataFrame({"focal": ["a", "b"], "neighbor": ["b", "c"]})
    g = graph_from_edges(e, regions=["a", "b", "c", "d"])
    assert g.islands == ["d"]
    assert g.n_components == 2
    assert g.components() == [["a", "b", "c"], ["d"]]
    with pytest.raises(InputError, match="itself"):
        graph_from_edges(pl.DataFrame({"focal": ["a"], "neighbour": ["a"]}))
    with pytest.raises(InputError, match="not in the data"):
        graph_from_edges(e, regions=["a", "b"])
    with pytest.raises(InputError, match="different weights"):
        graph_from_edges(
            pl.DataFrame({"focal": ["a", "b"], "neighbour": ["b", "a"], "w": [1.0, 2.0]}),
            weight="w",
        )
    with pytest.raises(InputError, match="positive weight"):
        graph_from_edges(pl.DataFrame({"focal": ["a"], "neighbour": ["b"], "w": [0.0]}), weight="w")
    with pytest.raises(InputError, match="missing column"):
        graph_from_edges(pl.DataFrame({"from": ["a"], "to": ["b"]}))
    directed = graph_from_edges(pl.DataFrame({"focal": ["a"], "neighbour": ["b"]}), symmetric=False)
    assert directed.neighbours("a") == ["b"]
    assert directed.neighbours("b") == []


def test_edge_list_from_csv(tmp_path: Path) -> None:
    p = tmp_path / "edges.csv"
    p.write_text("focal,neighbour\nx,y\ny,z\n")
    g = graph_from_edges(p)
    assert g.neighbours("y") == ["x", "z"]
    assert g.source == str(p)


@pytest.mark.parametrize(
    ("text", "kind", "k", "km"),
    [
        ("queen", "queen", None, None),
        ("ROOK", "rook", None, None),
        ("knn:4", "knn", 4, None),
        ("band:750", "band", None, 750.0),
        ("band:90.5km", "band", None, 90.5),
    ],
)
def test_graph_spec_parse(text: str, kind: str, k: int | None, km: float | None) -> None:
    s = GraphSpec.parse(text)
    assert (s.kind, s.k, s.threshold_km) == (kind, k, km)
    assert GraphSpec.parse(str(s)) == s


@pytest.mark.parametrize("text", ["hex", "knn", "knn:x", "knn:0", "band:-5", "band:", "queen:3"])
def test_graph_spec_errors(text: str) -> None:
    with pytest.raises(GrowthpoleError):
        GraphSpec.parse(text)


def test_knn_needs_more_regions_than_k() -> None:
    with pytest.raises(InputError, match="more than"):
        region_graph(graph="knn:16")


def test_numeric_boundary_codes_are_matched(tmp_path: Path) -> None:
    import geopandas as gpd

    p = _grid_geojson(tmp_path / "grid.geojson", ["a", "b", "c", "d"])
    gdf = gpd.read_file(p)
    gdf["kato"] = [11, 12, 21, 22]  # integer codes, as in statistical crosswalks
    g = region_graph(gdf.drop(columns=["code", "label"]), "rook", regions=["11", "12", "21", "22"])
    assert g.neighbours("11") == ["12", "21"]
    assert g.n_neighbours() == {"11": 2, "12": 2, "21": 2, "22": 2}
