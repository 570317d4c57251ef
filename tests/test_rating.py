"""Formulas (1)-(4) and the letter scale on small cases computed by hand."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from growthpole.composite import fraction_of_leader, grade, rate
from growthpole.errors import InputError, SpecError
from growthpole.methods import kireyeva2018
from growthpole.specs import Band, Group, IndexSpec, Indicator, Scale

from .conftest import to_polars


def paper_like_data(values: dict[str, list[float]], regions=("r1", "r2", "r3"), year=2016):  # type: ignore[no-untyped-def]
    rows = []
    for ind, vals in values.items():
        rows += [(r, year, ind, v) for r, v in zip(regions, vals, strict=True)]
    return pl.DataFrame(rows, schema=["region", "year", "indicator", "value"], orient="row")


def test_formula_1_by_hand() -> None:
    # leader 8 -> 100; 2/8 = 25 %; 6/8 = 75 %
    assert fraction_of_leader([2.0, 8.0, 6.0]).tolist() == [25.0, 100.0, 75.0]
    # lower is better: leader is 2 -> 100; 2/8 = 25 %; 2/6 = 33.33 %
    got = fraction_of_leader([2.0, 8.0, 6.0], "lower")
    assert got.tolist() == pytest.approx([100.0, 25.0, 100.0 / 3])
    # a zero is a zero score when higher is better
    assert fraction_of_leader([0.0, 5.0]).tolist() == [0.0, 100.0]


def test_formulas_2_to_4_by_hand() -> None:
    s = kireyeva2018.spec()
    data = paper_like_data(
        {
            "labour_productivity": [10, 5, 2.5],  # 100, 50, 25
            "fixed_asset_impact": [1, 2, 4],  # 25, 50, 100
            "production_sustainability": [3, 3, 3],  # 100, 100, 100
            "rnd_spend_per_employee": [0, 10, 20],  # 0, 50, 100
            "tech_innovation_spend_per_employed": [5, 5, 10],  # 50, 50, 100
            "innovative_output_per_capita": [8, 2, 4],  # 100, 25, 50
        }
    )
    out = rate(data, s).sort("region")
    # I_IS (formula 2): r1 (100+25+100)/3 = 75; r2 (50+50+100)/3 = 66.67; r3 (25+100+100)/3 = 75
    assert out["innovative_susceptibility"].to_list() == pytest.approx([75.0, 200 / 3, 75.0])
    # I_IA (formula 3): r1 (0+50+100)/3 = 50; r2 (50+50+25)/3 = 41.67; r3 (100+100+50)/3 = 83.33
    assert out["innovative_activity"].to_list() == pytest.approx([50.0, 125 / 3, 250 / 3])
    # index (formula 4): r1 62.5; r2 (66.67+41.67)/2 = 54.17; r3 (75+83.33)/2 = 79.17
    assert out["index"].to_list() == pytest.approx([62.5, 325 / 6, 475 / 6])
    assert out["grade"].to_list() == ["A", "B+", "A"]
    assert out["rank"].to_list() == [2, 3, 1]
    assert out["labour_productivity_score"].to_list() == pytest.approx([100, 50, 25])
    assert out.columns[:2] == ["region", "year"]
    assert out.columns[-3:] == ["index", "grade", "rank"]


def test_grade_boundaries_are_lower_inclusive() -> None:
    assert grade([19.999, 20.0, 29.99, 30.0, 39.99, 40.0, 49.99, 50.0, 59.99, 60.0, 100.0]) == [
        "C",
        "C+",
        "C+",
        "C++",
        "C++",
        "B",
        "B",
        "B+",
        "B+",
        "A",
        "A",
    ]
    assert grade([None, float("nan")]) == [None, None]


def test_scale_bounds_must_increase() -> None:
    with pytest.raises(SpecError, match="strictly increasing"):
        Scale("bad", (Band("low", -math.inf), Band("mid", 50), Band("high", 40)))


@pytest.mark.parametrize("weights", [(-1.0, 1.0), (0.0, 0.0)])
def test_bad_weights(weights: tuple[float, float]) -> None:
    with pytest.raises(SpecError, match="weight"):
        IndexSpec(
            "w",
            indicators=(
                Indicator("a", "g", weight=weights[0]),
                Indicator("b", "g", weight=weights[1]),
            ),
            groups=(Group("g"),),
        )


def _two(
    values_a: list[float | None], values_b: list[float | None]
) -> tuple[IndexSpec, pl.DataFrame]:
    spec = IndexSpec(
        "t", indicators=(Indicator("a", "g"), Indicator("b", "g")), groups=(Group("g"),)
    )
    data = pl.DataFrame(
        {
            "region": ["x", "y", "x", "y"],
            "year": [2016] * 4,
            "indicator": ["a", "a", "b", "b"],
            "value": [*values_a, *values_b],
        }
    )
    return spec, data


def test_leader_zero_is_an_error() -> None:
    spec, data = _two([0.0, 0.0], [1.0, 2.0])
    with pytest.raises(InputError, match="leader's value is 0"):
        rate(data, spec)


def test_all_missing_is_an_error() -> None:
    spec, data = _two([None, None], [1.0, 2.0])
    spec = spec.replace(missing="skip")
    with pytest.raises(InputError, match="every value is missing"):
        rate(data, spec)


def test_negative_is_an_error_naming_the_region() -> None:
    spec, data = _two([-1.0, 3.0], [1.0, 2.0])
    with pytest.raises(InputError, match=r"negative value -1 for region 'x'"):
        rate(data, spec)


def test_missing_value_is_an_error_by_default_and_skipped_on_request() -> None:
    spec, data = _two([None, 4.0], [1.0, 2.0])
    with pytest.raises(InputError, match=r"missing value for region 'x'.*'a'"):
        rate(data, spec)
    out = rate(data, spec.replace(missing="skip")).sort("region")
    # x has only b: 1/2 -> 50; y: a 100, b 100 -> 100
    assert out["index"].to_list() == [50.0, 100.0]
    assert out["a_score"].to_list() == [None, 100.0]


def test_indicator_sets_must_agree() -> None:
    spec, data = _two([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(InputError, match=r"\['c'\] are in the spec"):
        rate(data, spec.replace(indicators=(*spec.indicators, Indicator("c", "g"))))
    extra = pl.concat(
        [data, pl.DataFrame({"region": ["x"], "year": [2016], "indicator": ["z"], "value": [1.0]})]
    )
    with pytest.raises(InputError, match=r"\['z'\] are in the data but not in the spec"):
        rate(extra, spec)


def test_duplicates_are_an_error() -> None:
    spec, data = _two([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(InputError, match=r"duplicate row.*region='x'"):
        rate(pl.concat([data, data.head(1)]), spec)


def test_missing_column_is_an_error() -> None:
    spec, data = _two([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(InputError, match="column 'value': missing column"):
        rate(data.drop("value"), spec)


def test_lower_is_better_in_a_rating() -> None:
    spec = IndexSpec(
        "t", indicators=(Indicator("cost", "g", direction="lower"),), groups=(Group("g"),)
    )
    data = pl.DataFrame(
        {"region": ["x", "y"], "year": [1, 1], "indicator": ["cost"] * 2, "value": [4.0, 2.0]}
    )
    out = rate(data, spec).sort("region")
    assert out["index"].to_list() == [50.0, 100.0]


def test_eager_backends_agree(eager_backend: str) -> None:
    from .conftest import to_backend

    spec, data = _two([1.0, 3.0], [2.0, 8.0])
    got = to_polars(rate(to_backend(data, eager_backend), spec)).sort("region")
    assert got["index"].to_list() == pytest.approx([(100 / 3 + 25) / 2, 100.0], abs=1e-12)
    kind = type(rate(to_backend(data, eager_backend), spec)).__module__.split(".")[0]
    assert kind == {"polars": "polars", "pandas": "pandas", "pyarrow": "pyarrow"}[eager_backend]


def test_input_is_not_modified() -> None:
    spec, data = _two([1.0, 3.0], [2.0, 8.0])
    pdf = data.to_pandas()
    before = pdf.copy()
    rate(pdf, spec)
    assert pdf.equals(before)


# -- properties -----------------------------------------------------------------------
positive = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(st.lists(positive, min_size=1, max_size=30))
def test_leader_scores_100(xs: list[float]) -> None:
    s = fraction_of_leader(xs)
    assert s.max() == pytest.approx(100.0)
    assert ((s >= 0) & (s <= 100 + 1e-9)).all()
    lo = fraction_of_leader(xs, "lower")
    assert lo.max() == pytest.approx(100.0)


@given(st.lists(positive, min_size=1, max_size=30), st.floats(min_value=1e-3, max_value=1e3))
def test_scores_invariant_to_unit(xs: list[float], k: float) -> None:
    a = fraction_of_leader(xs)
    b = fraction_of_leader(np.array(xs) * k)
    assert np.allclose(a, b, rtol=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(positive, positive, positive), min_size=2, max_size=8))
def test_index_lies_between_its_parts(rows: list[tuple[float, float, float]]) -> None:
    spec = IndexSpec(
        "p",
        indicators=(Indicator("a", "g1"), Indicator("b", "g1"), Indicator("c", "g2")),
        groups=(Group("g1", weight=0.3), Group("g2", weight=0.7)),
    )
    regions = [f"r{i}" for i in range(len(rows))]
    data = pl.DataFrame(
        [
            (r, 1, ind, v)
            for r, vals in zip(regions, rows, strict=True)
            for ind, v in zip("abc", vals, strict=True)
        ],
        schema=["region", "year", "indicator", "value"],
        orient="row",
    )
    out = rate(data, spec)
    lo = out.select(pl.min_horizontal("g1", "g2")).to_series()
    hi = out.select(pl.max_horizontal("g1", "g2")).to_series()
    assert ((out["index"] >= lo - 1e-9) & (out["index"] <= hi + 1e-9)).all()
    assert sorted(out["rank"].to_list())[0] == 1
