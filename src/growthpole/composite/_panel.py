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

__all__ = ["change_since_first", "trends", "with_auxiliary"]


def change_since_first(
    frame: pl.DataFrame,
    column: str,
    alias: str,
    *,
    region: str = "region",
    year: str = "year",
    lower_is_better: bool = False,
) -> pl.DataFrame:
    """Add ``alias``: the change of ``column`` since the table's first year, per region.

    Null in the first year itself and for a region absent from it. With
    ``lower_is_better`` (ranks) the sign is turned, so that a positive change is always an
    improvement.

    Examples
    --------
    >>> r = pl.DataFrame({"region": ["a", "a", "b"], "year": [2010, 2016, 2016],
    ...                   "rank": [3, 1, 2]})
    >>> change_since_first(r, "rank", "rank_change", lower_is_better=True)["rank_change"].to_list()
    [None, 2, None]
    """
    first = frame[year].min()
    base = frame.filter(pl.col(year) == first).select(region, pl.col(column).alias("_first"))
    diff = (
        pl.col("_first") - pl.col(column) if lower_is_better else pl.col(column) - pl.col("_first")
    )
    return (
        frame.join(base, on=region, how="left")
        .with_columns(pl.when(pl.col(year) != first).then(diff).otherwise(None).alias(alias))
        .drop("_first")
    )


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


def with_auxiliary(
    data: Any,
    name: str,
    values: Any,
    *,
    region: str = "region",
    year: str = "year",
    value: str = "value",
) -> pl.DataFrame:
    """Append an auxiliary variable (e.g. population, for a denominator) to long data.

    ``data`` is long ``region, year, indicator, value`` (canonical names); ``values`` any
    frame with ``region, year, value`` (column names configurable), such as
    ``growthpole.datasets.load("kaz_population")``. Only the region-years present in
    ``data`` are added, as rows with ``indicator = name``; a region-year without a value
    gets a missing one (the ratio will be missing and reported).

    Examples
    --------
    >>> import polars as pl
    >>> d = pl.DataFrame({"region": ["a"], "year": [2020], "indicator": ["gdp"], "value": [5.0]})
    >>> pop = pl.DataFrame({"region": ["a", "b"], "year": [2020, 2020], "value": [10, 20]})
    >>> with_auxiliary(d, "population", pop).rows()
    [('a', 2020, 'gdp', 5.0), ('a', 2020, 'population', 10.0)]
    """
    from growthpole.errors import InputError

    d = collect_polars(as_narwhals(data))
    f = as_narwhals(values, source=name)
    require_columns(f, [region, year, value], source=name)
    v = collect_polars(f.select(region, year, value)).rename(
        {region: "region", year: "year", value: "aux"}
    )
    v = v.with_columns(
        pl.col("region").cast(pl.String),
        pl.col("year").cast(pl.Int64),
        pl.col("aux").cast(pl.Float64),
    )
    keys = d.select("region", "year").unique(maintain_order=True)
    joined = keys.join(v, on=["region", "year"], how="left")
    if joined["aux"].is_null().all():
        raise InputError(
            f"none of the data's region-years has a {name!r} value (regions "
            f"{sorted(map(str, keys['region'].unique()))[:5]}... vs "
            f"{sorted(map(str, v['region'].unique()))[:5]}...)",
            source=name,
            column=region,
        )
    add = joined.select(
        "region", "year", pl.lit(name).alias("indicator"), pl.col("aux").alias("value")
    )
    return pl.concat(
        [d.select("region", "year", "indicator", "value"), add], how="vertical_relaxed"
    )
