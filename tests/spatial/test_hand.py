"""Small graphs computed by hand, with the arithmetic written out."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from growthpole.spatial import (
    fdr_bh,
    global_autocorrelation,
    graph_from_edges,
    great_circle_km,
    spatial_analysis,
)
from growthpole.spatial._stats import directed_p

# 2 x 2 grid      a b
#                 c d
ROOK = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]
QUEEN = [*ROOK, ("a", "d"), ("b", "c")]
CHAIN = [("a", "b"), ("b", "c"), ("c", "d")]


def _graph(pairs, transform="r"):
    e = pl.DataFrame({"focal": [a for a, _ in pairs], "neighbour": [b for _, b in pairs]})
    return graph_from_edges(e, regions=list("abcd"), transform=transform)


def _global(values, pairs, transform="r"):
    t = pl.DataFrame({"region": list("abcd"), "value": values})
    out = global_autocorrelation(
        t, _graph(pairs, transform), year=None, transform=transform, permutations=99
    )
    return {r["statistic"]: r for r in out.iter_rows(named=True)}


def test_grid_rook_row_standardised() -> None:
    # y = 1, 3, 2, 6 -> mean 3, z = -2, 0, -1, 3, sum z^2 = 4 + 0 + 1 + 9 = 14
    # rook row-standardised lags of z: a (b, c) = (0 - 1)/2 = -0.5; b (a, d) = (-2 + 3)/2 = 0.5;
    # c (a, d) = 0.5; d (b, c) = (0 - 1)/2 = -0.5
    # sum z * lag = 1.0 + 0 - 0.5 - 1.5 = -1.0; S0 = 4; I = (4/4) * (-1/14) = -0.0714286
    # Geary: each directed link weighs 1/2, (y_i - y_j)^2 = ab 4, ac 1, bd 9, cd 16, each twice
    # -> sum w (dy)^2 = 30; C = (n - 1)/(2 S0) * 30 / 14 = 3/8 * 30/14 = 0.8035714
    s = _global([1.0, 3.0, 2.0, 6.0], ROOK)
    assert s["moran_i"]["estimate"] == pytest.approx(-1 / 14)
    assert s["geary_c"]["estimate"] == pytest.approx(90 / 112)
    assert s["moran_i"]["expected"] == pytest.approx(-1 / 3)


def test_grid_queen_is_complete_so_moran_is_minus_one_over_n_minus_one() -> None:
    # every cell touches the three others: lags a (b,c,d) = (0 - 1 + 3)/3 = 2/3, b = (-2 - 1 + 3)/3 = 0,
    # c = (-2 + 0 + 3)/3 = 1/3, d = (-2 + 0 - 1)/3 = -1; sum z*lag = -4/3 + 0 - 1/3 - 3 = -14/3
    # I = (4/4) * (-14/3) / 14 = -1/3
    s = _global([1.0, 3.0, 2.0, 6.0], QUEEN)
    assert s["moran_i"]["estimate"] == pytest.approx(-1 / 3)


def test_chain_row_standardised_and_binary() -> None:
    # chain a-b-c-d, y = 1, 2, 3, 4: z = -1.5, -0.5, 0.5, 1.5, sum z^2 = 5
    # row: lags -0.5, -0.5, 0.5, 0.5; sum z*lag = 0.75 + 0.25 + 0.25 + 0.75 = 2; I = (4/4)*2/5 = 0.4
    # Geary row: weights a->b 1, b->a 1/2, b->c 1/2, c->b 1/2, c->d 1/2, d->c 1, all (dy)^2 = 1
    # -> sum = 4, C = 3/(2*4) * 4/5 = 0.3
    s = _global([1.0, 2.0, 3.0, 4.0], CHAIN)
    assert s["moran_i"]["estimate"] == pytest.approx(0.4)
    assert s["geary_c"]["estimate"] == pytest.approx(0.3)
    # binary: S0 = 6, z'Wz = 2 (0.75 - 0.25 + 0.75) = 2.5, I = 4/6 * 2.5/5 = 1/3
    # Geary: sum w (dy)^2 = 6, C = 3/(2*6) * 6/5 = 0.3
    b = _global([1.0, 2.0, 3.0, 4.0], CHAIN, transform="b")
    assert b["moran_i"]["estimate"] == pytest.approx(1 / 3)
    assert b["geary_c"]["estimate"] == pytest.approx(0.3)


def test_chain_local_moran_lag_and_contrast() -> None:
    # esda's local Moran: I_i = (n - 1) z_i lag_i / sum z^2 = 3 z_i lag_i / 5
    # a: 3 * (-1.5)(-0.5)/5 = 0.45, b: 3 * (-0.5)(-0.5)/5 = 0.15, c: 0.15, d: 0.45
    # neighbours' mean of y: a 2, b (1+3)/2 = 2, c (2+4)/2 = 3, d 3; contrast y - lag: -1, 0, 0, 1
    t = pl.DataFrame({"region": list("abcd"), "value": [1.0, 2.0, 3.0, 4.0]})
    res = spatial_analysis(t, _graph(CHAIN), year=None, permutations=99)
    loc = res.local_table.sort("region")
    assert loc["local_moran"].to_list() == pytest.approx([0.45, 0.15, 0.15, 0.45])
    assert loc["quadrant"].to_list() == ["LL", "LL", "HH", "HH"]
    assert loc["lag"].to_list() == pytest.approx([2.0, 2.0, 3.0, 3.0])
    assert loc["contrast"].to_list() == pytest.approx([-1.0, 0.0, 0.0, 1.0])
    assert loc["n_neighbours"].to_list() == [1, 2, 2, 1]


def test_lag_uses_user_weights() -> None:
    # weights a-b 3, b-c 1: neighbours' weighted mean of b = (3*10 + 1*30)/(3 + 1) = 15
    e = pl.DataFrame({"focal": ["a", "b", "c"], "neighbour": ["b", "c", "d"], "w": [3.0, 1.0, 1.0]})
    g = graph_from_edges(e, weight="w")
    t = pl.DataFrame({"region": list("abcd"), "value": [10.0, 20.0, 30.0, 50.0]})
    loc = spatial_analysis(t, g, year=None, permutations=9).local_table.sort("region")
    assert loc.filter(pl.col("region") == "b")["lag"].item() == pytest.approx(15.0)


def test_benjamini_hochberg_by_hand() -> None:
    # p sorted: 0.01 (rank 1), 0.03 (2), 0.04 (3), 0.5 (4); m p / rank = 0.04, 0.06, 0.0533, 0.5;
    # running minimum from the largest rank down: 0.5, 0.0533, 0.0533, 0.04
    q = fdr_bh([0.01, 0.04, 0.03, 0.5])
    assert q.tolist() == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])
    # missing stays missing and is not counted in m: m = 2 -> 0.02 * 2 / 1 = 0.04, 0.03 * 2/2 = 0.03
    q2 = fdr_bh([0.02, np.nan, 0.03])
    assert q2[0] == pytest.approx(0.03)
    assert np.isnan(q2[1])
    assert q2[2] == pytest.approx(0.03)


def test_directed_p_counts_ties_on_both_sides() -> None:
    # observed 1 among permutations [1, 1, 2, 3]: >= 1: 4, <= 1: 2 -> lower tail, (2 + 1)/(4 + 1) = 0.6
    p, tail = directed_p([1.0], [[1.0, 1.0, 2.0, 3.0]])
    assert p.tolist() == [0.6]
    assert tail.tolist() == [-1]
    # observed 3: >= 3: 1, <= 3: 4 -> upper tail, (1 + 1)/5 = 0.4
    p, tail = directed_p([3.0], [[1.0, 1.0, 2.0, 3.0]])
    assert p.tolist() == [0.4]
    assert tail.tolist() == [1]


def test_great_circle_by_hand() -> None:
    r = 6371.0088
    # a quarter of a meridian and a quarter of the equator: pi/2 * R
    assert great_circle_km(0, 0, 0, 90) == pytest.approx(np.pi / 2 * r)
    assert great_circle_km(0, 0, 90, 0) == pytest.approx(np.pi / 2 * r)
    # one degree of latitude: pi/180 * R = 111.195 km
    assert great_circle_km(71.4, 51.1, 71.4, 52.1) == pytest.approx(np.pi / 180 * r)
    # along a parallel the great circle is shorter than the parallel arc R cos(lat) dlon
    assert great_circle_km(0, 60, 90, 60) < r * np.cos(np.radians(60)) * np.pi / 2
