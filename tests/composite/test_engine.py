"""The engine end to end: the paper's rating unchanged, hierarchy, data steps, scales, specs."""

from __future__ import annotations

import math
import warnings

import numpy as np
import polars as pl
import pytest

from growthpole.composite import Composite, effective_weights, rate, trends
from growthpole.errors import DataWarning, InputError, SpecError
from growthpole.specs import Group, IndexSpec, Indicator, PoleRule, Scale


def long(rows: dict[str, dict[str, float | None]], year: int = 2020) -> pl.DataFrame:
    out = [(r, year, i, v) for r, vals in rows.items() for i, v in vals.items()]
    return pl.DataFrame(out, schema=["region", "year", "indicator", "value"], orient="row")


def paper_spec() -> IndexSpec:
    """The paper's structure (formulas 2-4): two groups of three, 0.5/0.5."""
    g1 = ("labour_productivity", "fixed_asset_impact", "production_sustainability")
    g2 = (
        "rnd_spend_per_employee",
        "tech_innovation_spend_per_employed",
        "innovative_output_per_capita",
    )
    return IndexSpec(
        "kireyeva2018",
        tuple(Indicator(n, "innovative_susceptibility") for n in g1)
        + tuple(Indicator(n, "innovative_activity") for n in g2),
        (Group("innovative_susceptibility", 0.5), Group("innovative_activity", 0.5)),
    )


def test_paper_rating_by_hand() -> None:
    spec = paper_spec()
    names = spec.indicator_names
    data = long(
        {
            "a": dict(zip(names, [10.0, 2.0, 5.0, 1.0, 8.0, 3.0], strict=True)),
            "b": dict(zip(names, [5.0, 4.0, 5.0, 4.0, 2.0, 6.0], strict=True)),
        }
    )
    out = rate(data, spec).sort("region")
    # a: scores 100, 50, 100 -> 250/3; 25, 100, 50 -> 175/3; index (250/3 + 175/3)/2 = 70.8333
    # b: scores 50, 100, 100 -> 250/3; 100, 25, 100 -> 225/3; index 475/6 = 79.1667
    assert out["index"].to_list() == pytest.approx([425 / 6, 475 / 6])
    assert out["grade"].to_list() == ["A", "A"]
    assert out["rank"].to_list() == [2, 1]
    assert out.columns == [
        "region",
        "year",
        *[f"{n}_score" for n in names],
        "innovative_susceptibility",
        "innovative_activity",
        "index",
        "grade",
        "rank",
    ]


def test_four_level_tree_and_effective_weights() -> None:
    spec = IndexSpec(
        "deep",
        (Indicator("a", "p1"), Indicator("b", "p1", weight=3), Indicator("c", "p2")),
        (Group("p1", parent="s"), Group("p2", parent="s"), Group("s")),
    )
    data = long({"x": {"a": 4.0, "b": 2.0, "c": 1.0}, "y": {"a": 2.0, "b": 4.0, "c": 2.0}})
    out = rate(data, spec).sort("region")
    # x: a 100, b 50 -> p1 = (100 + 150) / 4 = 62.5; c 50 -> p2 50; s = 56.25 = index
    # y: a 50, b 100 -> p1 = (50 + 300) / 4 = 87.5; p2 100; s = 93.75
    assert out["p1"].to_list() == [62.5, 87.5]
    assert out["index"].to_list() == [56.25, 93.75]
    w = effective_weights(spec)
    # a: 1/4 * 1/2 = 0.125; b: 3/4 * 1/2 = 0.375; c: 1 * 1/2 = 0.5
    assert [w["a"], w["b"], w["c"]] == [0.125, 0.375, 0.5]


def test_per_level_aggregation_and_availability() -> None:
    spec = IndexSpec(
        "g",
        (
            Indicator("a", "g1", normalisation="scaled", params={"low": 0, "high": 10}),
            Indicator("b", "g1", normalisation="scaled", params={"low": 0, "high": 10}),
            Indicator("c", "g2", normalisation="scaled", params={"low": 0, "high": 10}),
        ),
        (Group("g1", aggregation="geometric", min_availability=1.0), Group("g2")),
        missing="skip",
    )
    data = long({"x": {"a": 1.0, "b": 4.0, "c": 5.0}, "y": {"a": 2.0, "b": None, "c": 5.0}})
    out = rate(data, spec).sort("region")
    # x: g1 = sqrt(10 * 40) = 20; g2 = 50; index 35. y: g1 missing (1 of 2 < 100 %) -> index 50
    assert out["g1"].to_list() == [pytest.approx(20.0), None]
    assert out["index"].to_list() == [pytest.approx(35.0), 50.0]


