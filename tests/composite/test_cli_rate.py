"""``growthpole rate`` end to end: formats, column options, outputs, every bad input."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from growthpole.cli import main

SPEC = """
name = "demo"
[[indicators]]
name = "a"
group = "g1"
[[indicators]]
name = "b"
group = "g1"
direction = "lower"
[[indicators]]
name = "c"
group = "g2"
[[groups]]
name = "g1"
[[groups]]
name = "g2"
"""


def wide() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "region": ["x", "y", "z", "x", "y", "z"],
            "year": [2020, 2020, 2020, 2021, 2021, 2021],
            "a": [1.0, 2.0, 4.0, 2.0, 2.0, 3.0],
            "b": [1.0, 2.0, 4.0, 1.0, 1.0, 2.0],
            "c": [3.0, 1.0, 2.0, 1.0, 2.0, 3.0],
        }
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    w = wide()
    w.write_csv(tmp_path / "wide.csv")
    long = w.unpivot(index=["region", "year"], variable_name="indicator", value_name="value")
    long.write_csv(tmp_path / "long.csv")
    long.write_parquet(tmp_path / "long.parquet")
    w.write_excel(tmp_path / "wide.xlsx")
    long.rename({"region": "reg", "year": "yr", "indicator": "what", "value": "v"}).write_csv(
        tmp_path / "renamed.csv"
    )
    return {"spec": spec, "dir": tmp_path}


def run(*args: str) -> int:
    try:
        main([*map(str, args)])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.mark.parametrize("name", ["wide.csv", "long.csv", "long.parquet", "wide.xlsx"])
def test_formats_give_the_same_ratings(files: dict[str, Path], name: str) -> None:
    out = files["dir"] / f"out-{name}"
    assert run("rate", files["dir"] / name, "--spec", files["spec"], "--out", out) == 0
    r = pl.read_csv(out / "ratings.csv")
    assert r.columns == [
        "region",
        "year",
        "a_score",
        "b_score",
        "c_score",
        "g1",
        "g2",
        "index",
        "grade",
        "rank",
    ]
    # 2020, x: a 25, b (lower) 100 * 1/1 = 100, c 100 -> g1 62.5, g2 100 -> 81.25
    x = r.filter((pl.col("region") == "x") & (pl.col("year") == 2020))
    assert x["index"][0] == pytest.approx(81.25)
    assert (out / "diagnostics.csv").exists()
    assert (out / "results.xlsx").exists()


def test_year_filter_and_column_options(files: dict[str, Path]) -> None:
    out = files["dir"] / "o"
    code = run(
        "rate",
        files["dir"] / "renamed.csv",
        "--spec",
        files["spec"],
        "--out",
        out,
        "--region",
        "reg",
        "--year-col",
        "yr",
        "--indicator",
        "what",
        "--value",
        "v",
        "--year",
        "2021",
    )
    assert code == 0
    r = pl.read_csv(out / "ratings.csv")
    assert r["year"].unique().to_list() == [2021]
    assert r.height == 3


def test_uncertainty_and_sensitivity_outputs(files: dict[str, Path]) -> None:
    out = files["dir"] / "mc"
    shares = files["dir"] / "shares.csv"
    pl.DataFrame(
        {
            "region": ["x", "y", "z"] * 2,
            "year": [2020] * 3 + [2021] * 3,
            "share_of_national": [0.6, 0.3, 0.1] * 2,
        }
    ).write_csv(shares)
    code = run(
        "rate",
        files["dir"] / "wide.csv",
        "--spec",
        files["spec"],
        "--out",
        out,
        "--uncertainty",
        "200",
        "--sensitivity",
        "16",
        "--seed",
        "5",
        "--shares",
        shares,
    )
    assert code == 0
    r = pl.read_csv(out / "ratings.csv")
    for col in ("rank_median", "rank_p05", "rank_p95", "grade_A", "candidate"):
        assert col in r.columns
    u = pl.read_csv(out / "uncertainty.csv")
    assert u.height == 200
    assert "excluded" in u.columns
    assert "w_a" in u.columns
    s = pl.read_csv(out / "sensitivity.csv")
    assert set(s["analysis"]) == {"sobol", "leave_one_out"}
    import openpyxl

    book = openpyxl.load_workbook(out / "results.xlsx", read_only=True)
    assert {"ratings", "diagnostics", "uncertainty", "sensitivity", "spec"} <= set(book.sheetnames)
    # same seed, same file
    out2 = files["dir"] / "mc2"
    run(
        "rate",
        files["dir"] / "wide.csv",
        "--spec",
        files["spec"],
        "--out",
        out2,
        "--uncertainty",
        "200",
        "--sensitivity",
        "16",
        "--seed",
        "5",
        "--shares",
        shares,
    )
    assert (out / "ratings.csv").read_text() == (out2 / "ratings.csv").read_text()


def _bad(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    ("data", "spec_text", "extra", "message"),
    [
        (None, SPEC, ["--spec"], "file not found"),
        ("data.json", SPEC, [], "unknown file format"),
        ("region,year,indicator\nx,2020,a\n", SPEC, [], "neither a long table"),
        ("region,year,a,b,c\nx,2020,1,abc,3\n", SPEC, [], "expected a number, got 'abc'"),
        (
            "region,year,indicator,value\nx,2020,a,1\nx,2020,a,2\nx,2020,b,1\nx,2020,c,1\n",
            SPEC,
            [],
            "duplicate row",
        ),
        ("region,year,a,b,c\n", SPEC, [], "empty"),
        ("region,year,a,b\nx,2020,1,2\n", SPEC, [], "['c'] are in the spec"),
        ("region,year,a,b,c,d\nx,2020,1,2,3,4\n", SPEC, [], "['d'] are in the data"),
        ("region,year,a,b,c\nx,2020,0,2,3\ny,2020,0,1,1\n", SPEC, [], "leader's value is 0"),
        (
            "region,year,a,b,c\nx,2020,,2,3\ny,2020,,1,1\n",
            SPEC.replace('name = "demo"', 'name = "demo"\nmissing = "skip"'),
            [],
            "every value is missing",
        ),
        (
            "region,year,a,b,c\nx,2020,-1,2,3\ny,2020,2,1,1\n",
            SPEC,
            [],
            "negative value -1 for region 'x'",
        ),
        (
            "region,year,a,b,c\nx,2020,1,2,3\n",
            SPEC.replace('name = "g2"', 'name = "g2"\nweight = -1'),
            [],
            "weight must be >= 0",
        ),
        (
            "region,year,a,b,c\nx,2020,1,2,3\n",
            SPEC
            + '[scale]\nname = "s"\nbands = [{label = "a", lower = 5}, {label = "b", lower = 1}]\n',
            [],
            "strictly increasing",
        ),
        ("region,year,a,b,c\nx,2020,1,2,3\n", SPEC, ["--year", "1999"], "no rows for year 1999"),
        (
            "region,year,a,b,c\nx,2020,1,2,3\n",
            SPEC,
            ["--region", "nope"],
            "column 'nope': missing column",
        ),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data: str | None,
    spec_text: str,
    extra: list[str],
    message: str,
) -> None:
    spec = _bad(tmp_path, "spec.toml", spec_text)
    if data is None:
        path = tmp_path / "missing.csv"
    elif data.endswith(".json"):
        path = _bad(tmp_path, data, "{}")
    else:
        path = _bad(tmp_path, "data.csv", data)
    out = tmp_path / "out"
    args = [
        "rate",
        str(path),
        "--spec",
        str(spec),
        "--out",
        str(out),
        *[e for e in extra if e != "--spec"],
    ]
    assert run(*args) == 2
    err = capsys.readouterr().err
    assert message in err.replace("\n", "")
    assert "Traceback" not in err
    assert not out.exists()


def test_auxiliary_population_for_a_per_capita_indicator(tmp_path: Path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(
        'name = "pc"\n[[indicators]]\nname = "gdp"\ngroup = "g"\ndenominator = "population"\n'
        '[[groups]]\nname = "g"\n'
    )
    data = tmp_path / "d.csv"
    pl.DataFrame(
        {"region": ["almaty_city", "astana"], "year": [2016, 2016], "gdp": [1000.0, 900.0]}
    ).write_csv(data)
    out = tmp_path / "o"
    assert (
        run("rate", data, "--spec", spec, "--out", out, "--auxiliary", "population=kaz_population")
        == 0
    )
    r = pl.read_csv(out / "ratings.csv")
    assert r.height == 2
    assert (
        run("rate", data, "--spec", spec, "--out", tmp_path / "o2", "--auxiliary", "population")
        == 2
    )
    assert not (tmp_path / "o2").exists()


def test_alternative_methods_with_parameters(files: dict[str, Path]) -> None:
    out = files["dir"] / "alt"
    code = run(
        "rate",
        files["dir"] / "wide.csv",
        "--spec",
        files["spec"],
        "--out",
        out,
        "--uncertainty",
        "50",
        "--alt-normalisation",
        "min_max:low=1:high=100",
        "--alt-normalisation",
        "rank,borda",
        "--alt-aggregation",
        "generalised:p=0.5",
    )
    assert code == 0
    u = pl.read_csv(out / "uncertainty.csv")
    assert set(u["normalisation"]) <= {
        "spec",
        "min_max{'high': 100.0, 'low': 1.0}",
        "rank",
        "borda",
    }
    assert set(u["aggregation"]) <= {"spec", "generalised{'p': 0.5}"}
    assert (
        run(
            "rate",
            files["dir"] / "wide.csv",
            "--spec",
            files["spec"],
            "--out",
            files["dir"] / "bad",
            "--uncertainty",
            "5",
            "--alt-normalisation",
            "min_max:low",
        )
        == 2
    )


def test_weights_trends_and_the_spec_used(files: dict[str, Path]) -> None:
    out = files["dir"] / "w"
    assert (
        run(
            "rate",
            files["dir"] / "wide.csv",
            "--spec",
            files["spec"],
            "--out",
            out,
            "--weights",
            "equal",
        )
        == 0
    )
    t = pl.read_csv(out / "trends.csv").sort("region")
    r = pl.read_csv(out / "ratings.csv")
    x = r.filter(pl.col("region") == "x").sort("year")
    # change = 2021 index - 2020 index; rank_change = 2020 rank - 2021 rank (+ = moved up)
    assert t["change"][0] == pytest.approx(x["index"][1] - x["index"][0])
    assert t["rank_change"][0] == x["rank"][0] - x["rank"][1]
    from growthpole.specs import IndexSpec

    used = IndexSpec.load(out / "spec.toml")
    assert [i.weight for i in used.indicators] == [1.0, 1.0, 1.0]
    d = pl.read_csv(out / "diagnostics.csv")
    eff = d.filter(pl.col("section") == "effective_weight")
    # equal weights: a, b in g1 (1/2 each of 1/2), c alone in g2 -> 0.25, 0.25, 0.5
    assert dict(zip(eff["item"], eff["value"], strict=True))["c"] == pytest.approx(0.5)
    assert (
        run(
            "rate",
            files["dir"] / "wide.csv",
            "--spec",
            files["spec"],
            "--out",
            files["dir"] / "w2",
            "--weights",
            "heavy",
        )
        == 2
    )


def test_named_scale_in_the_spec(tmp_path: Path) -> None:
    spec = tmp_path / "s.toml"
    spec.write_text(
        SPEC.replace('name = "demo"', 'name = "demo"\nscale = "ris"')
        + '[poles]\nmin_grade = "Strong"\n'
    )
    data = tmp_path / "d.csv"
    wide().write_csv(data)
    assert run("rate", data, "--spec", spec, "--out", tmp_path / "o") == 0
    r = pl.read_csv(tmp_path / "o" / "ratings.csv")
    assert "relative" in r.columns
    # relative to the year's mean: the mean of 'relative' over the units is 100
    assert r.group_by("year").agg(pl.col("relative").mean())["relative"].to_list() == pytest.approx(
        [100.0, 100.0]
    )
