"""Weights (effective, equal, PCA, optimised, noisy) and diagnostics: hand cases and references."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from growthpole.composite import (
    Composite,
    cronbach_alpha,
    diagnostics,
    effective_weights,
    equal_weights,
    noisy_weights,
    optimise_weights,
    pca_weights,
)
from growthpole.specs import Group, IndexSpec, Indicator


def frame(values: dict[str, list[float]]) -> pl.DataFrame:
    n = len(next(iter(values.values())))
    rows = [(f"u{u}", 2020, k, v[u]) for k, v in values.items() for u in range(n)]
    return pl.DataFrame(rows, schema=["region", "year", "indicator", "value"], orient="row")


@given(st.lists(st.floats(0.01, 10), min_size=6, max_size=6))
def test_effective_weights_sum_to_one(w: list[float]) -> None:
    spec = IndexSpec(
        "t",
        tuple(Indicator(f"i{k}", f"g{k % 3}", weight=w[k]) for k in range(4)),
        (Group("g0", w[4], parent="s"), Group("g1", w[5], parent="s"), Group("g2"), Group("s")),
    )
    eff = effective_weights(spec)
    assert sum(eff[f"i{k}"] for k in range(4)) == pytest.approx(1.0)
    # each level's groups also sum to 1: s + g2 at the top; g0 + g1 inside s
    assert eff["s"] + eff["g2"] == pytest.approx(1.0)
    assert eff["g0"] + eff["g1"] == pytest.approx(eff["s"])


def test_equal_and_noisy_weights() -> None:
    spec = IndexSpec("t", (Indicator("a", "g", weight=3), Indicator("b", "g")), (Group("g", 2),))
    assert [i.weight for i in equal_weights(spec).indicators] == [1.0, 1.0]
    for s in noisy_weights(spec, 0.2, 5, seed=1):
        assert 2.4 <= s.indicators[0].weight <= 3.6
        assert 0.8 <= s.indicators[1].weight <= 1.2


def test_pca_weights_of_two_indicators_are_equal() -> None:
    # two standardised variables: corr matrix [[1, r], [r, 1]] has PC1 = (1, 1)/sqrt(2),
    # squared loadings 1/2 and 1/2 whatever r is
    spec = IndexSpec("t", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
    data = frame({"a": [1.0, 2, 3, 4, 5], "b": [2.0, 1, 4, 3, 6]})
    w = pca_weights(Composite.build(data, spec))
    assert [i.weight for i in w.indicators] == pytest.approx([0.5, 0.5])


def test_pca_weights_favour_the_shared_direction() -> None:
    # a and b move together, c is unrelated noise: c gets the smallest weight
    rng = np.random.default_rng(0)
    base = rng.normal(size=40)
    data = frame(
        {
            "a": list(base + 5),
            "b": list(base + 0.1 * rng.normal(size=40) + 5),
            "c": list(rng.normal(size=40) + 5),
        }
    )
    spec = IndexSpec("t", tuple(Indicator(n, "g") for n in "abc"), (Group("g"),))
    w = [i.weight for i in pca_weights(Composite.build(data, spec)).indicators]
    assert sum(w) == pytest.approx(1.0)
    assert w[2] < w[0]
    assert w[2] < w[1]


def test_optimised_weights_balance_correlations() -> None:
    rng = np.random.default_rng(1)
    base = rng.normal(size=50)
    data = frame(
        {
            "a": list(base + 10),
            "b": list(base + rng.normal(size=50) + 10),
            "c": list(rng.normal(size=50) + 10),
        }
    )
    spec = IndexSpec(
        "t", tuple(Indicator(n, "g", normalisation="min_max") for n in "abc"), (Group("g"),)
    )
    comp = Composite.build(data, spec)
    new = optimise_weights(comp, "balance")
    after = Composite.build(data, new)

    def spread(c: Composite) -> float:
        v = c.core.values[0]
        r = [stats.pearsonr(v[:, j], v[:, 3])[0] for j in range(3)]
        return float(np.var(r))

    assert spread(after) < spread(comp)
    assert sum(i.weight for i in new.indicators) == pytest.approx(1.0)
    best = optimise_weights(comp, "max")

    def mean_r(c):
        return np.mean(
            [stats.pearsonr(c.core.values[0][:, j], c.core.values[0][:, 3])[0] for j in range(3)]
        )

    assert mean_r(Composite.build(data, best)) >= mean_r(comp) - 1e-9


def test_cronbach_alpha_by_hand() -> None:
    # columns (1,2,3) and (2,3,5): var 1 and 7/3; sums (3,5,8) var 19/3
    # alpha = 2 * (1 - (1 + 7/3) / (19/3)) = 2 * (1 - 10/19) = 18/19
    assert cronbach_alpha(np.array([[1.0, 2], [2, 3], [3, 5]])) == pytest.approx(18 / 19)


def test_diagnostics_against_scipy() -> None:
    rng = np.random.default_rng(2)
    a = rng.lognormal(size=30)
    b = a * 2 + rng.normal(scale=0.01, size=30)
    c = rng.normal(size=30) + 10
    c[0] = 0.0
    data = frame({"a": list(a), "b": list(b), "c": list(c)})
    spec = IndexSpec(
        "t", tuple(Indicator(n, "g", normalisation="min_max") for n in "abc"), (Group("g"),)
    )
    comp = Composite.build(data, spec)
    d = diagnostics(comp)
    v = comp.core.values[0]
    pear = d.filter(
        (pl.col("section") == "pearson") & (pl.col("item") == "a") & (pl.col("other") == "b")
    )
    assert pear["value"][0] == pytest.approx(stats.pearsonr(v[:, 0], v[:, 1])[0])
    assert pear["flag"][0] == "collinear"
    spear = d.filter(
        (pl.col("section") == "spearman") & (pl.col("item") == "a") & (pl.col("other") == "c")
    )
    assert spear["value"][0] == pytest.approx(stats.spearmanr(v[:, 0], v[:, 2])[0])
    sk = d.filter(
        (pl.col("section") == "indicator") & (pl.col("item") == "a") & (pl.col("other") == "skew")
    )
    assert sk["value"][0] == pytest.approx(stats.skew(a, bias=False))
    zeros = d.filter((pl.col("item") == "c") & (pl.col("other") == "zeros"))
    assert zeros["value"][0] == pytest.approx(1 / 30)
    par = d.filter((pl.col("section") == "parent_pearson") & (pl.col("item") == "c"))
    assert par["value"][0] == pytest.approx(stats.pearsonr(v[:, 2], v[:, 3])[0])
    assert d.filter(pl.col("section") == "cronbach_alpha").height == 1
    pca = d.filter(pl.col("section") == "pca_variance")["value"][0]
    ev = np.linalg.eigvalsh(np.corrcoef(v[:, :3], rowvar=False))
    assert pca == pytest.approx(ev.max() / 3)
