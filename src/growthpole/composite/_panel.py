"""Panels: change and compound annual growth of any rating column between two years.

Examples
--------
>>> import polars as pl
>>> r = pl.DataFrame({"region": ["a", "a", "b", "b"], "year": [2010, 2016, 2010, 2016],
...                   "index": [10.0, 20.0, 40.0, 30.0]})
>>> trends(r).select("region", "change", "cagr").with_columns(pl.col("cagr").round(4)).rows()
[('a', 10.0, 0.1225), ('b', -10.0, -0.0468)]
"""

from __future__ import annotations

from typing import Any

import polars as pl

from growthpole._frames import as_narwhals, collect_polars, like, require_columns

__all__ = ["trends"]


def trends(
    ratings: Any,
    column: str = "index",
    *,
    region: str = "region",
    year: str = "year",
    start: int | None = None,
    end: int | None = None,
) -> Any:
    """Change and CAGR of ``column`` per region from ``start`` to ``end`` (default: first/last).

    ``change = end value - start value``; ``cagr = (end / start) ** (1 / years) - 1``,
    missing when the start value is not positive or a value is missing. Returns
    ``region, start_year, end_year, start, end, change, cagr`` as the input's kind.
    """
    f = as_narwhals(ratings, source="ratings")
    require_columns(f, [region, year, column], source="ratings")
    d = collect_polars(f.select(region, year, column)).rename(
        {region: "region", year: "year", column: "v"}
    )
    years = sorted(y for y in d["year"].unique().to_list() if y is not None)
    if len(years) < 2 and (start is None or end is None):
        from growthpole.errors import InputError

        raise InputError("trends need at least two years", source="ratings", column=year)
    y0 = start if start is not None else years[0]
    y1 = end if end is not None else years[-1]
    a = d.filter(pl.col("year") == y0).select("region", pl.col("v").alias("start"))
    b = d.filter(pl.col("year") == y1).select("region", pl.col("v").alias("end"))
    out = a.join(b, on="region", how="full", coalesce=True).with_columns(
        pl.lit(y0, pl.Int64).alias("start_year"),
        pl.lit(y1, pl.Int64).alias("end_year"),
        (pl.col("end") - pl.col("start")).alias("change"),
        pl.when(pl.col("start") > 0)
        .then((pl.col("end") / pl.col("start")) ** (1.0 / (y1 - y0)) - 1.0)
        .otherwise(None)
        .alias("cagr"),
    )
    out = out.select("region", "start_year", "end_year", "start", "end", "change", "cagr")
    return like(out.sort("region").rename({"region": region}), ratings)
