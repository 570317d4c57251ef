"""Kireyeva, Mussabalina & Tolysbaev (2018): the paper's method as a preset, and its audit.

* :func:`spec` — the innovation rating (formulas 1-4) and the letter scale as an
  :class:`~growthpole.specs.IndexSpec`, editable as TOML (``growthpole init-spec kireyeva2018``).
* :func:`paper_results` — the paper's analysis recomputed on its own published data: grades
  from Table 1's indices, IT shares (formula 5) from Table 2, growth-pole candidates.
* :func:`reproduce` — every published number of Tables 1 and 3 and the text's totals beside
  its recomputation, with the explanation of each difference found by search.
* :func:`scale_cutoff_intervals` — how tightly Table 1 pins each cut-off of the letter scale.

The paper does not publish the six raw indicators, so Table 1's indices cannot be recomputed;
its grades can (from the indices), and Table 3 can (from Table 2).

Examples
--------
>>> res = paper_results()
>>> sorted(res.poles.filter(res.poles["candidate"])["region"].to_list())
['almaty_city', 'almaty_city', 'astana']
>>> res.summary
'reproduced: 56 match, 15 differ (13 explained)'
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import polars as pl

from growthpole import datasets
from growthpole.composite import change_since_first, rank_desc
from growthpole.composite import grade as grade_values
from growthpole.indices import share_of_national
from growthpole.methods._audit import (
    decimals_of,
    feasible_denominator,
    omitted_regions,
    rounds_to,
)
from growthpole.poles import growth_poles
from growthpole.specs import Group, IndexSpec, Indicator, PoleRule, Scale

__all__ = [
    "PAPER",
    "PaperResults",
    "paper_results",
    "reproduce",
    "scale_cutoff_intervals",
    "spec",
]

PAPER = (
    "Kireyeva, A. A., Mussabalina, D. S. & Tolysbaev, B. S. (2018). Assessment and "
    "Identification of the Possibility for Creating IT Clusters in Kazakhstan Regions. "
    "Ekonomika regiona, 14(2), 463-473. doi:10.17059/2018-2-10"
)

YEARS = (2010, 2016)


def spec() -> IndexSpec:
    """The paper's innovation rating as a spec (formulas 1-4, the letter scale, the pole rule).

    Examples
    --------
    >>> s = spec()
    >>> [g.name for g in s.groups], len(s.indicators)
    (['innovative_susceptibility', 'innovative_activity'], 6)
    """
    sus, act = "innovative_susceptibility", "innovative_activity"
    return IndexSpec(
        name="kireyeva2018",
        description=(
            "Innovation rating of Kireyeva, Mussabalina & Tolysbaev (2018): each indicator as % "
            "of the leading region (formula 1); innovative susceptibility and innovative "
            "activity as the means of three scores each (formulas 2-3); the index as their "
            "mean (formula 4); graded C, C+, C++, B, B+, A."
        ),
        indicators=(
            Indicator(
                "labour_productivity",
                sus,
                label="Labour productivity (J_D)",
                unit="GRP per employed",
            ),
            Indicator(
                "fixed_asset_impact",
                sus,
                label="Impact of fixed assets (J_F)",
                unit="output per unit of fixed assets",
            ),
            Indicator(
                "production_sustainability",
                sus,
                label="Sustainability of production (J_E)",
                unit="index",
            ),
            Indicator(
                "rnd_spend_per_employee",
                act,
                label="R&D spending per employee (J_A)",
                unit="KZT per employee",
            ),
            Indicator(
                "tech_innovation_spend_per_employed",
                act,
                label="Spending on technological innovation per employed (J_B)",
                unit="KZT per employed",
            ),
            Indicator(
                "innovative_output_per_capita",
                act,
                label="Innovative output per capita (J_C)",
                unit="KZT per person",
            ),
        ),
        groups=(
            Group(sus, weight=0.5, label="Innovative susceptibility I_IS (formula 2)"),
            Group(act, weight=0.5, label="Innovative activity I_IA (formula 3)"),
        ),
        scale=Scale.default(),
        poles=PoleRule(),
    )


# -- the paper's data, recomputed ---------------------------------------------------------
@dataclass(frozen=True)
class PaperResults:
    """The paper's analysis recomputed; every frame is tidy Polars.

    Attributes
    ----------
    ratings
        region, name, year, index (Table 1, published), grade (recomputed), rank, rank_change
        (2016 against 2010; positive = moved up; null for 2010).
    specialisation
        region, name, year, value (IT output, mln KZT; null = the paper's dash),
        share_of_national (formula 5, denominator = sum over regions), rank, share_change.
    poles
        The pole rule's verdict and reason per region and year (2010, 2016).
    audit
        The reproduction audit (see :func:`reproduce`).
    spec
        The method's spec.
    summary
        ``reproduced: N match, M differ (K explained)``.
    """

    ratings: pl.DataFrame
    specialisation: pl.DataFrame
    poles: pl.DataFrame
    audit: pl.DataFrame
    spec: IndexSpec
    summary: str


def _names() -> pl.DataFrame:
    return (
        datasets.load("kaz_regions")
        .filter(pl.col("in_paper16"))
        .select(pl.col("region_id").alias("region"), pl.col("name_en").alias("name"))
    )


def _ratings(s: IndexSpec) -> pl.DataFrame:
    t1 = datasets.load("kireyeva2018_table1").select("region", "name", "year", "index")
    t1 = t1.with_columns(pl.Series("grade", grade_values(t1["index"].to_list(), s.scale)))
    t1 = t1.with_columns(rank_desc(t1, "index").alias("rank"))
    out = change_since_first(t1, "rank", "rank_change", lower_is_better=True)
    return out.with_columns(pl.col("rank_change").cast(pl.Int64)).sort("year", "rank", "region")


def _specialisation() -> pl.DataFrame:
    t2 = datasets.load("kireyeva2018_table2")
    shares = share_of_national(t2.drop("industry"))
    out = change_since_first(shares, "share_of_national", "share_change")
    return out.select(
        "region", "name", "year", "value", "share_of_national", "rank", "share_change"
    ).sort("year", "rank", "region", nulls_last=True)


def paper_results() -> PaperResults:
    """Recompute the paper's analysis on its own published data (2010 and 2016)."""
    s = spec()
    ratings = _ratings(s)
    spec_tab = _specialisation()
    poles = growth_poles(
        ratings.select("region", "year", "index", "grade"),
        spec_tab.filter(pl.col("year").is_in(YEARS)).select("region", "year", "share_of_national"),
        s.poles,
        s.scale,
    )
    poles = poles.join(_names(), on="region", how="left").select(
        "region", "name", *[c for c in poles.columns if c not in ("region", "name")]
    )
    audit = reproduce()
    return PaperResults(
        ratings=ratings,
        specialisation=spec_tab,
        poles=poles,
        audit=audit,
        spec=s,
        summary=summary_line(audit),
    )


# -- the scale's cut-offs as Table 1 pins them -------------------------------------------
def scale_cutoff_intervals(scale: Scale | None = None) -> pl.DataFrame:
    """For each pair of adjacent grades, the interval Table 1 allows for the cut-off.

    A cut-off between grades L and U must lie in ``(max index graded L, min index graded
    U]`` over both years of Table 1.

    Examples
    --------
    >>> scale_cutoff_intervals().select("lower_grade", "upper_grade", "above", "at_most").row(0)
    ('C', 'C+', 18.7, 21.56)
    """
    scale = scale or Scale.default()
    t1 = datasets.load("kireyeva2018_table1")
    rows = []
    for lo_band, hi_band in zip(scale.bands, scale.bands[1:], strict=False):
        below = t1.filter(pl.col("grade") == lo_band.label)["index"]
        above = t1.filter(pl.col("grade") == hi_band.label)["index"]
        lo = float(below.max()) if below.len() else None
        hi = float(above.min()) if above.len() else None
        ok = (lo is None or hi_band.lower > lo) and (hi is None or hi_band.lower <= hi)
        rows.append(
            {
                "lower_grade": lo_band.label,
                "upper_grade": hi_band.label,
                "above": lo,
                "at_most": hi,
                "cutoff": hi_band.lower,
                "consistent": ok,
            }
        )
    return pl.DataFrame(rows)


# -- the reproduction audit ------------------------------------------------------------
_AUDIT_SCHEMA = {
    "check": pl.String,
    "table": pl.String,
    "region": pl.String,
    "year": pl.String,
    "published": pl.String,
    "recomputed": pl.String,
    "status": pl.String,
    "explanation": pl.String,
}


def _fmt(x: float | None, decimals: int = 3) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{decimals}f}"