def test_denominator_per_capita() -> None:
    spec = IndexSpec("d", (Indicator("gdp", "g", denominator="population"),), (Group("g"),))
    data = long({"x": {"gdp": 100.0, "population": 10.0}, "y": {"gdp": 60.0, "population": 2.0}})
    out = rate(data, spec).sort("region")
    # per capita: x 10, y 30 -> 100 * 10/30, 100
    assert out["gdp_score"].to_list() == [pytest.approx(100 / 3), 100.0]
    bad = long({"x": {"gdp": 1.0, "population": 0.0}, "y": {"gdp": 1.0, "population": 1.0}})
    with pytest.raises(InputError, match="denominator 'population' is 0 for region 'x'"):
        rate(bad, spec)


def test_screening_and_imputation_are_reported() -> None:
    spec = IndexSpec(
        "s",
        (Indicator("a", "g"), Indicator("b", "g")),
        (Group("g"),),
        screening=0.6,
        imputation="mean",
    )
    data = long(
        {
            "x": {"a": 1.0, "b": 2.0},
            "y": {"a": 3.0, "b": None},
            "z": {"a": None, "b": None},
            "w": {"a": 2.0, "b": 4.0},
        }
    )
    c = Composite.build(data, spec)
    rep = c.report
    # z has 0 % of its data -> dropped; y has 50 % < 60 % -> dropped too
    assert sorted(rep.filter(pl.col("step") == "screen")["region"].to_list()) == ["y", "z"]
    assert sorted(c.ratings["region"].to_list()) == ["w", "x"]
    spec2 = spec.replace(screening=0.5)
    c2 = Composite.build(data, spec2)
    imp = c2.report.filter(pl.col("step") == "impute")
    # y's b = mean of x and w's b = (2 + 4) / 2 = 3
    assert imp.select("region", "indicator", "after").rows() == [("y", "b", 3.0)]
    with pytest.warns(DataWarning, match="1 impute"):
        rate(data, spec2)


def test_treatment_changes_are_reported() -> None:
    spec = IndexSpec(
        "t", (Indicator("a", "g", normalisation="min_max"),), (Group("g"),), treatment="coinr"
    )
    vals = [*range(1, 11), 30, 100]
    data = long({f"r{i:02d}": {"a": float(v)} for i, v in enumerate(vals)})
    c = Composite.build(data, spec)
    t = c.report.filter(pl.col("step") == "treat")
    assert t.select("region", "before", "after").rows() == [("r11", 100.0, 30.0)]
    # after winsorising, max is 30: r11 and r10 both score 100
    top = c.ratings.filter(pl.col("rank") == 1)["region"].sort().to_list()
    assert top == ["r10", "r11"]
    off = spec.replace(indicators=(Indicator("a", "g", normalisation="min_max", treatment="none"),))
    assert Composite.build(data, off).report.height == 0


def test_pooled_normalisation_makes_years_comparable() -> None:
    spec = IndexSpec("p", (Indicator("a", "g"),), (Group("g"),))
    data = pl.concat(
        [
            long({"x": {"a": 2.0}, "y": {"a": 4.0}}, 2010),
            long({"x": {"a": 4.0}, "y": {"a": 8.0}}, 2020),
        ]
    )
    per_year = rate(data, spec).sort("year", "region")
    pooled = rate(data, spec.replace(normalise_by="pooled")).sort("year", "region")
    # per year: leader each year scores 100 -> 50, 100, 50, 100
    assert per_year["index"].to_list() == [50.0, 100.0, 50.0, 100.0]
    # pooled: leader over both years is 8 -> 25, 50, 50, 100
    assert pooled["index"].to_list() == [25.0, 50.0, 50.0, 100.0]
    tr = trends(pooled).sort("region")
    # x: 25 -> 50 over 10 years: change 25, CAGR 2^(1/10) - 1
    assert tr["change"].to_list() == [25.0, 50.0]
    assert tr["cagr"].to_list()[0] == pytest.approx(2**0.1 - 1)


