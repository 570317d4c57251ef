"""The dense matrix path (eager Polars / PyArrow input) equals the Narwhals path.

``specialisation`` and ``concentration`` take a matrix path for eager Polars and PyArrow
input and the Narwhals query path for lazy engines; both must give the same rows and the
same numbers (to 1e-12) on any panel: several years with different universes, zeros,
duplicate (region, industry) rows, ties among the location quotients, thresholds at 0.
The Narwhals path is reached here through a Polars LazyFrame.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from growthpole import indices as ix

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def panels(draw: st.DrawFn) -> pl.DataFrame:
    """2-3 years of a sparse table with small integer values (ties) and zeros."""
    n_r = draw(st.integers(1, 6))
    n_i = draw(st.integers(1, 6))
    n_y = draw(st.integers(1, 3))
    rows = []
    for y in range(n_y):
        cells = draw(
            st.lists(
                st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.0, 3.0, 7.5])),
                min_size=n_r * n_i,
                max_size=n_r * n_i,
            )
        )
        rows += [
            (r, f"i{i}", 2000 + y, v)
            for r in range(n_r)
            for i in range(n_i)
            if (v := cells[r * n_i + i]) is not None
        ]
    if draw(st.booleans()) and rows:  # a duplicate row adds up
        rows.append(rows[0])
    if not any(v > 0 for *_, v in rows):
        rows.append((0, "i0", 2000, 1.0))
    return pl.DataFrame(rows, schema=["region", "industry", "year", "value"], orient="row")


def _same(a: pl.DataFrame, b: pl.DataFrame) -> None:
    assert a.columns == b.columns
    assert a.schema == b.schema
    assert a.height == b.height
    keys = [c for c in ("year", "region", "industry", "r", "i") if c in a.columns]
    a, b = a.sort(keys), b.sort(keys)  # a lazy result comes in no particular order
    for col in a.columns:
        x, y = a.get_column(col), b.get_column(col)
        assert (x.is_null() == y.is_null()).all(), col
        if x.dtype == pl.Float64:
            diff = (x - y).abs().fill_null(0.0).to_numpy()
            scale = np.maximum(y.abs().fill_null(0.0).to_numpy(), 1.0)
            assert (diff <= 1e-12 * scale).all(), (col, a, b)
        else:
            assert x.to_list() == y.to_list(), col


@SETTINGS
@given(panels(), st.sampled_from([0.0, 1.0, 1.5]))
def test_specialisation_matrix_path_equals_query_path(t: pl.DataFrame, thr: float) -> None:
    want = ix.specialisation(t.lazy(), threshold=thr).collect()
    _same(ix.specialisation(t, threshold=thr), want)
    _same(pl.DataFrame(ix.specialisation(t.to_arrow(), threshold=thr)), want)


@SETTINGS
@given(panels(), st.sampled_from([0.0, 1.0, 1.5]))
def test_concentration_matrix_path_equals_query_path(t: pl.DataFrame, thr: float) -> None:
    want = ix.concentration(t.lazy(), threshold=thr).collect()
    _same(ix.concentration(t, threshold=thr), want)
    _same(pl.DataFrame(ix.concentration(t.to_arrow(), threshold=thr)), want)


def test_subsets_of_indices_and_no_year() -> None:
    t = pl.DataFrame(
        {"r": ["a", "a", "b", "c"], "i": ["x", "y", "x", "y"], "v": [1.0, 3.0, 2.0, 0.0]}
    )
    kw = {"region": "r", "industry": "i", "year": None, "value": "v"}
    for pick in (["gini"], ["hhi_norm", "krugman_rest"], ["diversity", "theil"]):
        _same(
            ix.specialisation(t, indices=pick, **kw),
            ix.specialisation(t.lazy(), indices=pick, **kw).collect(),
        )
    for pick in (["locational_gini"], ["ubiquity", "krugman_concentration"]):
        _same(
            ix.concentration(t, indices=pick, **kw),
            ix.concentration(t.lazy(), indices=pick, **kw).collect(),
        )
    # region c has only a zero row: it is in neither result (as on the query path)
    assert ix.specialisation(t, **kw)["r"].to_list() == ["a", "b"]


def test_by_hand_one_region_holding_everything() -> None:
    # one region: its shares equal the nation's, so Krugman 0, Gini 0 (all LQs 1);
    # the rest-of-nation Krugman has no rest (null); HHI = 0.25² + 0.75² = 0.625
    t = pl.DataFrame({"region": ["a", "a"], "industry": ["x", "y"], "value": [1.0, 3.0]})
    out = ix.specialisation(t, year=None)
    assert out["krugman"].to_list() == [pytest.approx(0.0, abs=1e-15)]
    assert out["gini"].to_list() == [pytest.approx(0.0, abs=1e-15)]
    assert out["krugman_rest"].to_list() == [None]
    assert out["hhi"].to_list() == [pytest.approx(0.625)]


def test_missing_key_falls_back_to_the_query_path() -> None:
    t = pl.DataFrame(
        {"region": ["a", None, "b"], "industry": ["x", "x", "y"], "value": [1.0, 2.0, 3.0]}
    )
    got = ix.concentration(t, year=None)
    want = ix.concentration(t.lazy(), year=None).collect()
    _same(got, want)
    assert isinstance(ix.specialisation(pa.table(t.to_dict(as_series=False)), year=None), pa.Table)


@pytest.mark.parametrize(
    "values",
    [
        pl.Series("k", [5, 3, 5, 9], dtype=pl.Int32),  # gaps: lookup table
        pl.Series("k", [-2, 0, -1, -2], dtype=pl.Int64),  # consecutive, negative
        pl.Series("k", [7, 7, 8], dtype=pl.UInt16),
        pl.Series("k", ["b", "a", "c", "a"]),
        pl.Series("k", [2.5, -1.0, 2.5]),
    ],
)
def test_keys_are_sorted_distinct_values_and_positions(values: pl.Series) -> None:
    from growthpole.indices._dense import keys

    uniq, pos = keys(values)
    want = sorted(set(values.to_list()))
    assert uniq.to_list() == want
    assert uniq.dtype == values.dtype
    assert pos.tolist() == [want.index(v) for v in values.to_list()]


@pytest.mark.parametrize("one_cube", [True, False])
def test_year_matrices_by_hand(one_cube: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from growthpole.indices import _dense

    rng = np.random.default_rng(3)
    n = 400  # 200 regions x 5 industries x 3 years = 3,000 cells > 4 x 400 rows
    t = pl.DataFrame(
        {
            "region": rng.integers(0, 200, n),
            "industry": rng.choice(["a", "b", "c", "d", "e"], n),
            "year": rng.choice([2001, 2003, 2004], n),
            "value": rng.integers(0, 9, n).astype(float),
        }
    )
    if not one_cube:
        monkeypatch.setattr(_dense, "CUBE_MIN_CELLS", 0)
    got = list(_dense.year_matrices(t))
    assert [y for y, *_ in got] == [2001, 2003, 2004]
    for yr, regions, industries, X in got:
        part = t.filter((pl.col("year") == yr) & (pl.col("value") > 0))
        # the year's regions and industries with a positive total, sorted
        assert regions.to_list() == sorted(set(part["region"].to_list()))
        assert industries.to_list() == sorted(set(part["industry"].to_list()))
        want = np.zeros(X.shape)
        for r, i, v in part.select("region", "industry", "value").iter_rows():
            want[regions.to_list().index(r), industries.to_list().index(i)] += v
        np.testing.assert_array_equal(X, want)


def test_sparse_panel_stays_on_the_query_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from growthpole.indices import _dense

    # 40 regions x 40 industries, one pair each: 1,600 cells for 40 rows
    t = pl.DataFrame(
        {
            "region": list(range(40)),
            "industry": list(range(40)),
            "value": [1.0 + r for r in range(40)],
        }
    )
    monkeypatch.setattr(_dense, "DENSE_MIN_CELLS", 100)
    assert _dense.specialisation_frame(t.with_columns(year=0), ["hhi"], 1.0) is None
    assert _dense.concentration_frame(t.with_columns(year=0), ["ubiquity"], 1.0) is None
    # the public functions still answer, through the query path: each region holds one
    # industry (HHI 1), each industry sits in one region (ubiquity 1: LQ = 1 / s_r >= 1)
    assert ix.specialisation(t, year=None, indices=["hhi"])["hhi"].to_list() == [1.0] * 40
    assert ix.concentration(t, year=None, indices=["ubiquity"])["ubiquity"].to_list() == [1] * 40
    monkeypatch.setattr(_dense, "DENSE_MIN_CELLS", 1 << 22)
    assert _dense.specialisation_frame(t.with_columns(year=0), ["hhi"], 1.0) is not None
