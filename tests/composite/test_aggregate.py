"""Aggregation methods: hand-computed cases, COINr's documented example, properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from growthpole.composite._methods import aggregate_rows, copeland_scores


def agg(values: list[list[float]], w: list[float], method: str, **kw) -> list[float]:
    p = kw.pop("params", {})
    out = aggregate_rows(np.array(values, dtype=float), np.array(w, dtype=float), method, p, **kw)
    return [round(float(v), 10) if not math.isnan(v) else None for v in out]


def test_coinr_a_amean_example() -> None:
    # COINr's documented example: a_amean(1:10, 10:1) #> 4
    # (arithmetic by hand: sum(i * (11 - i)) = 220, sum(w) = 55, 220 / 55 = 4)
    assert agg([list(range(1, 11))], list(range(10, 0, -1)), "arithmetic") == [4.0]


def test_arithmetic_geometric_harmonic_by_hand() -> None:
    v = [[1.0, 4.0, 16.0]]
    w = [1.0, 1.0, 2.0]
    # arithmetic: (1 + 4 + 32) / 4 = 9.25
    assert agg(v, w, "arithmetic") == [9.25]
    # geometric: (1 * 4 * 16^2)^(1/4) = 1024^(1/4) = 4 * sqrt(2)
    assert agg(v, w, "geometric") == [round(4 * math.sqrt(2), 10)]
    # harmonic: 4 / (1/1 + 1/4 + 2/16) = 4 / 1.375
    assert agg(v, w, "harmonic") == [round(4 / 1.375, 10)]
    # generalised p = 2: sqrt((1 + 16 + 2 * 256) / 4) = sqrt(132.25) = 11.5
    assert agg(v, w, "generalised", params={"p": 2}) == [11.5]


def test_zero_in_geometric_is_zero_and_negative_is_an_error() -> None:
    # COINr's a_gmean stops on zeros; the limit of the geometric mean with a zero is 0
    assert agg([[0.0, 4.0]], [1, 1], "geometric") == [0.0]
    with pytest.raises(ValueError, match="negative"):
        agg([[-1.0, 4.0]], [1, 1], "geometric")


def test_weighted_median_by_hand() -> None:
    # sorted 1, 2, 10 with weights 1, 1, 1: cumulative 1/3, 2/3 -> 2
    assert agg([[10.0, 1.0, 2.0]], [1, 1, 1], "median") == [2.0]
    # weights 3, 1, 1 on 10, 1, 2: sorted 1 (1/5), 2 (2/5), 10 (5/5) -> 10
    assert agg([[10.0, 1.0, 2.0]], [3, 1, 1], "median") == [10.0]
    # exactly half at 2 (weights 1, 1 on 2, 4): (2 + 4) / 2 = 3
    assert agg([[2.0, 4.0]], [1, 1], "median") == [3.0]


def test_missing_children_and_availability() -> None:
    v = [[2.0, np.nan, 4.0]]
    # weights re-normalised over those present: (2 + 4) / 2
    assert agg(v, [1, 1, 1], "arithmetic") == [3.0]
    # 2 of 3 present = 0.667 < 0.7 -> missing
    assert agg(v, [1, 1, 1], "arithmetic", min_availability=0.7) == [None]
    assert agg(v, [1, 1, 1], "arithmetic", min_availability=0.6) == [3.0]


def test_copeland_by_hand() -> None:
    # three units, two indicators with weights 2 and 1 (shares 2/3, 1/3)
    v = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])
    # a vs b: a above on ind 1 (2/3) -> e_ab = 2/3 > 1/2, a wins; a vs c: wins; b vs c: wins
    # scores (wins - losses): a 2, b 0, c -2
    assert copeland_scores(v, np.array([2.0, 1.0])).tolist() == [2.0, 0.0, -2.0]
    # equal weights: every pair splits 1/2 : 1/2 -> all ties
    assert copeland_scores(v, np.array([1.0, 1.0])).tolist() == [0.0, 0.0, 0.0]


def test_coinr_copeland_is_not_wins_minus_losses() -> None:
    # COINr's a_copeland returns the row sums of the outranking matrix (a weighted Borda-like
    # count), not Copeland's wins minus losses (OECD/JRC Handbook, p. 105); for the case
    # above with weights 2, 1 its scores would be a: 2/3 + 2/3 = 4/3, b: 1/3 + 2/3 = 1,
    # c: 1/3 + 1/3 = 2/3. Same order here, but the Handbook's scores are 2, 0, -2. (Its
    # default weights also have the length of the units, not of the indicators.)
    v = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])
    assert copeland_scores(v, np.array([2.0, 1.0])).tolist() != [4 / 3, 1.0, 2 / 3]


rows = st.lists(st.lists(st.floats(0.0, 1000.0), min_size=3, max_size=3), min_size=2, max_size=12)


@given(rows)
def test_equal_weight_arithmetic_is_the_mean(r: list[list[float]]) -> None:
    v = np.array(r)
    out = aggregate_rows(v, np.ones(3), "arithmetic", {})
    np.testing.assert_allclose(out, v.mean(axis=1), rtol=1e-12, atol=1e-12)


@given(
    rows,
    st.sampled_from([lambda a: np.exp(a / 100), np.log1p, lambda a: a**3, lambda a: 5 * a + 2]),
)
def test_copeland_invariant_to_monotone_transforms(r: list[list[float]], f) -> None:
    v = np.array(r)
    t = v.copy()
    t[:, 1] = f(v[:, 1])
    w = np.array([1.0, 2.0, 0.5])
    # equal after the transform wherever it kept the order (strictly increasing maps do)
    if len(np.unique(t[:, 1])) == len(np.unique(v[:, 1])):
        assert copeland_scores(v, w).tolist() == copeland_scores(t, w).tolist()


@given(rows)
def test_means_are_ordered(r: list[list[float]]) -> None:
    v = np.array(r) + 0.1
    w = np.array([1.0, 2.0, 3.0])
    h = aggregate_rows(v, w, "harmonic", {})
    g = aggregate_rows(v, w, "geometric", {})
    a = aggregate_rows(v, w, "arithmetic", {})
    assert (h <= g * (1 + 1e-12)).all()
    assert (g <= a * (1 + 1e-12)).all()
