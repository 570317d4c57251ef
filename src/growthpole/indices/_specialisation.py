"""Region x industry, per-region and per-industry indices, written once in Narwhals.

Every function here runs lazily on DuckDB and PySpark, eagerly on pandas and Polars (and
on PyArrow through a zero-copy hand-over to Polars), and returns the input's kind.

Long tables are sparse: a (region, industry) pair without a row is a zero. The sums are
rewritten so that the absent pairs are counted without building the dense matrix, e.g.
the Krugman index ``K_r = sum_i |s_ir - s_i|`` over *all* industries equals
``1 + sum_{i present in r} (|s_ir - s_i| - s_i)`` because the absent industries add
``s_i`` each and all ``s_i`` sum to one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import narwhals.stable.v2 as nw

from growthpole.errors import InputError
from growthpole.indices._core import (
    I,
    R,
    Roles,
    V,
    Y,
    back_like,
    finish,
    prepare,
    run_engine,
    to_polars,
)
from growthpole.indices._dense import concentration_frame, fast_path_ok, specialisation_frame
from growthpole.specs import check_literal

__all__ = [
    "INDUSTRY_INDICES",
    "REGION_INDICES",
    "concentration",
    "krugman_dissimilarity",
    "location_quotient",
    "specialisation",
]

Benchmark = Literal["nation", "rest"]

#: Per-region indices computed by :func:`specialisation`.
REGION_INDICES = (
    "krugman",
    "krugman_rest",
    "hoover",
    "gini",
    "hhi",
    "hhi_norm",
    "entropy",
    "theil",
    "diversity",
)
#: Per-industry indices computed by :func:`concentration`.
INDUSTRY_INDICES = (
    "ubiquity",
    "locational_gini",
    "hoover_concentration",
    "krugman_concentration",
)


def _totals(frame: Any) -> Any:
    """Add the region, industry and national totals of the same year as columns."""
    return frame.with_columns(
        nw.col(V).sum().over(Y, R).alias("_Xr"),
        nw.col(V).sum().over(Y, I).alias("_Xi"),
        nw.col(V).sum().over(Y).alias("_X"),
    )


def _safe_div(num: Any, den: Any) -> Any:
    """``num / den`` where ``den > 0``, else null (the same on every engine)."""
    return nw.when(den > 0).then(num / den).otherwise(None)


def location_quotient(
    data: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str | None = "year",
    value: str = "value",
    benchmark: Benchmark = "nation",
    threshold: float = 1.0,
    source: str = "<frame>",
) -> Any:
    """Location quotient (LQ, Balassa's RCA) and its binary presence for every row.

    ``lq = (x_ri / X_r) / (X_i / X)`` against the nation (the sum over the regions of the
    same year), or ``(x_ri / X_r) / ((X_i - x_ri) / (X - X_r))`` against the rest of the
    nation. Also ``share_of_national = x_ri / X_i`` (formula 5 of the paper),
    ``share_of_region = x_ri / X_r`` and ``rca_binary = 1`` where ``lq >= threshold``.
    An LQ whose denominator is zero is null; against the rest of the nation a region
    holding the whole industry has a null LQ but ``rca_binary = 1``.

    Parameters
    ----------
    data
        Long table ``region, industry, [year,] value`` of any engine; returned as the
        same kind, with the user's column names.
    benchmark
        ``"nation"`` or ``"rest"`` (rest of the nation).
    threshold
        The LQ at or above which ``rca_binary`` is 1.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "a", "b"], "industry": ["x", "y", "x"],
    ...                   "value": [1.0, 1.0, 2.0]})
    >>> out = location_quotient(t, year=None).select("region", "industry", "lq", "rca_binary")
    >>> out.with_columns(pl.col(pl.Float64).round(4)).rows()
    [('a', 'x', 0.6667, 0), ('a', 'y', 2.0, 1), ('b', 'x', 1.3333, 1)]
    """
    check_literal(benchmark, Benchmark, "benchmark")
    roles = Roles(region, industry, year, value)
    frame, arrow = prepare(data, roles, source=source)

    def compute() -> Any:
        f = _totals(frame)
        s_r = _safe_div(nw.col(V), nw.col("_Xr"))
        if benchmark == "nation":
            ref = _safe_div(nw.col("_Xi"), nw.col("_X"))
            lq = _safe_div(s_r, ref)
            present = nw.when(lq >= threshold).then(1).otherwise(0)
        else:
            ref = _safe_div(nw.col("_Xi") - nw.col(V), nw.col("_X") - nw.col("_Xr"))
            lq = _safe_div(s_r, ref)
            whole = (nw.col("_Xi") - nw.col(V) <= 0) & (nw.col(V) > 0)
            present = nw.when((lq >= threshold) | whole).then(1).otherwise(0)
        f = f.with_columns(
            _safe_div(nw.col(V), nw.col("_Xi")).alias("share_of_national"),
            s_r.alias("share_of_region"),
            lq.alias("lq"),
        )
        f = f.with_columns(present.cast(nw.Int8).alias("rca_binary"))
        return f.select(R, I, Y, V, "share_of_national", "share_of_region", "lq", "rca_binary")

    out = run_engine(compute, "location quotients", frame)
    return finish(out, roles, arrow)  # row-wise: the input's order is kept


def specialisation(
    data: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str | None = "year",
    value: str = "value",
    threshold: float = 1.0,
    indices: Sequence[str] | None = None,
    source: str = "<frame>",
) -> Any:
    """Per region and year: how specialised the region's structure is.

    With ``s_ir = x_ri / X_r`` the industry's share of the region, ``s_i = X_i / X`` its
    share of the nation, ``n`` the number of industries of the year (those with a
    positive national total) and ``LQ_ri = s_ir / s_i``:

    - ``krugman`` = Σ_i |s_ir − s_i| (0 … 2), all n industries counted;
    - ``krugman_rest`` = the same against the rest of the nation (the other regions);
    - ``hoover`` = ½ Σ_i |s_ir − s_i| (0 … 1);
    - ``gini`` = Gini coefficient of the region's n location quotients (REAT's
      ``gini.spec``): 2 Σ_λ λ (LQ_(λ) − mean) / (n² mean), LQs sorted increasingly;
    - ``hhi`` = Σ_i s_ir² (1/n … 1) and ``hhi_norm`` = (hhi − 1/n) / (1 − 1/n);
    - ``entropy`` = −Σ_i s_ir ln s_ir (Shannon; 0 … ln n);
    - ``theil`` = Σ_i s_ir ln(s_ir / s_i) (Theil's relative entropy against the nation);
    - ``diversity`` = the number of industries with LQ ≥ ``threshold``.

    ``value`` is the region's total. Rows with a zero value are the same as absent rows.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "a", "b"], "industry": ["x", "y", "x"],
    ...                   "value": [1.0, 1.0, 2.0]})
    >>> out = specialisation(t, year=None, indices=["krugman", "hhi", "diversity"])
    >>> out.rows()
    [('a', 2.0, 0.5, 0.5, 1), ('b', 2.0, 0.5, 1.0, 1)]
    """
    chosen = _choose(indices, REGION_INDICES, "indices")
    roles = Roles(region, industry, year, value)
    frame, arrow = prepare(data, roles, source=source)
    if arrow:  # eager Polars or PyArrow: the dense matrix path (same numbers, faster)
        table = to_polars(frame)
        out_pl = specialisation_frame(table, chosen, threshold) if fast_path_ok(table) else None
        if out_pl is not None:
            return back_like(out_pl, data, roles, sort=(Y, R))
        frame = nw.from_native(table.lazy())

    need = set(chosen)
    if need & {"krugman", "hoover"}:
        need.add("_k")

    def compute() -> Any:
        f = _totals(frame.filter(nw.col(V) > 0))
        s = nw.col(V) / nw.col("_Xr")
        si = nw.col("_Xi") / nw.col("_X")
        f = f.with_columns(s.alias("_s"), si.alias("_si"))
        f = f.with_columns((nw.col("_s") / nw.col("_si")).alias("_lq"))
        rows: dict[str, Any] = {
            "_k": (nw.col("_s") - nw.col("_si")).abs() - nw.col("_si"),
            "krugman_rest": (
                nw.col("_s") - _safe_div(nw.col("_Xi") - nw.col(V), nw.col("_X") - nw.col("_Xr"))
            ).abs(),
            "hhi": nw.col("_s") ** 2,
            "entropy": -(nw.col("_s") * nw.col("_s").log()),
            "theil": nw.col("_s") * nw.col("_lq").log(),
            "diversity": (nw.col("_lq") >= threshold).cast(nw.Int64),
            "gini": nw.col("_lq").rank("average").over(Y, R) * nw.col("_lq"),
        }
        rows["hhi_norm"] = rows["hhi"]
        terms = {k: e for k, e in rows.items() if k in need}
        names = {"hhi_norm": "hhi", "krugman_rest": "_kr", "gini": "_rlq"}
        uniq = {names.get(k, k): e for k, e in terms.items()}
        main = {k: e for k, e in uniq.items() if k != "_rlq"}
        agg = (
            (f.with_columns(*(e.alias(k) for k, e in main.items())) if main else f)
            .group_by(Y, R)
            .agg(
                nw.col(V).sum(),
                nw.col("_X").max(),
                nw.len().alias("_m"),
                *(nw.col(k).sum() for k in main),
                nw.col("_Xi").sum().alias("_sumxi"),
                nw.col("_lq").sum().alias("_lqsum"),
            )
        )
        if "_rlq" in uniq:
            # a query of its own: the ranks are the costly part, and on Polars running the
            # two aggregations one after the other halves the peak memory
            ranks = (
                f.with_columns(uniq["_rlq"].alias("_rlq")).group_by(Y, R).agg(nw.col("_rlq").sum())
            )
            agg = _early(agg, arrow).join(_early(ranks, arrow), on=[Y, R], how="left")
        if need & {"gini", "hhi_norm"}:  # the number of industries of the year
            n = _count_per_year(frame, I, "_n")
            agg = _early(agg, arrow).join(_early(n, arrow), on=Y, how="left")
        else:
            agg = agg.with_columns(nw.lit(None, nw.Int64).alias("_n"))
        n_ = nw.col("_n").cast(nw.Float64)
        final: dict[str, Any] = {}
        if "_k" in uniq:
            final["krugman"] = nw.col("_k") + 1.0
            final["hoover"] = (nw.col("_k") + 1.0) / 2.0
        if "_kr" in uniq:
            final["krugman_rest"] = nw.when(nw.col("_X") > nw.col(V)).then(
                nw.col("_kr") + (nw.col("_X") - nw.col("_sumxi")) / (nw.col("_X") - nw.col(V))
            )
        if "_rlq" in uniq:
            final["gini"] = (
                2.0
                * ((n_ - nw.col("_m")) * nw.col("_lqsum") + nw.col("_rlq"))
                / (n_ * nw.col("_lqsum"))
                - (n_ + 1.0) / n_
            )
        if "hhi_norm" in need:
            final["hhi_norm"] = nw.when(n_ > 1).then((nw.col("hhi") - 1.0 / n_) / (1.0 - 1.0 / n_))
        if final:  # e.g. indices=["diversity", "theil"] need no final step
            agg = agg.with_columns(*(e.alias(k) for k, e in final.items()))
        return agg.select(R, Y, V, *chosen)

    out = run_engine(compute, "specialisation indices", frame)
    return finish(out, roles, arrow, sort=(Y, R))


def concentration(
    data: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str | None = "year",
    value: str = "value",
    threshold: float = 1.0,
    indices: Sequence[str] | None = None,
    source: str = "<frame>",
) -> Any:
    """Per industry and year: how concentrated the industry is across regions.

    With ``s^i_r = x_ri / X_i`` the region's share of the industry, ``s_r = X_r / X`` the
    region's share of the nation and ``m`` the number of regions of the year:

    - ``ubiquity`` = the number of regions with LQ ≥ ``threshold``;
    - ``locational_gini`` = Gini coefficient of the industry's m location quotients over
      the regions (REAT's ``gini.conc``), absent regions counted as LQ 0;
    - ``hoover_concentration`` = ½ Σ_r |s^i_r − s_r| (0 … 1);
    - ``krugman_concentration`` = Σ_r |s^i_r − s_r| (REAT's ``krugman.conc``, 0 … 2).

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "a", "b"], "industry": ["x", "y", "x"],
    ...                   "value": [1.0, 1.0, 2.0]})
    >>> concentration(t, year=None, indices=["ubiquity", "hoover_concentration"]).with_columns(pl.col(pl.Float64).round(4)).rows()
    [('x', 3.0, 1, 0.1667), ('y', 1.0, 1, 0.5)]
    """
    chosen = _choose(indices, INDUSTRY_INDICES, "indices")
    roles = Roles(region, industry, year, value)
    frame, arrow = prepare(data, roles, source=source)
    if arrow:  # eager Polars or PyArrow: the dense matrix path (same numbers, faster)
        table = to_polars(frame)
        out_pl = concentration_frame(table, chosen, threshold) if fast_path_ok(table) else None
        if out_pl is not None:
            return back_like(out_pl, data, roles, sort=(Y, I))
        frame = nw.from_native(table.lazy())

    def compute() -> Any:
        f = _totals(frame.filter(nw.col(V) > 0))
        sr = nw.col("_Xr") / nw.col("_X")
        f = f.with_columns(
            ((nw.col(V) / nw.col("_Xi") - sr).abs() - sr).alias("_h"),
            ((nw.col(V) / nw.col("_Xr")) / (nw.col("_Xi") / nw.col("_X"))).alias("_lq"),
        )
        gini_wanted = "locational_gini" in chosen
        agg = (
            f.with_columns((nw.col("_lq") >= threshold).cast(nw.Int64).alias("ubiquity"))
            .group_by(Y, I)
            .agg(
                nw.col(V).sum(),
                nw.len().alias("_m"),
                nw.col("_h", "ubiquity").sum(),
                nw.col("_lq").sum().alias("_lqsum"),
            )
        )
        if gini_wanted:
            ranks = (
                f.with_columns(
                    (nw.col("_lq").rank("average").over(Y, I) * nw.col("_lq")).alias("_rlq")
                )
                .group_by(Y, I)
                .agg(nw.col("_rlq").sum())
            )
            agg = _early(agg, arrow).join(_early(ranks, arrow), on=[Y, I], how="left")
        else:
            agg = agg.with_columns(nw.lit(0.0).alias("_rlq"))
        if gini_wanted:  # the number of regions of the year
            n = _count_per_year(frame, R, "_n")
            agg = _early(agg, arrow).join(_early(n, arrow), on=Y, how="left")
        else:
            agg = agg.with_columns(nw.lit(None, nw.Int64).alias("_n"))
        n_ = nw.col("_n").cast(nw.Float64)
        gini = (
            2.0
            * ((n_ - nw.col("_m")) * nw.col("_lqsum") + nw.col("_rlq"))
            / (n_ * nw.col("_lqsum"))
            - (n_ + 1.0) / n_
        )
        agg = agg.with_columns(
            gini.alias("locational_gini"),
            ((nw.col("_h") + 1.0) / 2.0).alias("hoover_concentration"),
            (nw.col("_h") + 1.0).alias("krugman_concentration"),
        )
        return agg.select(I, Y, V, *chosen)

    out = run_engine(compute, "concentration indices", frame)
    return finish(out, roles, arrow, sort=(Y, I))


def krugman_dissimilarity(
    data: Any,
    first: Any,
    second: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str | None = "year",
    value: str = "value",
    source: str = "<frame>",
) -> Any:
    """Krugman dissimilarity of two regions' structures, Σ_i |s_i,first − s_i,second|, per year.

    0 = the same structure, 2 = no industry in common (REAT's ``krugman.spec``). Uses
    Σ|a − b| = Σa + Σb − 2 Σ min(a, b) = 2 − 2 Σ_i min(s_i,first, s_i,second), which only
    needs the industries present in both regions.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["j", "j", "l", "l"], "industry": ["a", "b", "b", "c"],
    ...                   "value": [20.0, 80.0, 60.0, 40.0]})
    >>> krugman_dissimilarity(t, "j", "l", year=None).rows()
    [(0.8,)]
    """
    roles = Roles(region, industry, year, value)
    frame, arrow = prepare(data, roles, source=source)

    def compute() -> Any:
        f = frame.filter(nw.col(R).is_in([first, second]) & (nw.col(V) > 0))
        f = f.with_columns((nw.col(V) / nw.col(V).sum().over(Y, R)).alias("_s"))
        both = (
            f.group_by(Y, I)
            .agg(nw.col("_s").min().alias("_min"), nw.len().alias("_k"))
            .with_columns(
                nw.when(nw.col("_k") == 2).then(nw.col("_min")).otherwise(0.0).alias("_min")
            )
        )
        years = f.group_by(Y).agg(nw.col(R).n_unique().alias("_regions"))
        common = both.group_by(Y).agg(nw.col("_min").sum().alias("_common"))
        out = years.join(common, on=Y, how="left").with_columns(
            nw.when(nw.col("_regions") == 2)
            .then(2.0 - 2.0 * nw.col("_common"))
            .otherwise(None)
            .alias("krugman_dissimilarity")
        )
        return out.select(Y, "krugman_dissimilarity")

    out = run_engine(compute, "the Krugman dissimilarity", frame)
    return finish(out, roles, arrow, sort=(Y,))


def _early(frame: Any, mode: str | None) -> Any:
    """Collect a Polars-backed lazy aggregate now (small), so plans run one at a time."""
    if mode and isinstance(frame, nw.LazyFrame):
        return frame.collect()
    return frame


def _count_per_year(frame: Any, col: str, name: str) -> Any:
    """Number of distinct ``col`` values with a positive total, per year."""
    return (
        frame.group_by(Y, col)
        .agg(nw.col(V).sum().alias("_t"))
        .filter(nw.col("_t") > 0)
        .group_by(Y)
        .agg(nw.len().alias(name))
    )


def _choose(indices: Sequence[str] | None, allowed: Sequence[str], what: str) -> list[str]:
    if indices is None:
        return list(allowed)
    if isinstance(indices, str):
        indices = [indices]
    unknown = [i for i in indices if i not in allowed]
    if unknown:
        raise InputError(f"{what} needs to be among {list(allowed)}; got {unknown}")
    return list(indices)