def reproduce() -> pl.DataFrame:
    """Every published number beside its recomputation, with a status and an explanation.

    ``status`` is ``match`` (equal within the published rounding), ``differs`` or
    ``not recomputable`` (Table 1's indices: the raw indicators are not published). An
    explanation starting with ``explained:`` names what reproduces the published figure.
    """
    rows: list[dict[str, Any]] = []
    rows += _audit_table1()
    t3_rows, denominators = _audit_table3()
    rows += t3_rows
    rows += _audit_text(denominators)
    return pl.DataFrame(rows, schema=_AUDIT_SCHEMA)


def summary_line(audit: pl.DataFrame) -> str:
    """``reproduced: N match, M differ (K explained)`` for an audit table."""
    n = audit.filter(pl.col("status") == "match").height
    diff = audit.filter(pl.col("status") == "differs")
    k = diff.filter(pl.col("explanation").str.starts_with("explained")).height
    return f"reproduced: {n} match, {diff.height} differ ({k} explained)"


def _audit_table1() -> list[dict[str, Any]]:
    t1 = datasets.load("kireyeva2018_table1")
    recomputed = grade_values(t1["index"].to_list())
    rows = []
    for r, g in zip(t1.iter_rows(named=True), recomputed, strict=True):
        rows.append(
            {
                "check": "index",
                "table": "Table 1",
                "region": r["name"],
                "year": str(r["year"]),
                "published": f"{r['index']:.2f}",
                "recomputed": None,
                "status": "not recomputable",
                "explanation": "the paper does not publish the six indicators behind the index",
            }
        )
        rows.append(
            {
                "check": "grade",
                "table": "Table 1",
                "region": r["name"],
                "year": str(r["year"]),
                "published": r["grade"],
                "recomputed": g,
                "status": "match" if g == r["grade"] else "differs",
                "explanation": f"grade of index {r['index']:.2f} on C<20<=C+<30<=C++<40<=B<50<=B+<60<=A"
                if g == r["grade"]
                else "the published grade does not follow from the published index",
            }
        )
    return rows


