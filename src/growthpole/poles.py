"""Growth-pole candidates: the rule that combines the innovation rating and specialisation.

Rule (default, after the paper's conclusion that Almaty and Astana qualify): a region-year is
a **candidate** when its innovation grade is at least ``min_grade`` (B) on the scale AND its
share of national output of the industry falls in a top specialisation tier (``high``:
share >= 0.15). Tiers and the minimum grade are part of :class:`~growthpole.specs.PoleRule`.
Every region gets a verdict and a reason in words; a missing grade or share is "no data",
never a silent "no".

Examples
--------
>>> import polars as pl
>>> ratings = pl.DataFrame({"region": ["a", "b"], "year": [2016, 2016],
...                         "index": [76.05, 46.49], "grade": ["A", "B"]})
>>> shares = pl.DataFrame({"region": ["a", "b"], "year": [2016, 2016],
...                        "share_of_national": [0.606, None]})
>>> growth_poles(ratings, shares).select("region", "candidate").rows()
[('a', True), ('b', False)]
"""

from __future__ import annotations

from typing import Any

import polars as pl

from growthpole._frames import as_narwhals, collect_polars, like, require_columns
from growthpole.specs import PoleRule, Scale

__all__ = ["growth_poles"]


def growth_poles(
    ratings: Any,
    shares: Any,
    rule: PoleRule | None = None,
    scale: Scale | None = None,
    *,
    region: str = "region",
    year: str = "year",
    index: str = "index",
    grade: str = "grade",
    share: str = "share_of_national",
) -> Any:
    """Apply the pole rule to ratings (index, grade) and shares of national output.

    Returns one row per region and year (as the kind of frame ``ratings`` is) with
    ``region, year, index, grade, share_of_national, tier, grade_ok, tier_ok, candidate,
    reason``. Regions present in only one input appear with the other side missing.
    """
    rule = rule or PoleRule()
    scale = scale or Scale.default()
    r_nw = as_narwhals(ratings, source="ratings")
    s_nw = as_narwhals(shares, source="shares")
    require_columns(r_nw, [region, year, index, grade], source="ratings")
    require_columns(s_nw, [region, year, share], source="shares")
    r = collect_polars(r_nw.select(region, year, index, grade)).rename(
        {region: "region", year: "year", index: "index", grade: "grade"}
    )
    s = collect_polars(s_nw.select(region, year, share)).rename(
        {region: "region", year: "year", share: "share_of_national"}
    )
    r = r.with_columns(pl.col("region").cast(pl.String), pl.col("year").cast(pl.Int64))
    s = s.with_columns(
        pl.col("region").cast(pl.String),
        pl.col("year").cast(pl.Int64),
        pl.col("share_of_national").cast(pl.Float64).fill_nan(None),
    )
    both = r.join(s, on=["region", "year"], how="full", coalesce=True)
    min_rank = scale.rank_of(rule.min_grade)
    rows = []
    for row in both.iter_rows(named=True):
        g, sh = row["grade"], row["share_of_national"]
        tier = rule.tier_of(sh)
        grade_ok = None if g is None else scale.rank_of(g) >= min_rank
        tier_ok = None if tier is None else tier in rule.top_tiers
        candidate = bool(grade_ok) and bool(tier_ok)
        rows.append(
            {
                **row,
                "tier": tier,
                "grade_ok": grade_ok,
                "tier_ok": tier_ok,
                "candidate": candidate,
                "reason": _reason(g, sh, tier, grade_ok, tier_ok, rule),
            }
        )
    out = pl.DataFrame(
        rows,
        schema={
            "region": pl.String,
            "year": pl.Int64,
            "index": pl.Float64,
            "grade": pl.String,
            "share_of_national": pl.Float64,
            "tier": pl.String,
            "grade_ok": pl.Boolean,
            "tier_ok": pl.Boolean,
            "candidate": pl.Boolean,
            "reason": pl.String,
        },
    ).sort(["year", "candidate", "index"], descending=[False, True, True], nulls_last=True)
    out = out.rename({"region": region, "year": year, "index": index, "grade": grade})
    return like(out, ratings)


def _reason(
    g: str | None,
    sh: float | None,
    tier: str | None,
    grade_ok: bool | None,
    tier_ok: bool | None,
    rule: PoleRule,
) -> str:
    top = "/".join(rule.top_tiers)
    parts = []
    if g is None:
        parts.append("no innovation grade (no data)")
    else:
        parts.append(
            f"grade {g} {'meets' if grade_ok else 'is below'} the minimum {rule.min_grade}"
        )
    if sh is None:
        parts.append("no output of the industry reported (no data)")
    else:
        parts.append(
            f"share of national output {sh:.1%} is in the {tier} tier"
            + ("" if tier_ok else f" (a candidate needs {top})")
        )
    verdict = "candidate" if grade_ok and tier_ok else "not a candidate"
    return f"{verdict}: " + "; ".join(parts)
