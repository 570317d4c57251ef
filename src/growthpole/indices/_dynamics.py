"""Change between years: growth, entries and exits, shift-share analysis.

The pairs of years are the consecutive years present in the data (or ``start`` and
``end``). Absent rows are zeros in both years, so an industry that appears in a region
is an entry and one that disappears an exit. The table is collected to Polars (the
comparison needs every pair of years side by side) and the result comes back as the
input's kind.
"""

from __future__ import annotations

import itertools
from typing import Any, Literal

import polars as pl

from growthpole.errors import InputError
from growthpole.indices._core import I, R, Roles, V, Y, back_like, prepare, to_polars
from growthpole.specs import check_literal

__all__ = ["dynamics", "shift_share"]

Presence = Literal["rca", "positive"]
ShiftMethod = Literal["classic", "esteban_marquillas", "dynamic"]


def _collect(data: Any, roles: Roles, source: str) -> pl.DataFrame:
    if not roles.year:
        raise InputError("a year column is needed to compare years (year=...)", source=source)
    frame, _ = prepare(data, roles, source=source)
    t = to_polars(frame)
    years = t.get_column(Y).unique()
    if years.null_count():
        raise InputError("missing year", source=source, column=roles.year)
    if years.len() < 2:
        raise InputError(
            f"needs at least two years; the table has {years.to_list()}",
            source=source,
            column=roles.year,
        )
    return t.group_by(Y, R, I).agg(pl.col(V).sum())


def _pairs(t: pl.DataFrame, start: Any, end: Any, consecutive: bool) -> list[tuple[Any, Any]]:
    years = sorted(t.get_column(Y).unique().to_list())
    if start is not None or end is not None:
        s = years[0] if start is None else start
        e = years[-1] if end is None else end
        for y in (s, e):
            if y not in years:
                raise InputError(f"year {y!r} is not in the data (years: {years})")
        if not s < e:
            raise InputError(f"start {s!r} must come before end {e!r}")
        years = [y for y in years if s <= y <= e]
    if consecutive:
        return list(itertools.pairwise(years))
    return [(years[0], years[-1])]


def _side_by_side(t: pl.DataFrame, y0: Any, y1: Any) -> pl.DataFrame:
    a = t.filter(pl.col(Y) == y0).select(R, I, pl.col(V).alias("_x0"))
    b = t.filter(pl.col(Y) == y1).select(R, I, pl.col(V).alias("_x1"))
    out = a.join(b, on=[R, I], how="full", coalesce=True).with_columns(
        pl.col("_x0").fill_null(0.0), pl.col("_x1").fill_null(0.0)
    )
    return out.with_columns(pl.lit(y0).alias("start"), pl.lit(y1).alias(Y))


def dynamics(
    data: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str = "year",
    value: str = "value",
    presence: Presence = "rca",
    threshold: float = 1.0,
    source: str = "<frame>",
) -> Any:
    """Growth, entries and exits of every (region, industry) between consecutive years.

    Returns ``region, industry, start, year, value_start, value, change, growth,
    present_start, present, entry, exit``: ``growth`` is the relative change (null where
    the start value is 0); ``present`` is the region's presence in the industry — a
    location quotient at or above ``threshold`` (``presence="rca"``, the usual rule in
    the relatedness literature) or a positive value (``"positive"``); ``entry`` is
    presence switching on, ``exit`` switching off.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "b", "a", "b"], "industry": ["x", "y", "y", "y"],
    ...                   "year": [2000, 2000, 2001, 2001], "value": [1.0, 1.0, 1.0, 1.0]})
    >>> out = dynamics(t, presence="positive")
    >>> out.select("region", "industry", "entry", "exit").rows()
    [('a', 'x', False, True), ('a', 'y', True, False), ('b', 'y', False, False)]
    """
    check_literal(presence, Presence, "presence")
    roles = Roles(region, industry, year, value)
    t = _collect(data, roles, source)
    if presence == "rca":
        t = t.with_columns(
            (
                (pl.col(V) / pl.col(V).sum().over(Y, R))
                / (pl.col(V).sum().over(Y, I) / pl.col(V).sum().over(Y))
                >= threshold
            )
            .fill_null(False)
            .alias("_p")
        )
    else:
        t = t.with_columns((pl.col(V) > 0).alias("_p"))
    parts = []
    for y0, y1 in _pairs(t, None, None, consecutive=True):
        s = _side_by_side(t, y0, y1)
        p0 = t.filter(pl.col(Y) == y0).select(R, I, pl.col("_p").alias("present_start"))
        p1 = t.filter(pl.col(Y) == y1).select(R, I, pl.col("_p").alias("present"))
        s = s.join(p0, on=[R, I], how="left").join(p1, on=[R, I], how="left")
        parts.append(s.with_columns(pl.col("present_start", "present").fill_null(False)))
    out = pl.concat(parts, how="vertical_relaxed").with_columns(
        (pl.col("_x1") - pl.col("_x0")).alias("change"),
        pl.when(pl.col("_x0") > 0).then(pl.col("_x1") / pl.col("_x0") - 1.0).alias("growth"),
        (~pl.col("present_start") & pl.col("present")).alias("entry"),
        (pl.col("present_start") & ~pl.col("present")).alias("exit"),
    )
    out = out.select(
        R,
        I,
        "start",
        Y,
        pl.col("_x0").alias("value_start"),
        pl.col("_x1").alias(V),
        "change",
        "growth",
        "present_start",
        "present",
        "entry",
        "exit",
    )
    if roles.value != V:
        out = out.rename({"value_start": f"{roles.value}_start"})
    return back_like(out, data, roles, sort=(Y, R, I))


