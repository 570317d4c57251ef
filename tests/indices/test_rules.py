"""Cluster rules, cluster maps, dynamics and plant-level indices, computed by hand."""

from __future__ import annotations

import polars as pl
import pytest

from growthpole import indices as ix


@pytest.fixture
def four() -> pl.DataFrame:
    # regions a-d, industries x and y; region totals a 100, b 100, c 100, d 110;
    # industry totals x 160, y 250; nation 410
    return pl.DataFrame(
        {
            "region": list("abcdabcd"),
            "industry": ["x"] * 4 + ["y"] * 4,
            "value": [10.0, 20.0, 30.0, 100.0, 90.0, 80.0, 70.0, 10.0],
            "estab": [5.0, 5.0, 5.0, 1.0, 9.0, 8.0, 7.0, 6.0],
        }
    )


def test_us_cluster_mapping_strong_rule_by_hand(four: pl.DataFrame) -> None:
    # LQ of x: a (10/100)/(160/410) = .25625, b .5125, c .76875, d (100/110)/(160/410) = 2.3295
    # 75th percentile of the four LQs (linear): .76875 + .25 (2.3295 - .76875) = 1.15895
    # -> only d has LQ >= cut and >= 1; its employment 100 > 25th pct (10 + .75*10 = 17.5)
    # y: LQs a .9/(250/410) = 1.476, b 1.312, c 1.148, d (10/110)/(250/410) = .1491
    # cut = 1.312 + .25 (1.476 - 1.312) = 1.353 -> a; employment 90 > 55 (10 + .75 * 60)
    out = ix.strong_clusters(four, year=None)
    assert out.filter(pl.col("strong")).select("industry", "region").rows() == [
        ("x", "d"),
        ("y", "a"),
    ]
    lq_cut = out.filter(pl.col("industry") == "x")["lq_cut"][0]
    lq = [
        10 / 100 / (160 / 410),
        20 / 100 / (160 / 410),
        30 / 100 / (160 / 410),
        100 / 110 / (160 / 410),
    ]
    assert lq_cut == pytest.approx(lq[2] + 0.25 * (lq[3] - lq[2]), rel=1e-12)
    # with establishments: d has 1 establishment in x, not above the bottom quartile
    # (1, 5, 5, 5 -> 25th percentile 4) -> no longer strong; a has 9 establishments in y,
    # above the 25th percentile of (6, 7, 8, 9) = 6.75 -> still strong
    with_est = ix.strong_clusters(four, year=None, establishments="estab")
    assert with_est.filter(pl.col("strong")).select("industry", "region").rows() == [("y", "a")]


def test_european_cluster_observatory_stars_by_hand(four: pl.DataFrame) -> None:
    # x in d: size 100 >= 90th pct of (10, 20, 30, 100) = 30 + .7 * 70 = 79 -> star;
    # LQ 2.33 >= 2 -> star; focus 100/110 = .909 >= 90th pct of (.1, .2, .3, .909) -> star
    # y in a: size 90 >= 90th pct of (10, 70, 80, 90) = 80 + .7 * 10 = 87 -> star;
    # LQ 1.48 < 2; focus .9 >= 90th pct of (.9, .8, .7, .0909) = .8 + .7 * .1 = .87 -> star
    out = ix.cluster_stars(four.drop("estab"), year=None)
    stars = {(r["industry"], r["region"]): r["stars"] for r in out.iter_rows(named=True)}
    assert stars[("x", "d")] == 3
    assert stars[("y", "a")] == 2
    assert stars[("x", "a")] == 0


def test_cluster_map_prefixes_and_exact_codes() -> None:
    t = pl.DataFrame(
        {
            "region": ["r"] * 6,
            "industry": ["5112", "511210", "541511", "5415", "517311", "4411"],
            "value": [1.0, 2.0, 4.0, 8.0, 16.0, 32.0],
        }
    )
    out = ix.aggregate_clusters(t, {"IT": ["5112", "5415xx", "517*"]}, year=None)
    got = dict(zip(out["industry"], out["value"], strict=True))
    # 5112 exact (1), 5415xx -> prefix 5415 (541511: 4, 5415: 8), 517* -> 517311 (16);
    # 511210 is not 5112 exactly and stays itself, 4411 stays itself
    assert got == {"IT": 29.0, "511210": 2.0, "4411": 32.0}
    dropped = ix.aggregate_clusters(t, {"IT": ["5112"]}, year=None, keep_other=False)
    assert dropped.rows() == [("r", "IT", 1.0)]


def test_entries_and_exits_by_hand() -> None:
    # 2000: a has x (LQ (2/3)/(2/3)... ) -- use presence="positive" to count rows
    t = pl.DataFrame(
        {
            "region": ["a", "a", "b", "a", "b", "b"],
            "industry": ["x", "y", "x", "y", "x", "z"],
            "year": [2000, 2000, 2000, 2001, 2001, 2001],
            "value": [1.0, 2.0, 3.0, 4.0, 3.0, 5.0],
        }
    )
    out = ix.dynamics(t, presence="positive")
    flags = {
        (r["region"], r["industry"]): (r["entry"], r["exit"]) for r in out.iter_rows(named=True)
    }
    assert flags == {
        ("a", "x"): (False, True),  # 1 -> absent
        ("a", "y"): (False, False),
        ("b", "x"): (False, False),
        ("b", "z"): (True, False),  # absent -> 5
    }
    growth = {(r["region"], r["industry"]): r["growth"] for r in out.iter_rows(named=True)}
    assert growth[("a", "y")] == pytest.approx(1.0)  # 2 -> 4
    assert growth[("b", "z")] is None  # from 0: undefined, not infinite


def test_maurel_sedillot_by_hand() -> None:
    # two industries; a: plants 5, 5 in r1 (H = .5); b: 5 in r1, 5 in r2 (H = .5)
    # x = (15/20, 5/20) = (.75, .25); sum x^2 = .625
    # a: s = (1, 0): G_MS = (1 - .625) / .375 = 1 -> MS = (1 - .5) / .5 = 1
    #    EG: G = .0625 + .0625 = .125; (G - .375 * .5) / (.375 * .5) = (-.0625) / .1875 = -1/3
    # b: s = (.5, .5): G_MS = (.5 - .625)/.375 = -1/3 -> MS = (-1/3 - .5) / .5 = -5/3
    plants = pl.DataFrame(
        {
            "plant": [1, 2, 3, 4],
            "industry": ["a", "a", "b", "b"],
            "region": ["r1", "r1", "r1", "r2"],
            "value": [5.0, 5.0, 5.0, 5.0],
        }
    )
    out = ix.agglomeration(plants).sort("industry")
    assert out["ms"].to_list() == pytest.approx([1.0, -5 / 3])
    assert out["eg"][0] == pytest.approx(-1 / 3)
    # a group of both industries with the EG (1997) formula equals the pair formula
    pair = ix.coagglomeration(plants)["coagglomeration"][0]
    group = ix.coagglomeration(plants, {"ab": ["a", "b"]})["coagglomeration"][0]
    assert group == pytest.approx(pair, abs=1e-12)