def _audit_table3() -> tuple[list[dict[str, Any]], dict[int, tuple[float, float, str]]]:
    t2 = datasets.load("kireyeva2018_table2")
    t3 = datasets.load("kireyeva2018_table3")
    raw3 = pl.read_csv(datasets.path("kireyeva2018_table3"), infer_schema_length=0)
    dec = max(decimals_of(v) for c in raw3.columns[2:] for v in raw3[c].drop_nulls().to_list())
    rows: list[dict[str, Any]] = []
    denominators: dict[int, tuple[float, float, str]] = {}
    for year in sorted(t3["year"].unique().to_list()):
        x = dict(t2.filter(pl.col("year") == year).select("region", "value").rows())
        p = dict(t3.filter(pl.col("year") == year).select("region", "value").rows())
        names = dict(t3.filter(pl.col("year") == year).select("region", "name").rows())
        total = sum(v for v in x.values() if v is not None)
        dashes = [r for r, v in p.items() if v is None and x.get(r) is not None]
        fit = feasible_denominator(x, p, dec)
        omitted: tuple[str, ...] = ()
        how = ""
        if fit is None:
            d_lo = d_hi = total
            how = "no single denominator reproduces the published shares"
        elif fit.contains(total):
            d_lo, d_hi = fit.low, fit.high
        else:
            found = omitted_regions(x, fit, prefer=dashes)
            if found and all(r in dashes for r in found[0]):
                omitted = found[0]
                d_lo = d_hi = total - sum(x[r] for r in omitted)
                left = ", ".join(f"{names[r]} ({x[r]:g})" for r in omitted)
                how = (
                    f"explained: the published {year} shares reproduce when {left} is left out of "
                    f"the national total ({d_lo:,.1f} instead of Table 2's sum {total:,.1f} mln KZT)"
                )
            else:
                d_lo, d_hi = fit.low, fit.high
                mid = (d_lo + d_hi) / 2
                how = (
                    f"explained: all {fit.n_values} published {year} shares reproduce with one "
                    f"denominator between {d_lo:,.1f} and {d_hi:,.1f} mln KZT, "
                    f"{total - mid:,.0f} ({(total - mid) / total:.1%}) below Table 2's sum "
                    f"{total:,.1f}; no omission of up to three regions gives it, so the paper "
                    "divided by a national total it does not state"
                )
        denominators[year] = (d_lo, d_hi, how)
        mid = (d_lo + d_hi) / 2
        for r in sorted(p, key=lambda k: names[k]):
            pub, val = p[r], x.get(r)
            share = None if val is None or total == 0 else val / total
            if pub is None and share is None:
                status, expl = "match", "no output in Table 2, a dash in Table 3"
            elif pub is None:
                status = "differs"
                expl = (
                    f"{how}; Table 3 shows a dash although Table 2 gives {val:g}"
                    if r in omitted
                    else f"unexplained: Table 3 shows a dash although Table 2 gives {val:g}"
                )
            elif share is None:
                status, expl = "differs", "unexplained: a published share without output in Table 2"
            elif rounds_to(share, pub, dec):
                status, expl = "match", f"{val:g} / {total:,.1f}"
            else:
                status = "differs"
                expl = (
                    f"{how} ({val:g} / {mid:,.1f} = {val / mid:.4f})"
                    if how.startswith("explained") and rounds_to(val / mid, pub, dec)
                    else f"unexplained: {val:g} / {total:,.1f} = {share:.4f}"
                )
            rows.append(
                {
                    "check": "share_of_national",
                    "table": "Table 3",
                    "region": names[r],
                    "year": str(year),
                    "published": _fmt(pub, dec),
                    "recomputed": _fmt(share, dec),
                    "status": status,
                    "explanation": expl,
                }
            )
        pub_sum = sum(v for v in p.values() if v is not None)
        n_pub = sum(1 for v in p.values() if v is not None)
        ok = abs(pub_sum - 1.0) <= n_pub * 0.5 * 10.0**-dec + 1e-9
        rows.append(
            {
                "check": "sum of shares",
                "table": "Table 3",
                "region": "all regions",
                "year": str(year),
                "published": f"{pub_sum:.3f}",
                "recomputed": "1.000",
                "status": "match" if ok else "differs",
                "explanation": f"within the rounding of {n_pub} values"
                if ok
                else f"{how} (Table 2's sum / that denominator = {total / mid:.3f})",
            }
        )
    return rows, denominators