def shift_share(
    data: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str = "year",
    value: str = "value",
    method: ShiftMethod = "classic",
    start: Any = None,
    end: Any = None,
    by_industry: bool = False,
    source: str = "<frame>",
) -> Any:
    """Shift-share decomposition of each region's change between two years.

    With ``x_ir`` the region's value in industry i at the start, ``g = X'/X − 1`` the
    national growth, ``g_i`` the industry's national growth and ``g_ir`` the regional one:

    - ``national_share`` = Σ_i x_ir g;
    - ``industry_mix`` = Σ_i x_ir (g_i − g);
    - ``regional_shift`` (competitive effect) = Σ_i x_ir (g_ir − g_i), written as
      Σ_i (x'_ir − x_ir − x_ir g_i) so that entries (x_ir = 0) are counted;
    - ``change`` = the sum of the three = Σ_i (x'_ir − x_ir).

    ``method="esteban_marquillas"`` splits the regional shift into the ``competitive``
    effect on the homothetic structure x̂_ir = X_r X_i / X, Σ_i x̂_ir (g_ir − g_i), and the
    ``allocation`` effect Σ_i (x_ir − x̂_ir)(g_ir − g_i) (Esteban-Marquillas 1972); an
    entry's change (x_ir = 0, g_ir undefined) goes to the allocation effect.
    ``method="dynamic"`` applies the classic decomposition to each pair of consecutive
    years (Barff & Knight 1988): one row per region and step; sum them for the span.
    ``by_industry=True`` returns the terms per region and industry instead of summed.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "a", "b", "b"] * 2, "industry": ["x", "y"] * 4,
    ...                   "year": [0] * 4 + [1] * 4,
    ...                   "value": [10.0, 10.0, 30.0, 50.0, 12.0, 10.0, 33.0, 60.0]})
    >>> out = shift_share(t)
    >>> out.select("region", "change", "national_share", "industry_mix").with_columns(pl.col(pl.Float64).round(4)).rows()
    [('a', 2.0, 3.0, -0.0833), ('b', 13.0, 12.0, 0.0833)]
    """
    check_literal(method, ShiftMethod, "method")
    roles = Roles(region, industry, year, value)
    t = _collect(data, roles, source)
    parts = []
    for y0, y1 in _pairs(t, start, end, consecutive=method == "dynamic"):
        s = _side_by_side(t, y0, y1)
        s = s.with_columns(
            pl.col("_x0").sum().over(I).alias("_X0i"),
            pl.col("_x1").sum().over(I).alias("_X1i"),
            pl.col("_x0").sum().over(R).alias("_X0r"),
            pl.col("_x0").sum().alias("_X0"),
            pl.col("_x1").sum().alias("_X1"),
        )
        g = pl.col("_X1") / pl.col("_X0") - 1.0
        gi = pl.when(pl.col("_X0i") > 0).then(pl.col("_X1i") / pl.col("_X0i") - 1.0).otherwise(0.0)
        s = s.with_columns(
            (pl.col("_x1") - pl.col("_x0")).alias("change"),
            (pl.col("_x0") * g).alias("national_share"),
            (pl.col("_x0") * (gi - g)).alias("industry_mix"),
            (pl.col("_x1") - pl.col("_x0") - pl.col("_x0") * gi).alias("regional_shift"),
            gi.alias("_gi"),
        )
        terms = ["change", "national_share", "industry_mix", "regional_shift"]
        if method == "esteban_marquillas":
            hom = pl.col("_X0r") * pl.col("_X0i") / pl.col("_X0")
            gir = pl.col("_x1") / pl.col("_x0") - 1.0
            comp = pl.when(pl.col("_x0") > 0).then(hom * (gir - pl.col("_gi"))).otherwise(0.0)
            s = s.with_columns(hom.alias("homothetic"), comp.alias("competitive"))
            s = s.with_columns(
                (pl.col("regional_shift") - pl.col("competitive")).alias("allocation")
            )
            terms += ["competitive", "allocation"]
        if by_industry:
            part = s.select(
                R, I, "start", Y, pl.col("_x0").alias("value_start"), pl.col("_x1").alias(V), *terms
            )
        else:
            part = s.group_by(R, "start", Y).agg(
                pl.col("_x0").sum().alias("value_start"),
                pl.col("_x1").sum().alias(V),
                *[pl.col(c).sum() for c in terms],
            )
        parts.append(part)
    out = pl.concat(parts, how="vertical_relaxed")
    if roles.value != V:
        out = out.rename({"value_start": f"{roles.value}_start"})
    return back_like(out, data, roles, sort=(Y, R, I) if by_industry else (Y, R))
