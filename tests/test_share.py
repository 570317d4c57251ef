"""Formula (5): share of national output, on every engine."""

from __future__ import annotations

import warnings

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from growthpole.errors import DataWarning
from growthpole.indices import share_of_national

from .conftest import to_polars

SMALL = pl.DataFrame(
    {
        "region": ["a", "b", "c", "a", "b", "c"],
        "year": [2010, 2010, 2010, 2016, 2016, 2016],
        "value": [3.0, 1.0, None, 2.0, 2.0, 4.0],
    }
)


def test_by_hand_every_backend(make_frame, backend: str) -> None:  # type: ignore[no-untyped-def]
    got = to_polars(share_of_national(make_frame(SMALL))).sort("year", "region")
    # 2010: 3/4, 1/4, missing stays missing; 2016: 2/8, 2/8, 4/8
    assert got["share_of_national"].to_list() == [0.75, 0.25, None, 0.25, 0.25, 0.5]
    ranks = [None if r is None else int(r) for r in got["rank"].to_list()]
    assert ranks == [1, 2, None, 2, 2, 1]


def test_same_kind_returned(make_frame, backend: str) -> None:  # type: ignore[no-untyped-def]
    native = make_frame(SMALL)
    out = share_of_national(native)
    assert type(out).__module__.split(".")[0] == type(native).__module__.split(".")[0]


def test_national_total_given_and_warned() -> None:
    with pytest.warns(DataWarning, match=r"differs from the sum over regions 4 \(\+25.0 %\)"):
        got = share_of_national(SMALL, national={2010: 5.0})
    assert got.filter(pl.col("year") == 2010).sort("region")["share_of_national"].to_list() == [
        0.6,
        0.2,
        None,
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        share_of_national(SMALL, national={2010: 4.0, 2016: 8.0})


def test_per_industry() -> None:
    t = pl.DataFrame(
        {
            "region": ["a", "b", "a", "b"],
            "industry": ["it", "it", "oil", "oil"],
            "year": [1, 1, 1, 1],
            "value": [1.0, 3.0, 5.0, 5.0],
        }
    )
    got = share_of_national(t, industry="industry").sort("industry", "region")
    assert got["share_of_national"].to_list() == [0.25, 0.75, 0.5, 0.5]


def test_custom_column_names() -> None:
    t = SMALL.rename({"region": "oblast", "year": "yr", "value": "output"})
    got = share_of_national(t, region="oblast", year="yr", value="output")
    assert "share_of_national" in got.columns
    assert "oblast" in got.columns


@given(st.lists(st.floats(min_value=0.001, max_value=1e9), min_size=1, max_size=40))
def test_shares_sum_to_one(xs: list[float]) -> None:
    t = pl.DataFrame(
        {"region": [f"r{i}" for i in range(len(xs))], "year": [1] * len(xs), "value": xs}
    )
    assert share_of_national(t)["share_of_national"].sum() == pytest.approx(1.0, rel=1e-9)