def _audit_text(denominators: dict[int, tuple[float, float, str]]) -> list[dict[str, Any]]:
    t2 = datasets.load("kireyeva2018_table2")
    by_year = {int(y): float(v) for y, v in t2.group_by("year").agg(pl.col("value").sum()).rows()}
    regions = t2.group_by("region").agg(pl.col("value").sum()).rows()
    region_total = {r: float(v) for r, v in regions}
    names = dict(t2.select("region", "name").unique().rows())
    rows: list[dict[str, Any]] = []

    # "the total volume of output of the IT industry for the period 2010-2016 amounted to 120,3 billion KZT"
    total = sum(by_year.values()) / 1000
    rows.append(
        _text_total(
            "IT output 2010-2016, bn KZT (text)",
            "120.3",
            total,
            {r: v / 1000 for r, v in region_total.items()},
            names,
            {str(y): v / 1000 for y, v in by_year.items()},
        )
    )
    # "The share ... in 2016 amounted 36,5 billion KZT"
    last = max(by_year)
    x_last = {
        r: float(v) / 1000
        for r, v in t2.filter(pl.col("year") == last).select("region", "value").rows()
        if v is not None
    }
    row = _text_total(
        f"IT output {last}, bn KZT (text)", "36.5", by_year[last] / 1000, x_last, names, {}
    )
    lo, hi, _ = denominators.get(last, (math.nan, math.nan, ""))
    if row["status"] == "differs" and not row["explanation"].startswith("explained"):
        row["explanation"] += (
            f"; nor is it Table 3's implied {last} denominator ({lo / 1000:.2f}-{hi / 1000:.2f} bn)"
        )
    rows.append(row)
    # "... increased two times in 2016" (2010 -> 2016)
    first = min(by_year)
    ratio = by_year[last] / by_year[first]
    d0, d1 = denominators.get(first), denominators.get(last)
    implied = ""
    if d0 and d1:
        implied = f"; Table 3's implied denominators give {(d1[0] + d1[1]) / (d0[0] + d0[1]):.2f}"
    ok = rounds_to(ratio, 2.0, 0)
    rows.append(
        {
            "check": f"growth of IT output {first}-{last}, times (text)",
            "table": "text",
            "region": "Kazakhstan",
            "year": f"{first}-{last}",
            "published": "2",
            "recomputed": f"{ratio:.2f}",
            "status": "match" if ok else "differs",
            "explanation": f"Table 2's sums {by_year[last]:,.1f} / {by_year[first]:,.1f}, "
            f"'two times' read as a whole number{implied}",
        }
    )
    # "Almaty city ... forms 70 % of the total sales of IT products"
    t2y = t2.filter(pl.col("year") == first)
    almaty = t2y.filter(pl.col("region") == "almaty_city")["value"][0] / by_year[first]
    rows.append(
        {
            "check": "Almaty city's share of IT sales, % (text)",
            "table": "text",
            "region": "Almaty city",
            "year": str(first),
            "published": "70",
            "recomputed": f"{almaty * 100:.1f}",
            "status": "match" if rounds_to(almaty * 100, 70.0, -1) else "differs",
            "explanation": f"'70 %' read as rounded to tens; {first} share from Table 2 "
            "(the text gives no year; in 2016 it is lower, see Table 3)",
        }
    )
    # "there are three regions of Kazakhstan in zone B - Astana city, Mangystau region and Atyrau region"
    t1 = datasets.load("kireyeva2018_table1").filter(pl.col("year") == last)
    grades = grade_values(t1["index"].to_list())
    zone_b = sorted(
        n for n, g in zip(t1["name"].to_list(), grades, strict=True) if g in ("B", "B+")
    )
    claimed = sorted(["Astana city", "Mangystau region", "Atyrau region"])
    rows.append(
        {
            "check": "regions in zone B (B and B+), count (text)",
            "table": "text",
            "region": ", ".join(claimed),
            "year": str(last),
            "published": "3",
            "recomputed": str(len(zone_b)),
            "status": "match" if zone_b == claimed else "differs",
            "explanation": "recomputed grades B/B+: " + ", ".join(zone_b),
        }
    )
    return rows


