"""Shared fixtures of the report tests: a synthetic indicator table for the 16 regions."""

from __future__ import annotations

import polars as pl
import pytest

from growthpole import datasets
from growthpole.methods import kireyeva2018


def indicator_table() -> pl.DataFrame:
    """Six paper indicators for the 16 regions, 2015-2016 (made-up but deterministic)."""
    regions = datasets.load("kireyeva2018_table1").filter(pl.col("year") == 2016)
    rows = []
    for yr in (2015, 2016):
        for i, r in enumerate(regions.sort("region").iter_rows(named=True)):
            for k, ind in enumerate(kireyeva2018.spec().indicator_names):
                value = 10.0 + (7 * i + 13 * k + 3 * (yr - 2015) * i) % 90
                rows.append(
                    {
                        "region": r["region"],
                        "name": r["name"],
                        "year": yr,
                        "indicator": ind,
                        "value": value,
                    }
                )
    return pl.DataFrame(rows)


@pytest.fixture
def indicators_csv(tmp_path):
    p = tmp_path / "indicators.csv"
    indicator_table().write_csv(p)
    return p


@pytest.fixture
def spec_toml(tmp_path):
    p = tmp_path / "spec.toml"
    p.write_text(kireyeva2018.spec().to_toml(), encoding="utf-8")
    return p


@pytest.fixture
def output_csv(tmp_path):
    p = tmp_path / "output.csv"
    t2 = datasets.load("kireyeva2018_table2").filter(pl.col("year").is_in([2015, 2016]))
    t2.select("region", "year", "value").write_csv(p)
    return p
