"""The command line end to end: the paper's commands and the one-line error contract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from growthpole.cli import main
from growthpole.specs import IndexSpec


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_writes_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["demo", "--out", str(tmp_path)], capsys)
    assert code == 0
    for name in ("ratings.csv", "specialisation.csv", "poles.csv", "audit.csv", "results.xlsx"):
        assert (tmp_path / name).stat().st_size > 0, name
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Spatial growth poles" in report
    assert "Moran" in report
    assert "<script src=" not in report  # self-contained
    assert "reproduced: 56 match, 15 differ (13 explained)" in out
    poles = pl.read_csv(tmp_path / "poles.csv")
    assert set(poles.filter(pl.col("candidate") & (pl.col("year") == 2016))["name"]) == {
        "Almaty city",
        "Astana city",
    }
    sheets = pl.read_excel(tmp_path / "results.xlsx", sheet_id=0)
    assert set(sheets) == {"ratings", "specialisation", "poles", "audit"}
    ratings = pl.read_csv(tmp_path / "ratings.csv")
    assert ratings.columns[:6] == ["region", "name", "year", "index", "grade", "rank"]


def test_reproduce_ends_with_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["reproduce", "kireyeva2018", "--out", str(tmp_path)], capsys)
    assert code == 0
    assert out.rstrip().splitlines()[-1] == "reproduced: 56 match, 15 differ (13 explained)"
    audit = pl.read_csv(tmp_path / "audit.csv")
    assert {"published", "recomputed", "status", "explanation"} <= set(audit.columns)


def test_init_spec_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["init-spec", "kireyeva2018"], capsys)
    assert code == 0
    spec = IndexSpec.from_toml(out)
    assert [i.name for i in spec.indicators][:1] == ["labour_productivity"]


def test_datasets_lists_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["datasets"], capsys)
    assert code == 0
    assert "kireyeva2018_table2" in out
    assert "kaz_boundaries" in out


def test_unknown_method_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(["reproduce", "nosuch", "--out", str(tmp_path)], capsys)
    assert code == 2
    assert "error: method needs to be one of ['kireyeva2018']; 'nosuch' was given instead." in err
    assert "Traceback" not in err
    assert not any(tmp_path.iterdir())


def test_console_script_exit_code(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "growthpole", "init-spec", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "error:" in proc.stderr
