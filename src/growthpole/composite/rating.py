"""The paper's innovation rating: formulas (1)-(4) and the letter scale, on any frame.

The input is a long table ``region, year, indicator, value`` (any frame Narwhals supports);
the output is the same kind of frame with one row per region and year:
``region, year, <indicator>_score..., <group>..., index, grade, rank``.

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
import warnings
from typing import Any

import numpy as np
import polars as pl

from growthpole._frames import as_narwhals, collect_polars, like, rename_roles, require_columns
from growthpole.composite._normalise import fraction_of_leader
from growthpole.errors import DataWarning, InputError
from growthpole.specs import IndexSpec, Scale

__all__ = ["aggregate", "grade", "normalise", "rank_desc", "rate"]


def _long_polars(
    data: Any,
    *,
    region: str,
    year: str | None,
    indicator: str,
    value: str,
    source: str,
) -> pl.DataFrame:
    frame = as_narwhals(data, source=source)
    needed = [region, indicator, value] + ([year] if year else [])
    require_columns(frame, needed, source=source)
    mapping = {"region": region, "indicator": indicator, "value": value}
    if year:
        mapping["year"] = year
    frame = rename_roles(frame, mapping).select(list(mapping))
    out = collect_polars(frame)
    if out.height == 0:
        raise InputError("the table is empty (no data rows)", source=source)
    if "year" not in out.columns:
        out = out.with_columns(pl.lit(None, pl.Int64).alias("year"))
    if not out["value"].dtype.is_numeric():
        from growthpole.io import check_numeric

        out = check_numeric(out, "value", source=source)
    out = out.with_columns(pl.col("value").cast(pl.Float64).fill_nan(None))
    dup = out.with_row_index("_row").filter(
        pl.struct("region", "year", "indicator").is_duplicated()
    )
    if dup.height:
        r = dup.row(1 if dup.height > 1 else 0, named=True)
        raise InputError(
            f"duplicate row for (region={r['region']!r}, year={r['year']!r}, "
            f"indicator={r['indicator']!r}); each may appear once",
            source=source,
            column=indicator,
            row=int(r["_row"]) + 1,
        )
    return out


def _check_indicators(long: pl.DataFrame, spec: IndexSpec, source: str) -> pl.DataFrame:
    have = set(long["indicator"].unique().to_list())
    want = spec.indicator_names
    missing = [i for i in want if i not in have]
    if missing:
        raise InputError(
            f"indicators {missing} are in the spec {spec.name!r} but not in the data "
            f"(the data has {sorted(map(str, have))})",
            source=source,
            column="indicator",
        )
    extra = sorted(str(i) for i in have - set(want))
    if extra:
        raise InputError(
            f"indicators {extra} are in the data but not in the spec {spec.name!r}; "
            "add them to the spec or drop them from the data",
            source=source,
            column="indicator",
        )
    return long


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
    """Formula (1): each indicator as % of the leading region, per year.

    Returns the long table with a ``score`` column, as the same kind of frame.
    Direction comes from the spec (see :func:`fraction_of_leader`). Missing values raise
    unless the spec's ``missing`` is ``"skip"``, in which case the score stays missing.
    """
    long = _long_polars(
        data, region=region, year=year, indicator=indicator, value=value, source=source
    )
    long = _check_indicators(long, spec, source)
    scored = _score(long, spec, source)
    out = scored.rename({"region": region, "indicator": indicator, "value": value})
    out = out.rename({"year": year}) if year else out.drop("year")
    return like(out, data)


def _score(long: pl.DataFrame, spec: IndexSpec, source: str) -> pl.DataFrame:
    direction = {i.name: i.direction for i in spec.indicators}
    nulls = long.filter(pl.col("value").is_null())
    if nulls.height and spec.missing == "error":
        r = nulls.row(0, named=True)
        raise InputError(
            f"missing value for region {r['region']!r}, year {r['year']}, indicator "
            f"{r['indicator']!r} ({nulls.height} missing in all); fill it, or set "
            'missing = "skip" in the spec to re-weight over the indicators present',
            source=source,
            column="value",
        )
    parts = []
    for (yr, ind), grp in long.group_by(["year", "indicator"], maintain_order=True):
        what = f"indicator {ind!r}" + (f", year {yr}" if yr is not None else "")
        vals = grp["value"].to_numpy().astype(np.float64)
        if (vals[~np.isnan(vals)] < 0).any():
            bad = grp.filter(pl.col("value") < 0).row(0, named=True)
            raise InputError(
                f"{what}: negative value {bad['value']:g} for region {bad['region']!r}; "
                "the fraction-of-leader score (formula 1) needs values >= 0",
                source=source,
                column="value",
            )
        try:
            score = fraction_of_leader(vals, direction[str(ind)], what=what)
        except InputError as exc:
            raise InputError(exc.message, source=source, column="value") from None
        parts.append(grp.with_columns(pl.Series("score", score).fill_nan(None)))
    return pl.concat(parts).sort("year", "indicator", "region", nulls_last=True)


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row-wise weighted mean over columns, re-normalising weights over non-missing cells."""
    present = ~np.isnan(values)
    w = np.where(present, weights[None, :], 0.0)
    total = w.sum(axis=1)
    num = (np.where(present, values, 0.0) * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = num / total
    out[total == 0] = np.nan
    return out


def aggregate(scores: pl.DataFrame, spec: IndexSpec) -> pl.DataFrame:
    """Formulas (2)-(4): weighted arithmetic means up the group tree.

    ``scores`` is a long Polars frame ``region, year, indicator, score``; the result is wide:
    ``region, year, <indicator>_score..., <group>..., <index_name>``.
    """
    wide = scores.pivot(on="indicator", index=["region", "year"], values="score")
    names = spec.indicator_names
    out = wide.select("region", "year", *[pl.col(n).alias(f"{n}_score") for n in names])
    node: dict[str, np.ndarray] = {n: wide[n].to_numpy().astype(np.float64) for n in names}
    for level in spec.group_levels():
        for g in level:
            kids = [(i.name, i.weight) for i in spec.indicators if i.group == g.name]
            kids += [(c.name, c.weight) for c in spec.groups if c.parent == g.name]
            mat = np.column_stack([node[k] for k, _ in kids])
            node[g.name] = _weighted_mean(mat, np.array([w for _, w in kids]))
    top = [(g.name, g.weight) for g in spec.groups if g.parent == spec.index_name]
    node[spec.index_name] = _weighted_mean(
        np.column_stack([node[k] for k, _ in top]), np.array([w for _, w in top])
    )
    cols = [g.name for lvl in spec.group_levels() for g in lvl] + [spec.index_name]
    return out.with_columns([pl.Series(c, node[c]).fill_nan(None) for c in cols])


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
    """Rank within each ``by`` group, 1 = highest; ties share the best rank; nulls stay null."""
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
    """The whole rating: normalise (1), sub-indices (2)-(3), index (4), grade and rank.

    Returns one row per region and year, as the same kind of frame as ``data``, with
    columns ``region, year, <indicator>_score..., <group>..., index, grade, rank`` (the
    index column is named after ``spec.index_name``).
    """
    long = _long_polars(
        data, region=region, year=year, indicator=indicator, value=value, source=source
    )
    long = _check_indicators(long, spec, source)
    scored = _score(long, spec, source)
    wide = aggregate(scored.select("region", "year", "indicator", "score"), spec)
    idx = spec.index_name
    missing_idx = wide.filter(pl.col(idx).is_null())
    if missing_idx.height:
        warnings.warn(
            f"{missing_idx.height} region-year(s) have no index (no indicator present): "
            f"{missing_idx['region'].to_list()[:5]}",
            DataWarning,
            stacklevel=2,
        )
    wide = wide.with_columns(
        pl.Series("grade", grade(wide[idx].to_list(), spec.scale), dtype=pl.String),
    )
    wide = wide.with_columns(rank_desc(wide, idx).alias("rank")).sort(
        "year", "rank", "region", nulls_last=True
    )
    out = wide.rename({"region": region})
    out = out.rename({"year": year}) if year and year != "year" else out
    if not year:
        out = out.drop("year")
    return like(out, data)