def _text_total(
    check: str,
    published: str,
    recomputed: float,
    parts: dict[str, float],
    names: dict[str, str],
    years: dict[str, float],
) -> dict[str, Any]:
    dec = decimals_of(published)
    pub = float(published)
    half = 0.5 * 10.0**-dec
    row = {
        "check": check,
        "table": "text",
        "region": "Kazakhstan",
        "year": check.split(",")[0].split()[-1],
        "published": published,
        "recomputed": f"{recomputed:.{dec}f}",
        "status": "match" if rounds_to(recomputed, pub, dec) else "differs",
        "explanation": "sum of Table 2",
    }
    if row["status"] == "match":
        return row
    target = (pub - half, pub + half)
    found = omitted_regions(parts, (target[0] - 1e-12, target[1]), max_omitted=2)
    if found:
        left = " + ".join(names.get(r, r) for r in found[0])
        row["explanation"] = (
            f"explained: Table 2's sum without {left} is {recomputed - sum(parts[r] for r in found[0]):.{dec}f}"
        )
        return row
    for k in range(1, len(years)):
        for sub in itertools.combinations(sorted(years), k):
            s = sum(years[y] for y in sub)
            if target[0] <= s < target[1]:
                row["explanation"] = (
                    f"explained: the sum of Table 2 over {', '.join(sub)} only is {s:.{dec}f}"
                )
                return row
    top = max(parts, key=lambda r: parts[r])
    row["explanation"] = (
        f"unexplained: Table 2 sums to {recomputed:.{dec}f}; no omission of one or two regions"
        + (" and no subset of years" if years else "")
        + f" gives {published} (the largest region, {names.get(top, top)}, has {parts[top]:.{dec}f})"
    )
    return row
