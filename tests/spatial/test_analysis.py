"""Spatial analysis: errors, missing data, properties, backends, verdicts, panels, plots."""

from __future__ import annotations

import warnings

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from growthpole import datasets
from growthpole.errors import DataWarning, GrowthpoleError, InputError
from growthpole.spatial import (
    VERDICTS,
    global_autocorrelation,
    graph_from_edges,
    local_autocorrelation,
    region_graph,
    spatial_analysis,
    spillovers,
    trend_of,
)

CHAIN5 = graph_from_edges(
    pl.DataFrame({"focal": ["a", "b", "c", "d"], "neighbour": ["b", "c", "d", "e"]})
)


@pytest.fixture(scope="module")
def kaz_queen():
    return region_graph(graph="queen")


def _kaz(values: list[float], year: int = 2016) -> pl.DataFrame:
    regions = sorted(datasets.load("kaz_boundaries")["region"].to_list())
    return pl.DataFrame({"region": regions, "year": [year] * 16, "value": values})


def test_constant_variable_is_a_clear_error(kaz_queen) -> None:
    with pytest.raises(InputError, match=r"constant.*undefined"):
        global_autocorrelation(_kaz([5.0] * 16), kaz_queen, permutations=9)


def test_too_few_regions_and_bad_settings() -> None:
    t = pl.DataFrame({"region": ["a", "b"], "value": [1.0, 2.0]})
    with pytest.raises(InputError, match="at least 3"), pytest.warns(DataWarning, match="left out"):
        spatial_analysis(t, CHAIN5, year=None, permutations=9)
    t5 = pl.DataFrame({"region": list("abcde"), "value": [1.0, 2, 3, 4, 5]})
    with pytest.raises(InputError, match="permutations"):
        spatial_analysis(t5, CHAIN5, year=None, permutations=0)
    with pytest.raises(InputError, match="alpha"):
        spatial_analysis(t5, CHAIN5, year=None, alpha=1.5)
    with pytest.raises(GrowthpoleError, match="transform"):
        spatial_analysis(t5, CHAIN5, year=None, transform="x")


def test_input_errors_name_the_column() -> None:
    t = pl.DataFrame({"region": list("abcde"), "value": ["1", "2", "x", "4", "5"]})
    with pytest.raises(InputError, match=r"column 'value', row 3: expected a number"):
        spatial_analysis(t, CHAIN5, year=None)
    with pytest.raises(InputError, match="missing column"):
        spatial_analysis(t, CHAIN5, value="index", year=None)
    dup = pl.DataFrame({"region": ["a", "a", "b", "c"], "value": [1.0, 2, 3, 4]})
    with pytest.raises(InputError, match="duplicate"):
        spatial_analysis(dup, CHAIN5, year=None)
    outside = pl.DataFrame({"region": list("abcdz"), "value": [1.0, 2, 3, 4, 5]})
    with pytest.raises(InputError, match=r"not in the graph: \['z'\]"):
        spatial_analysis(outside, CHAIN5, year=None)


def test_missing_values_are_left_out_not_zero(kaz_queen) -> None:
    vals = [float(i) for i in range(16)]
    t = _kaz(vals)
    i_akmola = t["region"].to_list().index("akmola")
    t = t.with_columns(
        pl.when(pl.col("region") == "akmola").then(None).otherwise(pl.col("value")).alias("value")
    )
    with pytest.warns(DataWarning) as rec:
        res = spatial_analysis(t, kaz_queen, permutations=9)
    msgs = " ".join(str(w.message) for w in rec)
    assert "akmola" in msgs
    assert "astana" in msgs  # its only neighbour has no data: an island this year
    loc = res.local_table
    assert loc.filter(pl.col("region") == "akmola")["status"].item() == "no data"
    astana = loc.filter(pl.col("region") == "astana").row(0, named=True)
    assert astana["status"] == "island"
    assert astana["verdict"] == "island (no neighbours)"
    g = res.global_table.row(0, named=True)
    assert (g["n"], g["n_no_data"], g["n_islands"]) == (14, 1, 1)
    # reading the gap as zero would give another Moran's I
    zero = spatial_analysis(
        _kaz([0.0 if k == i_akmola else v for k, v in enumerate(vals)]), kaz_queen, permutations=9
    )
    assert zero.global_table["estimate"][0] != pytest.approx(g["estimate"])


