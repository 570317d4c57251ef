"""Industry groupings and the cluster rules (US Cluster Mapping, European Cluster Observatory).

``aggregate_clusters`` runs in the engine (Narwhals); the rules need quantiles over the
regions of each cluster, so they collect the (small) region x cluster table to Polars and
hand the verdicts back as the input's kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from growthpole._frames import as_narwhals, collect_polars
from growthpole.errors import InputError
from growthpole.indices._core import I, R, Roles, V, Y, back_like, finish, prepare

__all__ = ["aggregate_clusters", "cluster_stars", "read_cluster_map", "strong_clusters"]

_EST = "establishments"


def _patterns(mapping: Any, source: str) -> list[tuple[str, str]]:
    """Normalise a mapping to ``[(cluster, code_or_prefix), ...]`` in the given order."""
    pairs: list[tuple[str, str]] = []
    if isinstance(mapping, list | tuple):
        pairs = [(str(c).strip(), str(i).strip()) for c, i in mapping]
    elif isinstance(mapping, Mapping):
        for cluster, codes in mapping.items():
            items = [codes] if isinstance(codes, str) else list(codes)
            pairs += [(str(cluster), str(c).strip()) for c in items]
    else:
        frame = collect_polars(as_narwhals(mapping, source=source))
        for col in ("cluster", "industry"):
            if col not in frame.columns:
                raise InputError(
                    f"a cluster map needs the columns 'cluster' and 'industry'; it has "
                    f"{frame.columns}",
                    source=source,
                    column=col,
                )
        for n, (cluster, code) in enumerate(
            frame.select(
                pl.col("cluster").cast(pl.String), pl.col("industry").cast(pl.String)
            ).iter_rows(),
            start=1,
        ):
            if not cluster or not code:
                raise InputError("empty cluster or industry", source=source, row=n)
            pairs.append((cluster.strip(), code.strip()))
    if not pairs:
        raise InputError("the cluster map is empty", source=source)
    return pairs


def read_cluster_map(path: str) -> list[tuple[str, str]]:
    """Read a cluster map file (columns ``cluster, industry``; CSV, XLSX or Parquet)."""
    from growthpole.io import read_table

    frame = read_table(path)
    return _patterns(frame.with_columns(pl.col(frame.columns).cast(pl.String)), str(path))


def aggregate_clusters(
    data: Any,
    mapping: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str | None = "year",
    value: str = "value",
    establishments: str | None = None,
    keep_other: bool = True,
    source: str = "<frame>",
) -> Any:
    """Aggregate industries into clusters (sum of ``value`` per region, cluster, year).

    ``mapping`` is ``{cluster: [codes]}`` or a frame with columns ``cluster, industry``.
    A code ending in ``*`` or in one or more ``x`` (``5415*``, ``5415xx``) matches every
    industry code that starts with the rest; any other code matches exactly. An industry
    goes to the first cluster that matches it. Industries in no cluster are kept under
    their own code (``keep_other=True``, so regional totals and location quotients stay
    right) or dropped. The cluster name goes in the industry column.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "a", "a"], "industry": ["5112", "541511", "4411"],
    ...                   "value": [1.0, 2.0, 4.0]})
    >>> aggregate_clusters(t, {"IT": ["5112", "5415xx"]}, year=None).sort("industry").rows()
    [('a', '4411', 4.0), ('a', 'IT', 3.0)]
    """
    roles = Roles(region, industry, year, value)
    extra = [establishments] if establishments else []
    frame, arrow = prepare(data, roles, source=source, extra=extra)
    pairs = _patterns(mapping, "cluster map")
    code = nw.col(I).cast(nw.String)
    expr: Any = None
    for cluster, pattern in pairs:
        stem = pattern.rstrip("*").rstrip("xX") if pattern.endswith(("*", "x", "X")) else None
        cond = code.str.starts_with(stem) if stem is not None else code == pattern
        expr = (
            nw.when(cond).then(nw.lit(cluster))
            if expr is None
            else expr.when(cond).then(nw.lit(cluster))
        )
    expr = expr.otherwise(code if keep_other else nw.lit(None, nw.String))
    out = frame.with_columns(expr.alias(I)).filter(~nw.col(I).is_null())
    aggs = [nw.col(V).sum()] + ([nw.col(establishments).sum()] if establishments else [])
    out = out.group_by(Y, R, I).agg(*aggs)
    out = out.select(R, I, Y, V, *extra)
    return finish(out, roles, arrow, sort=(Y, R, I))


def _lq_table(data: Any, roles: Roles, establishments: str | None, source: str) -> pl.DataFrame:
    extra = [establishments] if establishments else []
    frame, _ = prepare(data, roles, source=source, extra=extra)
    t = collect_polars(frame)
    t = t.with_columns(
        pl.col(V).sum().over(Y, R).alias("_Xr"),
        pl.col(V).sum().over(Y, I).alias("_Xi"),
        pl.col(V).sum().over(Y).alias("_X"),
    )
    return t.with_columns(
        ((pl.col(V) / pl.col("_Xr")) / (pl.col("_Xi") / pl.col("_X"))).alias("lq"),
        (pl.col(V) / pl.col("_Xr")).alias("share_of_region"),
    )


def strong_clusters(
    data: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str | None = "year",
    value: str = "value",
    establishments: str | None = None,
    lq_quantile: float = 0.75,
    lq_min: float = 1.0,
    size_quantile: float = 0.25,
    source: str = "<frame>",
) -> Any:
    """The US Cluster Mapping Project's "strong cluster" rule, per region, cluster, year.

    A region's cluster (one industry or an aggregate of :func:`aggregate_clusters`) is
    strong when its location quotient is in the top quartile of the regions
    (``lq >= quantile(lq, lq_quantile)``) and at least ``lq_min``, and its employment
    (``value``) — and, if an ``establishments`` column is given, its establishments — lie
    above the bottom quartile (``> quantile(., size_quantile)``). Quantiles are taken over
    the regions where the cluster is present (value > 0), with linear interpolation.

    Returns ``region, industry, year, value, lq, lq_cut, size_cut, [establishments_cut,]
    strong``.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": list("abcdabcd"), "industry": ["x"] * 4 + ["y"] * 4,
    ...                   "value": [10.0, 20.0, 30.0, 100.0, 90.0, 80.0, 70.0, 10.0]})
    >>> strong_clusters(t, year=None).filter(pl.col("strong")).select("industry", "region").rows()
    [('x', 'd'), ('y', 'a')]
    """
    roles = Roles(region, industry, year, value)
    t = _lq_table(data, roles, establishments, source)
    t = t.filter(pl.col(V) > 0)
    cuts = [
        pl.col("lq").quantile(lq_quantile, "linear").over(Y, I).alias("lq_cut"),
        pl.col(V).quantile(size_quantile, "linear").over(Y, I).alias("size_cut"),
    ]
    cond = (pl.col("lq") >= pl.col("lq_cut")) & (pl.col("lq") >= lq_min)
    cond = cond & (pl.col(V) > pl.col("size_cut"))
    keep = [R, I, Y, V, "lq", "lq_cut", "size_cut"]
    if establishments:
        cuts.append(
            pl.col(establishments)
            .quantile(size_quantile, "linear")
            .over(Y, I)
            .alias("establishments_cut")
        )
        cond = cond & (pl.col(establishments) > pl.col("establishments_cut"))
        keep += [establishments, "establishments_cut"]
    t = t.with_columns(cuts).with_columns(cond.alias("strong"))
    return back_like(t.select(*keep, "strong"), data, roles, sort=(Y, I, R))


def cluster_stars(
    data: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str | None = "year",
    value: str = "value",
    size_quantile: float = 0.9,
    lq_min: float = 2.0,
    focus_quantile: float = 0.9,
    source: str = "<frame>",
) -> Any:
    """The European Cluster Observatory's stars (0-3) per region, cluster and year.

    - size star: the region's employment in the cluster is in the top 10 % of the regions
      (``value >= quantile(value, size_quantile)``);
    - specialisation star: ``lq >= lq_min`` (2);
    - focus star: the cluster's share of the region's employment is in the top 10 % of
      the regions (``share_of_region >= quantile(., focus_quantile)``).

    Quantiles are taken over the regions where the cluster is present, with linear
    interpolation. Returns ``region, industry, year, value, lq, share_of_region, size_star,
    specialisation_star, focus_star, stars``.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": list("abcdabcd"), "industry": ["x"] * 4 + ["y"] * 4,
    ...                   "value": [10.0, 20.0, 30.0, 100.0, 90.0, 80.0, 70.0, 10.0]})
    >>> out = cluster_stars(t, year=None).filter(pl.col("industry") == "x")
    >>> out.select("region", "stars").rows()
    [('a', 0), ('b', 0), ('c', 0), ('d', 3)]
    """
    roles = Roles(region, industry, year, value)
    t = _lq_table(data, roles, None, source).filter(pl.col(V) > 0)
    t = t.with_columns(
        (pl.col(V) >= pl.col(V).quantile(size_quantile, "linear").over(Y, I)).alias("size_star"),
        (pl.col("lq") >= lq_min).alias("specialisation_star"),
        (
            pl.col("share_of_region")
            >= pl.col("share_of_region").quantile(focus_quantile, "linear").over(Y, I)
        ).alias("focus_star"),
    )
    t = t.with_columns(
        pl.sum_horizontal(
            pl.col("size_star", "specialisation_star", "focus_star").cast(pl.Int64)
        ).alias("stars")
    )
    cols: Sequence[str] = [
        R,
        I,
        Y,
        V,
        "lq",
        "share_of_region",
        "size_star",
        "specialisation_star",
        "focus_star",
        "stars",
    ]
    return back_like(t.select(cols), data, roles, sort=(Y, I, R))
