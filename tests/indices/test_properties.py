"""Properties of the indices that hold for any data (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from growthpole import indices as ix

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def panels(draw: st.DrawFn) -> pl.DataFrame:
    """A sparse long table: 2-6 regions x 2-6 industries, some pairs absent."""
    n_r = draw(st.integers(2, 6))
    n_i = draw(st.integers(2, 6))
    cells = draw(
        st.lists(
            st.one_of(st.none(), st.floats(0.5, 1e6, allow_nan=False)),
            min_size=n_r * n_i,
            max_size=n_r * n_i,
        )
    )
    rows = [
        (f"r{r}", f"i{i}", v)
        for r in range(n_r)
        for i in range(n_i)
        if (v := cells[r * n_i + i]) is not None
    ]
    # every region and industry needs at least one row to be in the universe
    regions = {r for r, _, _ in rows}
    industries = {i for _, i, _ in rows}
    if len(regions) < 2 or len(industries) < 2:
        rows += [("r0", "i0", 1.0), ("r1", "i1", 2.0)]
        rows = list({(r, i): (r, i, v) for r, i, v in rows}.values())
    return pl.DataFrame(rows, schema=["region", "industry", "value"], orient="row")


def _dense(t: pl.DataFrame) -> tuple[np.ndarray, list[str], list[str]]:
    regions = sorted(t["region"].unique().to_list())
    industries = sorted(t["industry"].unique().to_list())
    m = np.zeros((len(regions), len(industries)))
    for r, i, v in t.iter_rows():
        m[regions.index(r), industries.index(i)] = v
    return m, regions, industries


@SETTINGS
@given(panels())
def test_weighted_mean_lq_is_one_per_industry(t: pl.DataFrame) -> None:
    # Σ_r (X_r / X) LQ_ri = Σ_r (X_r/X)(x_ri/X_r)/(X_i/X) = Σ_r x_ri / X_i = 1
    lq = ix.location_quotient(t, year=None)
    lq = lq.join(t.group_by("region").agg(pl.col("value").sum().alias("xr")), on="region")
    total = t["value"].sum()
    w = lq.group_by("industry").agg((pl.col("xr") / total * pl.col("lq")).sum().alias("m"))
    assert w["m"].to_list() == pytest.approx([1.0] * w.height, rel=1e-9)


@SETTINGS
@given(panels())
def test_bounds(t: pl.DataFrame) -> None:
    spec = ix.specialisation(t, year=None)
    n = t["industry"].n_unique()
    eps = 1e-12
    assert ((spec["krugman"] >= -eps) & (spec["krugman"] <= 2 + eps)).all()
    assert ((spec["hoover"] >= -eps) & (spec["hoover"] <= 1 + eps)).all()
    assert ((spec["hhi"] >= 1 / n - eps) & (spec["hhi"] <= 1 + eps)).all()
    assert ((spec["hhi_norm"] >= -eps) & (spec["hhi_norm"] <= 1 + eps)).all()
    assert ((spec["gini"] >= -eps) & (spec["gini"] <= 1 + eps)).all()
    assert ((spec["entropy"] >= -eps) & (spec["entropy"] <= math.log(n) + eps)).all()
    conc = ix.concentration(t, year=None)
    assert (
        (conc["hoover_concentration"] >= -eps) & (conc["hoover_concentration"] <= 1 + eps)
    ).all()
    assert ((conc["locational_gini"] >= -eps) & (conc["locational_gini"] <= 1 + eps)).all()


@SETTINGS
@given(panels())
def test_sparse_sums_equal_dense_sums(t: pl.DataFrame) -> None:
    # the sparse rewriting must give the dense definitions over every pair (to 1e-9: the
    # rewritten sums cancel differently, e.g. 1 + sum(|s - si| - si) with values 1 and 32766)
    m, _, _ = _dense(t)
    s = m / m.sum(axis=1, keepdims=True)
    nat = m.sum(axis=0) / m.sum()
    krugman = np.abs(s - nat).sum(axis=1)
    rest = m.sum(axis=0)[None, :] - m
    s_rest = rest / rest.sum(axis=1, keepdims=True)
    krugman_rest = np.abs(s - s_rest).sum(axis=1)
    lq = s / nat
    n = m.shape[1]

    def gini(x: np.ndarray) -> float:
        x = np.sort(x)
        lam = np.arange(1, len(x) + 1)
        return float(2 * (lam * (x - x.mean())).sum() / (len(x) ** 2 * x.mean()))

    spec = ix.specialisation(t, year=None).sort("region")
    assert spec["krugman"].to_list() == pytest.approx(krugman.tolist(), abs=1e-9)
    assert spec["krugman_rest"].to_list() == pytest.approx(krugman_rest.tolist(), abs=1e-9)
    assert spec["gini"].to_list() == pytest.approx([gini(row) for row in lq], abs=1e-9)
    hhi = (s**2).sum(axis=1)
    assert spec["hhi_norm"].to_list() == pytest.approx(
        ((hhi - 1 / n) / (1 - 1 / n)).tolist(), abs=1e-12
    )
    regshare = m.sum(axis=1) / m.sum()
    conc = ix.concentration(t, year=None).sort("industry")
    share_i = m / m.sum(axis=0, keepdims=True)
    hoover = 0.5 * np.abs(share_i - regshare[:, None]).sum(axis=0)
    assert conc["hoover_concentration"].to_list() == pytest.approx(hoover.tolist(), abs=1e-9)
    assert conc["locational_gini"].to_list() == pytest.approx([gini(c) for c in lq.T], abs=1e-9)


@SETTINGS
@given(panels(), st.floats(1e-3, 1e3))
def test_scale_invariance(t: pl.DataFrame, k: float) -> None:
    # every index is a function of shares: multiplying all values by k changes nothing
    scaled = t.with_columns(pl.col("value") * k)
    a = ix.specialisation(t, year=None).drop("value")
    b = ix.specialisation(scaled, year=None).drop("value")
    for col in ("krugman", "gini", "hhi", "entropy", "theil"):
        assert b[col].to_list() == pytest.approx(a[col].to_list(), rel=1e-9, abs=1e-9)
    ca = ix.concentration(t, year=None)
    cb = ix.concentration(scaled, year=None)
    assert cb["locational_gini"].to_list() == pytest.approx(
        ca["locational_gini"].to_list(), rel=1e-9, abs=1e-12
    )


@SETTINGS
@given(panels())
def test_shares_sum_to_one(t: pl.DataFrame) -> None:
    lq = ix.location_quotient(t, year=None)
    by_ind = lq.group_by("industry").agg(pl.col("share_of_national").sum())
    by_reg = lq.group_by("region").agg(pl.col("share_of_region").sum())
    assert by_ind["share_of_national"].to_list() == pytest.approx([1.0] * by_ind.height)
    assert by_reg["share_of_region"].to_list() == pytest.approx([1.0] * by_reg.height)


@SETTINGS
@given(panels())
def test_shift_share_components_add_up(t: pl.DataFrame) -> None:
    t2 = pl.concat(
        [
            t.with_columns(pl.lit(2000).alias("year")),
            t.with_columns(pl.lit(2001).alias("year"), (pl.col("value") * 1.1 + 1).alias("value")),
        ]
    )
    out = ix.shift_share(t2, method="esteban_marquillas")
    total = out["national_share"] + out["industry_mix"] + out["regional_shift"]
    assert total.to_list() == pytest.approx(out["change"].to_list(), abs=1e-6)
    both = out["competitive"] + out["allocation"]
    assert both.to_list() == pytest.approx(out["regional_shift"].to_list(), abs=1e-6)


@SETTINGS
@given(panels())
def test_eci_is_standardised_and_follows_diversity(t: pl.DataFrame) -> None:
    cx = ix.complexity(t, year=None, outlook=False, threshold=1.0)
    eci = cx.regions["eci"].drop_nulls()
    if eci.len() > 2:
        assert eci.mean() == pytest.approx(0.0, abs=1e-9)
        assert eci.std(ddof=1) == pytest.approx(1.0, rel=1e-9)
        r = cx.regions.drop_nulls("eci")
        if r["diversity"].std() > 0:
            corr = np.corrcoef(r["eci"].to_numpy(), r["diversity"].to_numpy())[0, 1]
            assert corr >= -1e-9
