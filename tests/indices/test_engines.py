"""One definition, every engine: the same numbers (to 1e-12) and the same kind of frame back.

Data: REAT's G.regions.emp (German Länder x industries, employees 2008-2014) with the
totals rows and the nested manufacturing row dropped, made sparse by removing some rows —
an absent row must count as a zero on every engine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl
import pytest

from growthpole import indices as ix
from growthpole.errors import EngineError, InputError
from growthpole.indices._core import run_engine

DATA = Path(__file__).parents[1] / "data"


def _polars(native: Any) -> pl.DataFrame:
    f = nw.from_native(native)
    if isinstance(f, nw.LazyFrame):
        f = f.collect()
    return pl.from_arrow(f.to_arrow())  # type: ignore[return-value]


def _kind(native: Any) -> str:
    mod = type(native).__module__
    name = type(native).__name__
    return f"{mod.split('.')[0]}.{name}"


EXPECTED_KIND = {
    "polars": "polars.DataFrame",
    "polars-lazy": "polars.LazyFrame",
    "pandas": "pandas.DataFrame",
    "pyarrow": "pyarrow.Table",
    "duckdb": "duckdb.DuckDBPyRelation",
    "spark": "pyspark.DataFrame",
}


@pytest.fixture(scope="module")
def emp() -> pl.DataFrame:
    raw = pl.read_csv(DATA / "de_laender_employment_2008_2014.csv")
    t = raw.filter(
        (pl.col("region") != "Insgesamt")
        & (pl.col("industry") != "Insgesamt")
        & ~pl.col("industry").str.contains(r"\(C\)")
        & pl.col("year").is_in([2008, 2011, 2014])
    ).rename({"emp": "employees", "region": "land", "industry": "sector"})
    t = t.with_columns(pl.col("employees").cast(pl.Float64))
    # sparse: drop every 7th row (absent = zero) deterministically
    return t.with_row_index("_n").filter(pl.col("_n") % 7 != 3).drop("_n")


ROLES = {"region": "land", "industry": "sector", "year": "year", "value": "employees"}


def _cases() -> dict[str, Callable[[Any], Any]]:
    return {
        "location_quotient": lambda d: ix.location_quotient(d, **ROLES),
        "location_quotient_rest": lambda d: ix.location_quotient(d, benchmark="rest", **ROLES),
        "specialisation": lambda d: ix.specialisation(d, **ROLES),
        "concentration": lambda d: ix.concentration(d, **ROLES),
        "krugman_dissimilarity": lambda d: ix.krugman_dissimilarity(d, "Bayern", "Berlin", **ROLES),
        "eci": lambda d: ix.complexity(d, **ROLES).regions,
        "pci": lambda d: ix.complexity(d, method="reflections", **ROLES).industries,
        "relatedness": lambda d: ix.relatedness(d, **ROLES),
        "proximity": lambda d: ix.proximity(d, **ROLES),
        "aggregate_clusters": lambda d: ix.aggregate_clusters(
            d, {"finance": ["Erbringung*"], "building": ["Baugewerbe (F)"]}, **ROLES
        ),
        "strong_clusters": lambda d: ix.strong_clusters(d, **ROLES),
        "cluster_stars": lambda d: ix.cluster_stars(d, **ROLES),
        "dynamics": lambda d: ix.dynamics(d, **ROLES),
        "shift_share": lambda d: ix.shift_share(d, method="esteban_marquillas", **ROLES),
        "shift_share_dynamic": lambda d: ix.shift_share(d, method="dynamic", **ROLES),
    }


CASES = _cases()


def _assert_same(got: pl.DataFrame, want: pl.DataFrame) -> None:
    assert got.columns == want.columns
    keys = [c for c, t in want.schema.items() if t in (pl.String, pl.Int64, pl.Int32)]
    keys = [c for c in keys if c not in ("diversity", "ubiquity", "stars")] or want.columns[:1]
    got, want = got.sort(keys), want.sort(keys)
    assert got.height == want.height
    for col in want.columns:
        a, b = got.get_column(col), want.get_column(col)
        if b.dtype.is_numeric() and b.dtype not in (pl.String,):
            a, b = a.cast(pl.Float64), b.cast(pl.Float64)
            assert (a.is_null() == b.is_null()).all(), col
            diff = (a - b).abs().fill_null(0.0)
            scale = b.abs().fill_null(0.0).clip(lower_bound=1.0)
            assert (diff <= 1e-12 * scale).all(), (col, float(diff.max()))
        else:
            assert a.cast(pl.String).to_list() == b.cast(pl.String).to_list(), col


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_numbers_and_kind_on_every_engine(
    case: str, backend: str, make_frame: Callable[[pl.DataFrame], Any], emp: pl.DataFrame
) -> None:
    fn = CASES[case]
    want = fn(emp)
    native = fn(make_frame(emp))
    assert _kind(native) == EXPECTED_KIND[backend]
    _assert_same(_polars(native), _polars(want))


def test_micro_indices_on_every_engine(
    backend: str, make_frame: Callable[[pl.DataFrame], Any]
) -> None:
    plants = pl.DataFrame(
        {
            "plant": list(range(12)),
            "industry": ["a"] * 4 + ["b"] * 4 + ["c"] * 4,
            "region": ["r1", "r1", "r2", "r3", "r1", "r2", "r2", "r3", "r3", "r3", "r1", "r2"],
            "value": [5.0, 7.0, 1.0, 2.0, 3.0, 3.0, 9.0, 1.0, 4.0, 6.0, 2.0, 8.0],
        }
    )
    for fn in (ix.agglomeration, ix.coagglomeration):
        want = fn(plants)
        native = fn(make_frame(plants))
        assert _kind(native) == EXPECTED_KIND[backend]
        _assert_same(_polars(native), want)


def test_missing_value_is_an_error_on_every_engine(
    backend: str, make_frame: Callable[[pl.DataFrame], Any]
) -> None:
    t = pl.DataFrame({"region": ["a", "b"], "industry": ["x", "x"], "value": [1.0, None]})
    with pytest.raises(InputError, match="missing value"):
        ix.specialisation(make_frame(t), year=None)


def test_engine_that_cannot_compute_raises_engine_error() -> None:
    frame = nw.from_native(pl.DataFrame({"a": [1]}))

    def unsupported() -> Any:
        raise NotImplementedError("rank over a window is not supported")

    with pytest.raises(EngineError, match="cannot compute the test index"):
        run_engine(unsupported, "the test index", frame)
