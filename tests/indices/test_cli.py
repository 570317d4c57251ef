"""``growthpole specialise`` end to end: the 0.1 form, the issue-4 tables, bad input."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from growthpole.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_share_of_national_0_1_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "it.csv"
    pl.DataFrame(
        {
            "region": ["a", "b", "c", "a", "b", "c"],
            "year": [2010] * 3 + [2016] * 3,
            "value": [3.0, 1.0, None, 2.0, 2.0, 4.0],
        }
    ).write_csv(data)
    code, _, err = run(["specialise", str(data), "--out", str(tmp_path / "out")], capsys)
    assert code == 0, err
    out = pl.read_csv(tmp_path / "out" / "specialisation.csv")
    assert out.columns == ["region", "year", "value", "share_of_national", "rank"]
    # 2010: 3 / (3 + 1) = .75, 1 / 4 = .25, c missing (null share, no rank)
    y2010 = out.filter(pl.col("year") == 2010).sort("region")
    assert y2010["share_of_national"].to_list() == [0.75, 0.25, None]
    assert y2010["rank"].to_list() == [1, 2, None]
    # 2016: 2/8, 2/8, 4/8
    y2016 = out.filter(pl.col("year") == 2016).sort("region")
    assert y2016["share_of_national"].to_list() == [0.25, 0.25, 0.5]


def test_one_industry_and_column_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "out.xlsx"
    frame = pl.DataFrame(
        {
            "oblast": ["a", "b", "a", "b"],
            "sector": ["IT", "IT", "oil", "oil"],
            "yr": [2016] * 4,
            "output": [1.0, 3.0, 5.0, 5.0],
        }
    )
    frame.write_excel(data)
    args = [
        "specialise",
        str(data),
        "--industry",
        "IT",
        "--region",
        "oblast",
        "--year-col",
        "yr",
        "--value",
        "output",
        "--industry-col",
        "sector",
        "--out",
        str(tmp_path / "o"),
    ]
    code, _, err = run(args, capsys)
    assert code == 0, err
    out = pl.read_csv(tmp_path / "o" / "specialisation.csv")
    assert out.columns == ["oblast", "yr", "output", "share_of_national", "rank"]
    assert out.sort("oblast")["share_of_national"].to_list() == [0.25, 0.75]


@pytest.fixture
def panel(tmp_path: Path) -> Path:
    rows = []
    for yr, bump in ((2018, 0.0), (2019, 5.0)):
        for r, vals in {"r1": [50, 10, 5, 0], "r2": [10, 40, 5, 5], "r3": [5, 5, 30, 20]}.items():
            for i, v in zip(["5112", "541511", "4411", "7225"], vals, strict=True):
                if v:
                    rows.append((r, i, yr, float(v) + bump, 3.0))
    data = tmp_path / "panel.parquet"
    pl.DataFrame(
        rows, schema=["region", "industry", "year", "value", "estab"], orient="row"
    ).write_parquet(data)
    return data


def test_full_tables(panel: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "full"
    code, text, err = run(
        [
            "specialise",
            str(panel),
            "--indices",
            "all",
            "--establishments",
            "estab",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    ri = pl.read_csv(out / "region_industry.csv", schema_overrides={"industry": pl.String})
    for col in (
        "region",
        "industry",
        "year",
        "value",
        "share_of_national",
        "lq",
        "rca_binary",
        "density",
        "cog",
        "growth",
        "entry",
        "exit",
    ):
        assert col in ri.columns
    regions = pl.read_csv(out / "regions.csv")
    for col in (
        "region",
        "year",
        "krugman",
        "krugman_rest",
        "hoover",
        "gini",
        "hhi",
        "hhi_norm",
        "entropy",
        "diversity",
        "eci",
        "coi",
        "entries",
        "exits",
        "national_share",
    ):
        assert col in regions.columns
    industries = pl.read_csv(out / "industries.csv")
    for col in ("industry", "year", "ubiquity", "locational_gini", "hoover_concentration", "pci"):
        assert col in industries.columns
    clusters = pl.read_csv(out / "clusters.csv")
    assert {"strong", "stars"} <= set(clusters.columns)
    assert not (out / "specialisation.csv").exists()
    assert "wrote" in text


def test_cluster_map(panel: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cmap = tmp_path / "it.csv"
    cmap.write_text("cluster,industry\nIT,5112\nIT,5415xx\n")
    out = tmp_path / "cl"
    code, _, err = run(
        [
            "specialise",
            str(panel),
            "--clusters",
            str(cmap),
            "--industry",
            "IT",
            "--indices",
            "krugman,lq",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    clusters = pl.read_csv(out / "clusters.csv")
    assert set(clusters["industry"]) == {"IT"}
    share = pl.read_csv(out / "specialisation.csv").filter(pl.col("year") == 2018).sort("region")
    # IT 2018 = 5112 + 541511: r1 60, r2 50, r3 10 -> 60/120, 50/120, 10/120
    assert share["value"].to_list() == [60.0, 50.0, 10.0]
    assert share["share_of_national"].to_list() == pytest.approx([0.5, 50 / 120, 10 / 120])
    regions = pl.read_csv(out / "regions.csv")
    assert regions.columns == ["region", "year", "value", "krugman"]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("region,year,amount\na,2016,1\n", [], "column 'value'"),
        ("region,year,value\na,2016,lots\n", [], "row 1: expected a number, got 'lots'"),
        ("region,year,value\na,2016,1\na,2016,2\n", [], "duplicate row"),
        ("region,year,value\na,2016,-1\n", [], "negative value"),
        ("region,industry,year,value\na,x,2016,1\n", ["--industry", "y"], "industry 'y' is not"),
        ("region,industry,year,value\na,x,2016,1\n", ["--indices", "krugmann"], "unknown index"),
        ("region,industry,year,value\na,x,2016,\n", ["--indices", "all"], "missing value"),
        ("region,year,value\na,2016,1\n", ["--indices", "all"], "industry"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    args: list[str],
    message: str,
) -> None:
    data = tmp_path / "bad.csv"
    data.write_text(content)
    out = tmp_path / "never"
    code, _, err = run(["specialise", str(data), *args, "--out", str(out)], capsys)
    assert code == 2
    assert message in err
    if "index" not in message:  # an option error names no file
        assert "bad.csv" in err
    assert len(err.strip().splitlines()) == 1 or "Traceback" not in err
    assert not out.exists()


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["specialise", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o")], capsys
    )
    assert code == 2
    assert "file not found" in err