def test_relative_scale_like_the_ris() -> None:
    spec = IndexSpec(
        "r",
        (Indicator("a", "g"),),
        (Group("g"),),
        scale=Scale.ris(),
        poles=PoleRule(min_grade="Strong-"),
    )
    data = long({"x": {"a": 1.0}, "y": {"a": 2.0}, "z": {"a": 3.0}, "w": {"a": 6.0}})
    out = rate(data, spec).sort("region")
    # scores 100/6 * (1, 2, 3, 6) -> mean = 100/6 * 3 = 50; relative = 100 * score / 50
    # = 33.3, 66.7, 100, 200 for x, y, z, w
    rel = dict(zip(out["region"], out["relative"], strict=True))
    assert rel["x"] == pytest.approx(100 / 3)
    assert rel["w"] == pytest.approx(200.0)
    g = dict(zip(out["region"], out["grade"], strict=True))
    # 33.3 in [23.3, 46.7) Emerging; 66.7 Emerging+ (< 70); 100 Strong-; 200 Leader+
    assert g == {"x": "Emerging", "y": "Emerging+", "z": "Strong-", "w": "Leader+"}
    by_ref = rate(data, spec.replace(scale=Scale.ris("y"), poles=spec.poles)).sort("region")
    rel_y = dict(zip(by_ref["region"], by_ref["relative"], strict=True))
    # relative to unit y (score 100/3): x 50, y 100, z 150, w 300
    assert [rel_y[k] for k in "xyzw"] == pytest.approx([50.0, 100.0, 150.0, 300.0])


def test_distance_to_reference_unit_in_the_spec() -> None:
    spec = IndexSpec(
        "r",
        (Indicator("a", "g", normalisation="distance_to_reference", params={"reference": "y"}),),
        (Group("g"),),
    )
    out = rate(long({"x": {"a": 1.0}, "y": {"a": 4.0}}), spec).sort("region")
    assert out["a_score"].to_list() == [25.0, 100.0]
    bad = spec.replace(
        indicators=(
            Indicator(
                "a", "g", normalisation="distance_to_reference", params={"reference": "nowhere"}
            ),
        )
    )
    with pytest.raises(InputError, match="'nowhere' is not in the data"):
        rate(long({"x": {"a": 1.0}}), bad)


def test_copeland_and_median_through_rate() -> None:
    spec = IndexSpec(
        "c",
        (Indicator("a", "g"), Indicator("b", "g"), Indicator("c", "g")),
        (Group("g", aggregation="copeland"),),
    )
    data = long(
        {
            "x": {"a": 3.0, "b": 3.0, "c": 1.0},
            "y": {"a": 2.0, "b": 2.0, "c": 3.0},
            "z": {"a": 1.0, "b": 1.0, "c": 2.0},
        }
    )
    out = rate(data, spec).sort("region")
    # x beats y (2 of 3) and z (2 of 3): +2; y loses to x, beats z (3 of 3): 0; z: -2
    assert out["g"].to_list() == [2.0, 0.0, -2.0]
    med = rate(data, spec.with_aggregation("median")).sort("region")
    # x scores 100, 100, 33.3 -> median 100
    assert med["g"].to_list()[0] == 100.0


def test_spec_toml_round_trip_with_new_options() -> None:
    spec = IndexSpec(
        "full",
        (
            Indicator(
                "a",
                "g",
                normalisation="goalposts",
                params={"low": 0, "high": 5},
                denominator="pop",
                treatment="log",
            ),
        ),
        (Group("g", aggregation="generalised", params={"p": 3}, min_availability=0.5),),
        aggregation="geometric",
        imputation="linear",
        treatment="coinr",
        normalise_by="pooled",
        screening=0.3,
        winsor_max=3,
        scale=Scale.ris("mean"),
        poles=PoleRule(min_grade="Strong"),
    )
    assert IndexSpec.from_toml(spec.to_toml()) == spec
    # a 0.1 spec writes none of the new keys
    old = IndexSpec("old", (Indicator("a", "g"),), (Group("g"),)).to_toml()
    for key in (
        "params",
        "denominator",
        "treatment",
        "imputation",
        "min_availability",
        "reference",
    ):
        assert key not in old


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"normalisation": "min_max", "params": {"lo": 1}}, "unknown params"),
        ({"normalisation": "scaled"}, "needs params"),
        ({"normalisation": "nope"}, "normalisation needs to be one of"),
        ({"treatment": "sometimes"}, "treatment needs to be one of"),
    ],
)
def test_bad_indicator_options(kwargs: dict, match: str) -> None:
    with pytest.raises(SpecError, match=match):
        Indicator("a", "g", **kwargs)


