"""Normalisation methods: hand-computed cases (arithmetic in the comments) and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from growthpole.composite._methods import ColumnError, normalise_columns, rank_min

X = np.array([[2.0], [4.0], [1.0], [np.nan]])


def norm(method: str, direction: str = "higher", x: np.ndarray = X, ref: int | None = None, **p):
    out = normalise_columns(x, method, direction, p, reference_row=ref).ravel()
    return [None if math.isnan(v) else round(float(v), 10) for v in out]


def test_fraction_of_max() -> None:
    # 100 * x / max: 2/4 = 50, 4/4 = 100, 1/4 = 25; missing stays missing
    assert norm("fraction_of_max") == [50.0, 100.0, 25.0, None]
    # lower is better: 100 * min / x: 1/2 = 50, 1/4 = 25, 1/1 = 100
    assert norm("fraction_of_max", "lower") == [50.0, 25.0, 100.0, None]


def test_min_max_any_range() -> None:
    # (x - 1) / (4 - 1): 1/3, 1, 0 -> on [0, 100]
    assert norm("min_max") == [round(100 / 3, 10), 100.0, 0.0, None]
    # on [1, 10]: 1 + 9 * (1/3) = 4
    assert norm("min_max", low=1, high=10) == [4.0, 10.0, 1.0, None]
    # reversed: (4 - x) / 3 = 2/3, 0, 1
    assert norm("min_max", "lower") == [round(200 / 3, 10), 0.0, 100.0, None]


def test_z_score_any_mean_sd() -> None:
    # mean 7/3, sample sd sqrt(((2-7/3)^2 + (4-7/3)^2 + (1-7/3)^2) / 2) = sqrt((1/9+25/9+16/9)/2)
    m, s = 7 / 3, math.sqrt((1 / 9 + 25 / 9 + 16 / 9) / 2)
    assert norm("z_score") == [round((v - m) / s, 10) for v in (2, 4, 1)] + [None]
    assert norm("z_score", mean=100, sd=10) == [
        round(100 + 10 * (v - m) / s, 10) for v in (2, 4, 1)
    ] + [None]
    assert norm("z_score", "lower") == [round((m - v) / s, 10) for v in (2, 4, 1)] + [None]


def test_scaled_and_goalposts() -> None:
    # scaled to fixed bounds 0..8: 100 * x / 8
    assert norm("scaled", low=0, high=8) == [25.0, 50.0, 12.5, None]
    # goalposts 1.5..3: clip first (2 -> 2, 4 -> 3, 1 -> 1.5), then (x - 1.5) / 1.5 * 100
    assert norm("goalposts", low=1.5, high=3) == [round(100 / 3, 10), 100.0, 0.0, None]
    # reversed goalposts: (3 - x) / 1.5
    assert norm("goalposts", "lower", low=1.5, high=3, scale=1) == [
        round(2 / 3, 10),
        0.0,
        1.0,
        None,
    ]


def test_distance_to_max_reference_target() -> None:
    # COINr's n_dist2max: 1 - (max - x) / (max - min) = 1 - 2/3, 1, 1 - 3/3
    assert norm("distance_to_max", scale=1) == [round(1 / 3, 10), 1.0, 0.0, None]
    # relative to the unit in row 0 (value 2): 100 * x / 2
    assert norm("distance_to_reference", ref=0, reference="u0") == [100.0, 200.0, 50.0, None]
    assert norm("distance_to_reference", "lower", ref=0, reference="u0") == [
        100.0,
        50.0,
        200.0,
        None,
    ]
    # target 3: (x - min) / (3 - min) = 1/2, 3/2 -> capped 1, 0
    assert norm("distance_to_target", target=3, scale=1) == [0.5, 1.0, 0.0, None]
    # uncapped (cap = 0 switches the cap off)
    assert norm("distance_to_target", target=3, scale=1, cap=0) == [0.5, 1.5, 0.0, None]
    # lower is better, target 2: (max - x) / (max - 2) = 1, 0, 1.5 -> capped 1
    assert norm("distance_to_target", "lower", target=2, scale=1) == [1.0, 0.0, 1.0, None]


def test_rank_borda_percentile() -> None:
    x = np.array([[5.0], [1.0], [5.0], [3.0]])
    # ascending ranks with ties at the lowest: 1 -> 1, 3 -> 2, 5 -> 3 (twice)
    assert norm("rank", x=x) == [3.0, 1.0, 3.0, 2.0]
    # Borda: units beaten = rank - 1
    assert norm("borda", x=x) == [2.0, 0.0, 2.0, 1.0]
    # percentile rank: (rank - 1) / (n - 1) * 100 = 2/3, 0, 2/3, 1/3
    assert norm("percentile_rank", x=x) == [
        round(200 / 3, 10),
        0.0,
        round(200 / 3, 10),
        round(100 / 3, 10),
    ]
    # reversed: ranks of -x
    assert norm("rank", "lower", x=x) == [1.0, 4.0, 1.0, 3.0]


@pytest.mark.parametrize(
    ("method", "x", "match"),
    [
        ("fraction_of_max", [[0.0], [0.0]], "leader's value is 0"),
        ("fraction_of_max", [[-1.0], [2.0]], "negative value"),
        ("min_max", [[3.0], [3.0]], "no spread"),
        ("z_score", [[3.0], [3.0]], "standard deviation"),
        ("min_max", [[np.nan], [np.nan]], "every value is missing"),
    ],
)
def test_bad_columns(method: str, x: list[list[float]], match: str) -> None:
    with pytest.raises(ColumnError, match=match):
        normalise_columns(np.array(x), method, "higher", {})


def test_rank_min_along_rows() -> None:
    assert rank_min(np.array([[2.0, 2.0, 1.0]]), axis=-1).tolist() == [[2.0, 2.0, 1.0]]


vals = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=30).filter(
    lambda v: max(v) - min(v) > 1e-6 * (1 + max(abs(a) for a in v))
)


@given(vals, st.floats(-50, 50), st.floats(1, 100))
def test_min_max_hits_its_bounds(v: list[float], low: float, width: float) -> None:
    out = normalise_columns(
        np.array(v)[:, None], "min_max", "higher", {"low": low, "high": low + width}
    )
    assert out.min() == pytest.approx(low, abs=1e-9 * (1 + abs(low)))
    assert out.max() == pytest.approx(low + width, rel=1e-9, abs=1e-9)


@given(
    vals,
    st.sampled_from(["min_max", "z_score", "rank", "borda", "percentile_rank", "distance_to_max"]),
)
def test_reversed_direction_swaps_the_extremes(v: list[float], method: str) -> None:
    x = np.array(v)[:, None]
    hi = normalise_columns(x, method, "higher", {}).ravel()
    lo = normalise_columns(x, method, "lower", {}).ravel()
    best, worst = int(np.argmax(v)), int(np.argmin(v))
    assert hi[best] == hi.max()
    assert hi[worst] == hi.min()
    assert lo[best] == lo.min()
    assert lo[worst] == lo.max()


@given(st.lists(st.floats(0.01, 1e6), min_size=1, max_size=30))
def test_fraction_of_max_leader_scores_100(v: list[float]) -> None:
    out = normalise_columns(np.array(v)[:, None], "fraction_of_max", "higher", {}).ravel()
    # 100 * x / x rounds to within one ulp of 100 (as in 0.1)
    assert out[int(np.argmax(v))] == pytest.approx(100.0, rel=1e-15)
    assert (out <= 100.0 + 1e-12).all()


def test_coinr_goalposts_documented_example() -> None:
    # COINr's reference page: n_goalposts(1, gposts = c(0, 10, 1)) #> 0.1, and with
    # direction = -1 #> 0.9 (COINr needs other values to form a column; a goalpost
    # normalisation uses only the fixed posts, so 5 and 7 do not change the first score)
    x = np.array([[1.0], [5.0], [7.0]])
    assert norm("goalposts", x=x, low=0, high=10, scale=1)[0] == 0.1
    assert norm("goalposts", "lower", x=x, low=0, high=10, scale=1)[0] == 0.9