values16 = st.lists(
    st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_subnormal=False),
    min_size=16,
    max_size=16,
).filter(lambda v: np.ptp(v) > 1e-3)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=values16, seed=st.integers(0, 2**31 - 1))
def test_p_values_in_unit_interval_and_seed_reproducible(kaz_queen, values, seed) -> None:
    t = _kaz(values)
    a = spatial_analysis(t, kaz_queen, permutations=19, seed=seed)
    b = spatial_analysis(t, kaz_queen, permutations=19, seed=seed)
    assert a.global_table.equals(b.global_table)
    assert a.local_table.equals(b.local_table)
    for col in ("moran_p_sim", "moran_q", "gi_star_p_sim", "gi_star_q"):
        p = a.local_table[col].to_numpy()
        assert ((p > 0) & (p <= 1)).all(), col
    assert (a.local_table["moran_q"] >= a.local_table["moran_p_sim"] - 1e-12).all()
    p = a.global_table["p_sim"].to_numpy()
    assert ((p >= 1 / 20) & (p <= 1)).all()
    # Moran's I is bounded by the extreme eigenvalues of W; for 16 regions it stays within [-1.5, 1.5]
    assert a.global_table.filter(pl.col("statistic") == "moran_i")["estimate"].abs().max() < 1.5


@settings(max_examples=10, deadline=None)
@given(shift=st.floats(-1e4, 1e4), scale=st.floats(0.01, 1e4))
def test_statistics_invariant_to_affine_rescaling(shift, scale) -> None:
    base = [3.0, 1.0, 4.0, 1.5, 9.0]
    t1 = pl.DataFrame({"region": list("abcde"), "value": base})
    t2 = t1.with_columns(pl.col("value") * scale + shift)
    a = global_autocorrelation(t1, CHAIN5, year=None, permutations=19)
    b = global_autocorrelation(t2, CHAIN5, year=None, permutations=19)
    assert b["estimate"].to_list() == pytest.approx(a["estimate"].to_list(), rel=1e-6, abs=1e-9)
    assert b["p_sim"].to_list() == a["p_sim"].to_list()


def test_same_numbers_on_every_backend(make_frame, backend) -> None:
    t1 = datasets.load("kireyeva2018_table1").select("region", "year", "index")
    want = global_autocorrelation(t1, value="index", permutations=49)
    got_native = global_autocorrelation(make_frame(t1), value="index", permutations=49)
    import narwhals.stable.v2 as nw

    f = nw.from_native(got_native)
    got = pl.from_arrow((f.collect() if isinstance(f, nw.LazyFrame) else f).to_arrow())
    assert got.select("year", "statistic", "estimate", "p_sim").equals(
        want.select("year", "statistic", "estimate", "p_sim")
    )


def test_local_and_spillovers_return_the_input_kind() -> None:
    t1 = datasets.load("kireyeva2018_table1")
    pdf = t1.to_pandas()
    out = local_autocorrelation(pdf, value="index", permutations=9)
    assert type(out).__module__.startswith("pandas")
    sp = spillovers(t1.lazy(), value="index", permutations=9)
    assert isinstance(sp, pl.LazyFrame)
    assert set(sp.collect()["verdict"]) <= set(VERDICTS)


# Pole verdicts on a chain a-b-c-d-e, pole c (computed by hand, tolerance 0.25 SD):
# 2010: y = 1, 1, 10, 1, 1 -> mean 2.8, sd 3.6, z = -0.5, -0.5, 2, -0.5, -0.5; c's neighbours'
#       mean z = -0.5 < 0 and c is above them (10 vs 1): "isolated pole"
# 2016: y = 1, 5, 10, 5, 1 -> mean 4.4, sd sqrt(55.2/5) = 3.3226, z_b = z_d = 0.6/3.3226 = 0.1806;
#       neighbours' mean z -0.5 -> 0.1806 (+0.68 SD > 0.25): "pole with a rising periphery";
#       contrast 10 - 1 = 9 -> 10 - 5 = 5: change -4
RISING = pl.DataFrame(
    {
        "region": list("abcde") * 2,
        "year": [2010] * 5 + [2016] * 5,
        "value": [1.0, 1, 10, 1, 1, 1, 5, 10, 5, 1],
    }
)


def test_pole_with_rising_periphery_by_hand() -> None:
    loc = spatial_analysis(RISING, CHAIN5, permutations=9).local_table
    c = {r["year"]: r for r in loc.filter(pl.col("region") == "c").iter_rows(named=True)}
    assert c[2010]["verdict"] == "isolated pole"
    assert c[2016]["verdict"] == "pole with a rising periphery"
    assert c[2016]["lag_z_change"] == pytest.approx(0.6 / np.sqrt(55.2 / 5) + 0.5)
    assert c[2016]["contrast_change"] == pytest.approx(-4.0)
    assert c[2016]["lag_change"] == pytest.approx(4.0)
    assert c[2016]["base_year"] == 2010
    assert c[2010]["lag_change"] is None
    # the edges are below the mean of all regions: not poles
    assert loc.filter(pl.col("region") == "a")["verdict"].to_list() == ["not a pole", "not a pole"]


