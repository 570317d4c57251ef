"""The rating of one spec: normalise, aggregate up the tree, grade and rank, on any frame.

The input is a long table ``region, year, indicator, value`` (any frame Narwhals supports);
the output is the same kind of frame with one row per region and year:
``region, year, <indicator>_score..., <group>..., index, grade, rank`` (plus ``relative``
before ``grade`` when the scale is relative to a reference). The paper's rating
(formulas 1-4) is the spec with ``fraction_of_max`` normalisation and arithmetic means.

Examples
--------
>>> import polars as pl
>>> from growthpole.specs import Group, IndexSpec, Indicator
>>> spec = IndexSpec(
...     name="tiny",
...     indicators=(Indicator("a", "g"), Indicator("b", "g")),
...     groups=(Group("g"),),
... )
>>> data = pl.DataFrame({
...     "region": ["x", "x", "y", "y"], "year": [2016] * 4,
...     "indicator": ["a", "b", "a", "b"], "value": [10.0, 1.0, 5.0, 4.0],
... })
>>> rate(data, spec).select("region", "a_score", "b_score", "index", "grade", "rank").rows()
[('y', 50.0, 100.0, 75.0, 'A', 1), ('x', 100.0, 25.0, 62.5, 'A', 2)]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl

from growthpole._frames import like
from growthpole.composite._engine import (
    Prepared,
    aggregate_stack,
    compile_spec,
)
from growthpole.specs import IndexSpec, Scale

__all__ = ["aggregate", "grade", "normalise", "rank_desc", "rate"]


def normalise(
    data: Any,
    spec: IndexSpec,
    *,
    region: str = "region",
    year: str | None = "year",
    indicator: str = "indicator",
    value: str = "value",
    source: str = "<frame>",
) -> Any:
    """Normalise each indicator per the spec (formula 1 by default), per year or pooled.

    Returns the long table with a ``score`` column, as the same kind of frame. The data
    steps of the spec (denominators, screening, imputation, treatment) run first; the
    ``value`` column keeps the raw value.

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole.specs import Group, IndexSpec, Indicator
    >>> spec = IndexSpec("t", (Indicator("a", "g", normalisation="min_max"),), (Group("g"),))
    >>> d = pl.DataFrame({"region": ["x", "y"], "year": [1, 1], "indicator": "a",
    ...                   "value": [2.0, 4.0]})
    >>> normalise(d, spec)["score"].to_list()
    [0.0, 100.0]
    """
    from growthpole.composite.pipeline import Composite

    comp = Composite.build(
        data, spec, region=region, year=year, indicator=indicator, value=value, source=source
    )
    out = comp.scores_long().rename({"region": region, "indicator": indicator, "value": value})
    out = out.rename({"year": year}) if year and year != "year" else out
    if not year:
        out = out.drop("year")
    return like(out, data)


def aggregate(scores: pl.DataFrame, spec: IndexSpec) -> pl.DataFrame:
    """Aggregate normalised scores up the spec's tree (formulas 2-4 by default).

    ``scores`` is a long Polars frame ``region, year, indicator, score``; the result is wide:
    ``region, year, <indicator>_score..., <group>..., <index_name>``.

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole.specs import Group, IndexSpec, Indicator
    >>> spec = IndexSpec("t", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
    >>> s = pl.DataFrame({"region": ["x", "x"], "year": [1, 1], "indicator": ["a", "b"],
    ...                   "score": [40.0, 80.0]})
    >>> aggregate(s, spec)["index"].to_list()
    [60.0]
    """
    wide = scores.pivot(on="indicator", index=["region", "year"], values="score")
    names = spec.indicator_names
    for n in names:
        if n not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(n))
    wide = wide.sort("year", "region", nulls_last=True)
    plan = compile_spec(spec)
    years = wide["year"].to_list()
    from growthpole.composite._engine import _blocks

    blocks = _blocks(years)
    x = np.column_stack([wide[n].cast(pl.Float64).to_numpy() for n in names]).astype(float)
    prep = Prepared(
        [str(r) for r in wide["region"].to_list()],
        years,
        x,
        x,
        blocks,
        blocks,
        pl.DataFrame(),
    )
    vals = aggregate_stack(x[None], plan.weights[None], plan, prep)[0]
    out = wide.select("region", "year", *[pl.col(n).alias(f"{n}_score") for n in names])
    cols = [n.name for n in plan.nodes]
    return out.with_columns(
        [pl.Series(c, vals[:, plan.n_ind + t]).fill_nan(None) for t, c in enumerate(cols)]
    )


def grade(values: Any, scale: Scale | None = None) -> list[str | None]:
    """Letter grade of each index value on ``scale`` (default: the paper's).

    Examples
    --------
    >>> grade([18.70, 21.56, 51.93])
    ['C', 'C+', 'B+']
    """
    return (scale or Scale.default()).grade(
        [
            None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
            for v in values
        ]
    )


def rank_desc(frame: pl.DataFrame, column: str, *, by: str = "year") -> pl.Series:
    """Rank within each ``by`` group, 1 = highest; ties share the best rank; nulls stay null.

    Examples
    --------
    >>> import polars as pl
    >>> f = pl.DataFrame({"year": [1, 1, 1], "v": [2.0, 5.0, 2.0]})
    >>> rank_desc(f, "v").to_list()
    [2, 1, 2]
    """
    return frame.select(
        pl.col(column).rank(method="min", descending=True).over(by).cast(pl.Int64)
    ).to_series()


def rate(
    data: Any,
    spec: IndexSpec,
    *,
    region: str = "region",
    year: str | None = "year",
    indicator: str = "indicator",
    value: str = "value",
    source: str = "<frame>",
) -> Any:
    """The whole rating: data steps, normalise, aggregate up the tree, grade and rank.

    Returns one row per region and year, as the same kind of frame as ``data``, with
    columns ``region, year, <indicator>_score..., <group>..., index, grade, rank`` (the
    index column is named after ``spec.index_name``; a relative scale adds ``relative``).
    Imputed, treated or screened cells raise a :class:`~growthpole.errors.DataWarning`;
    :class:`~growthpole.composite.Composite` gives the full report.
    """
    from growthpole.composite.pipeline import Composite

    comp = Composite.build(
        data, spec, region=region, year=year, indicator=indicator, value=value, source=source
    )
    comp.warn()
    out = comp.ratings.rename({"region": region})
    out = out.rename({"year": year}) if year and year != "year" else out
    if not year:
        out = out.drop("year")
    return like(out, data)
