"""Formula (5) of the paper: a region's share of the national total.

The paper calls this the "modified Krugman index"; it is the region's share of national
output of one industry, not the classic Krugman specialisation index, so it is named for
what it is.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

import narwhals.stable.v2 as nw

from growthpole._frames import as_narwhals, require_columns
from growthpole.errors import DataWarning

__all__ = ["share_of_national"]

_KEY = "__growthpole_all__"


def share_of_national(
    data: Any,
    *,
    region: str = "region",
    industry: str | None = None,
    year: str | None = "year",
    value: str = "value",
    national: Mapping[Any, float] | None = None,
    rtol: float = 0.005,
    source: str = "<frame>",
) -> Any:
    """Add ``share_of_national`` = value / national total, and its ``rank`` (1 = largest).

    The national total is the sum of ``value`` over the regions of the same industry and
    year, unless ``national`` gives it (keyed by year, or by ``(industry, year)`` when an
    industry column is used). A given total that differs from the regional sum by more than
    ``rtol`` (relative) raises a :class:`~growthpole.errors.DataWarning` — the figure is used
    all the same, so the shares then need not sum to 1. Missing values stay missing: their
    share is null and they do not count towards the sum. Works lazily on DuckDB and PySpark.

    Parameters
    ----------
    data
        Long table ``region, [industry,] [year,] value`` (pandas, Polars, PyArrow, DuckDB,
        PySpark, ...). Returned as the same kind.
    national
        Optional national totals, e.g. ``{2016: 36_500.0}``.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "b", "c"], "year": [2016] * 3, "value": [3.0, 1.0, None]})
    >>> share_of_national(t).select("region", "share_of_national", "rank").rows()
    [('a', 0.75, 1), ('b', 0.25, 2), ('c', None, None)]
    """
    frame = as_narwhals(data, source=source)
    if frame.implementation.is_pyarrow():
        # PyArrow has no windowed rank: compute on Polars (zero-copy) and hand Arrow back
        import polars as pl

        out_pl = share_of_national(
            pl.from_arrow(frame.to_native()),
            region=region,
            industry=industry,
            year=year,
            value=value,
            national=national,
            rtol=rtol,
            source=source,
        )
        return out_pl.to_arrow()
    required = [region, value] + [c for c in (industry, year) if c]
    require_columns(frame, required, source=source)
    keys = [c for c in (industry, year) if c]
    if not keys:
        frame = frame.with_columns(nw.lit(0).alias(_KEY))
        keys = [_KEY]
    frame = frame.with_columns(nw.col(value).cast(nw.Float64))
    if isinstance(frame, nw.DataFrame):
        # pandas/PyArrow: NaN is a missing value here, never a number
        frame = frame.with_columns(
            nw.when(nw.col(value).is_nan()).then(None).otherwise(nw.col(value)).alias(value)
        )
    totals = frame.group_by(keys).agg(nw.col(value).sum().alias("_regional_sum"))
    if national is not None:
        totals = _with_national(totals, keys, national, industry, year, rtol)
    else:
        totals = totals.with_columns(nw.col("_regional_sum").alias("_total"))
    out = frame.join(totals, on=keys, how="left")  # type: ignore[arg-type]
    share = nw.when(nw.col("_total") > 0).then(nw.col(value) / nw.col("_total"))
    out = out.with_columns(share.alias("share_of_national"))
    rank = nw.col("share_of_national").rank(method="min", descending=True).over(*keys)
    if not out.implementation.is_pandas_like():  # pandas has no null-able int by default
        rank = rank.cast(nw.Int64)
    out = out.with_columns(rank.alias("rank"))
    drop = ["_regional_sum", "_total"] + ([_KEY] if keys == [_KEY] else [])
    out = out.drop(drop)
    if isinstance(out, nw.DataFrame):
        out = out.sort([*(k for k in keys if k != _KEY), "rank"], nulls_last=True)
    return nw.to_native(out)


def _with_national(
    totals: Any,
    keys: list[str],
    national: Mapping[Any, float],
    industry: str | None,
    year: str | None,
    rtol: float,
) -> Any:
    sums = totals.lazy().collect().to_native() if isinstance(totals, nw.LazyFrame) else totals
    sums = nw.from_native(sums) if not isinstance(sums, nw.DataFrame) else sums
    rows = sums.rows(named=True)
    given = []
    for r in rows:
        key: Any = (
            r[year]
            if year and not industry
            else ((r[industry], r[year]) if industry and year else r[keys[0]])
        )
        total = national.get(key)
        if total is None:
            total = r["_regional_sum"]
        else:
            s = r["_regional_sum"]
            if s is None or not math.isclose(float(total), float(s), rel_tol=rtol):
                warnings.warn(
                    f"national total {total:g} for {key!r} differs from the sum over regions "
                    f"{s:g} ({(float(total) / float(s) - 1) * 100:+.1f} %); using the given "
                    "total, so the shares do not sum to 1",
                    DataWarning,
                    stacklevel=4,
                )
        given.append(float(total))
    return totals.with_columns(
        _lookup(keys, [tuple(r[k] for k in keys) for r in rows], given).alias("_total")
    )


def _lookup(keys: list[str], key_values: list[tuple[Any, ...]], totals: list[float]) -> Any:
    expr: Any = None
    for kv, total in zip(key_values, totals, strict=True):
        cond = nw.all_horizontal(
            *[nw.col(k) == v for k, v in zip(keys, kv, strict=True)], ignore_nulls=False
        )
        expr = (
            nw.when(cond).then(nw.lit(total))
            if expr is None
            else expr.when(cond).then(nw.lit(total))
        )
    return expr.otherwise(None) if expr is not None else nw.lit(None)