def test_pole_with_falling_periphery_and_candidates() -> None:
    falling = RISING.with_columns(
        pl.when(pl.col("year") == 2010).then(2016).otherwise(2010).alias("year")
    )
    loc = spatial_analysis(falling, CHAIN5, permutations=9, candidates=["c"]).local_table
    c = loc.filter(pl.col("region") == "c", pl.col("year") == 2016)
    assert c["verdict"].item() == "pole with a falling periphery"
    assert set(loc.filter(pl.col("region") != "c")["verdict"]) == {"not a candidate"}
    # a tolerance wider than the change keeps the static verdict
    loc2 = spatial_analysis(falling, CHAIN5, permutations=9, tolerance=1.0).local_table
    assert (
        loc2.filter(pl.col("region") == "c", pl.col("year") == 2016)["verdict"].item()
        == "isolated pole"
    )


def test_pole_in_a_strong_neighbourhood_and_candidate_column() -> None:
    # y = 1, 8, 10, 8, 1: mean 5.6, deviations -4.6, 2.4, 4.4, 2.4, -4.6, sd sqrt(73.2/5) = 3.826
    # c: neighbours 8, 8 (z +0.627 each) -> neighbours' mean z > 0, c above them: strong neighbourhood
    # b: 8 > 5.6 and above its neighbours' mean (1 + 10)/2 = 5.5, whose mean z (-4.6 + 4.4)/2/3.826
    #    = -0.026 < 0: isolated pole
    t = pl.DataFrame(
        {
            "region": list("abcde"),
            "value": [1.0, 8, 10, 8, 1],
            "cand": [False, True, True, False, False],
        }
    )
    loc = spatial_analysis(t, CHAIN5, year=None, permutations=9, candidates="cand").local_table
    v = dict(loc.select("region", "verdict").iter_rows())
    assert v["c"] == "pole in a strong neighbourhood"
    assert v["b"] == "isolated pole"
    assert v["a"] == "not a candidate"


def test_trend_of() -> None:
    ns, hot, cold = "not significant", "hot spot", "cold spot"
    assert trend_of([hot, hot, hot]) == "persistent hot spot"
    assert trend_of([ns, ns, hot]) == "emerging hot spot"
    assert trend_of([hot, ns]) == "fading hot spot"
    assert trend_of([ns, hot, ns]) == "intermittent hot spot"
    assert trend_of([cold, cold]) == "persistent cold spot"
    assert trend_of([ns, cold]) == "emerging cold spot"
    assert trend_of([hot, cold]) == "hot and cold"
    assert trend_of([ns, ns]) == "never significant"


def test_panel_table_over_years() -> None:
    res = spatial_analysis(datasets.load("kireyeva2018_table1"), value="index", permutations=99)
    p = res.panel_table
    assert p.height == 16
    assert set(p["first_year"]) == {2010}
    assert set(p["last_year"]) == {2016}
    assert (p["years_hot"] + p["years_cold"] <= p["n_years"]).all()
    one = spatial_analysis(
        datasets.load("kireyeva2018_table1").filter(pl.col("year") == 2016),
        value="index",
        permutations=9,
    )
    assert one.panel_table.height == 0


def test_result_summary_and_plot() -> None:
    from matplotlib.figure import Figure

    res = spatial_analysis(
        datasets.load("kireyeva2018_table1"), value="index", permutations=99, seed=3
    )
    text = res.summary()
    for row in res.global_table.filter(pl.col("statistic") == "moran_i").iter_rows(named=True):
        assert f"{row['year']}: Moran's I = {row['estimate']:.3f}" in text
    fig = res.plot()
    assert isinstance(fig, Figure)
    assert len([ax for ax in fig.axes if ax.get_title()]) == 2
    fig2 = res.plot("hot_spot", years=[2016])
    assert len([ax for ax in fig2.axes if ax.get_title()]) == 1
    with pytest.raises(InputError, match="no results for year"):
        res.plot(years=[1999])
    chain = spatial_analysis(
        pl.DataFrame({"region": list("abcde"), "value": [1.0, 2, 3, 5, 4]}),
        CHAIN5,
        year=None,
        permutations=9,
    )
    with pytest.raises(InputError, match="no boundaries"):
        chain.plot()


def test_no_stray_warnings_from_libraries() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spatial_analysis(datasets.load("kireyeva2018_table1"), value="index", permutations=19)