def test_bad_spec_options() -> None:
    with pytest.raises(SpecError, match="impute_group"):
        IndexSpec("s", (Indicator("a", "g"),), (Group("g"),), imputation="group_mean")
    with pytest.raises(SpecError, match="between 0 and 1"):
        Group("g", min_availability=1.5)


def test_missing_index_warns_and_nan_never_silent() -> None:
    spec = IndexSpec("m", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),), missing="skip")
    data = long(
        {"x": {"a": 1.0, "b": None}, "y": {"a": None, "b": None}, "z": {"a": 2.0, "b": 1.0}}
    )
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = rate(data, spec)
    assert any("no index" in str(x.message) for x in w)
    y = out.filter(pl.col("region") == "y")
    assert y["index"].to_list() == [None]
    assert y["rank"].to_list() == [None]
    assert not any(math.isnan(v) for v in out["index"].drop_nulls().to_list())
    assert np.isfinite(out["index"].drop_nulls().to_numpy()).all()


def test_per_capita_with_the_embedded_population() -> None:
    from growthpole import datasets
    from growthpole.composite import with_auxiliary

    pop = datasets.load("kaz_population")
    p = {r: v for r, y, v in pop.select("region", "year", "value").iter_rows() if y == 2016}
    spec = IndexSpec("pc", (Indicator("gdp", "g", denominator="population"),), (Group("g"),))
    data = long({"almaty_city": {"gdp": 1000.0}, "astana": {"gdp": 900.0}}, 2016)
    out = rate(with_auxiliary(data, "population", pop), spec).sort("region")
    per_cap = {"almaty_city": 1000.0 / p["almaty_city"], "astana": 900.0 / p["astana"]}
    lead = max(per_cap.values())
    assert out["gdp_score"].to_list() == pytest.approx(
        [100 * per_cap["almaty_city"] / lead, 100 * per_cap["astana"] / lead]
    )
    with pytest.raises(InputError, match="none of the data's region-years"):
        with_auxiliary(long({"nowhere": {"gdp": 1.0}}, 2016), "population", pop)


def test_composite_steps_return_new_objects() -> None:
    spec = IndexSpec("c", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
    data = long({"x": {"a": 1.0, "b": 4.0}, "y": {"a": 2.0, "b": 2.0}})
    c = Composite.build(data, spec)
    c2 = c.with_weights({"a": 3.0})
    assert c.spec.indicators[0].weight == 1.0
    assert c2.spec.indicators[0].weight == 3.0
    c3 = c.with_normalisation("min_max").with_aggregation("geometric")
    assert c3.spec.aggregation == "geometric"
    # x: a 0, b 100 -> geometric with a zero child = 0; y: a 100, b 0 -> 0
    assert c3.ratings["index"].to_list() == [0.0, 0.0]
    assert c.leave_one_out().height == 4


def test_every_backend_gives_the_same_ratings(backend: str, make_frame) -> None:
    import narwhals.stable.v2 as nw

    def to_polars(native):
        f = nw.from_native(native)
        f = f.collect() if isinstance(f, nw.LazyFrame) else f
        return pl.from_arrow(f.to_arrow())

    spec = IndexSpec(
        "b",
        (Indicator("a", "g"), Indicator("b", "g", direction="lower")),
        (Group("g"),),
        imputation="mean",
    )
    data = long({"x": {"a": 1.0, "b": 4.0}, "y": {"a": 2.0, "b": None}, "z": {"a": 4.0, "b": 2.0}})
    want = rate(data, spec).sort("region")
    got = to_polars(rate(make_frame(data), spec)).sort("region")
    assert got.equals(want.select(got.columns))
