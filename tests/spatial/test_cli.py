"""The ``growthpole spatial`` command."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from growthpole import datasets
from growthpole.cli import main


def _run(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def table1(tmp_path: Path) -> Path:
    p = tmp_path / "ratings.csv"
    datasets.load("kireyeva2018_table1").write_csv(p)
    return p


def test_spatial_writes_global_local_panel_and_map(table1: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code = _run(
        ["spatial", str(table1), "--value", "index", "--permutations", "99", "--out", str(out)]
    )
    assert code == 0
    g = pl.read_csv(out / "spatial_global.csv")
    assert g.select("year", "statistic").rows() == [
        (2010, "moran_i"), (2010, "geary_c"), (2016, "moran_i"), (2016, "geary_c"),
    ]  # fmt: skip
    assert ((g["p_sim"] > 0) & (g["p_sim"] <= 1)).all()
    loc = pl.read_csv(out / "spatial_local.csv")
    assert loc.height == 32
    assert {"lag", "contrast", "cluster", "hot_spot", "verdict", "reason"} <= set(loc.columns)
    assert (out / "spatial_panel.csv").exists()
    assert (out / "spatial_map.png").read_bytes()[:4] == b"\x89PNG"
    # the input is never modified
    assert pl.read_csv(table1).equals(datasets.load("kireyeva2018_table1"))


def test_spatial_same_seed_same_files(table1: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        assert (
            _run(
                [
                    "spatial",
                    str(table1),
                    "--value",
                    "index",
                    "--permutations",
                    "49",
                    "--seed",
                    "7",
                    "--graph",
                    "knn:3",
                    "--no-plot",
                    "--out",
                    str(d),
                ]
            )
            == 0
        )
    assert (a / "spatial_local.csv").read_bytes() == (b / "spatial_local.csv").read_bytes()
    assert not (a / "spatial_map.png").exists()


def test_spatial_edge_list_and_single_cross_section(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("zone,score\na,1\nb,2\nc,4\nd,3\ne,8\n")
    edges = tmp_path / "e.csv"
    edges.write_text("focal,neighbour\na,b\nb,c\nc,d\nd,e\n")
    out = tmp_path / "out"
    code = _run(
        [
            "spatial",
            str(data),
            "--value",
            "score",
            "--region",
            "zone",
            "--edges",
            str(edges),
            "--permutations",
            "19",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    g = pl.read_csv(out / "spatial_global.csv")
    assert g["graph"].to_list() == ["edges", "edges"]
    assert g["year"].null_count() == 2
    assert not (out / "spatial_panel.csv").exists()


def test_spatial_errors_are_one_line(
    table1: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(["spatial", str(table1), "--value", "nope", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "column 'nope'" in err
    assert "Traceback" not in err
    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,index\natlantis,2016,1\nastana,2016,2\nakmola,2016,3\n")
    assert _run(["spatial", str(bad), "--value", "index", "--out", str(tmp_path / "o")]) == 2
    assert "atlantis" in capsys.readouterr().err
    assert (
        _run(
            [
                "spatial",
                str(table1),
                "--value",
                "index",
                "--graph",
                "hex",
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 2
    )
    assert "unknown graph" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
