"""Region-year tables of global and local statistics, spillovers, pole verdicts and panels."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl

from growthpole._frames import as_narwhals, collect_polars, require_columns
from growthpole.errors import DataWarning, InputError
from growthpole.io import check_numeric, check_unique, check_year
from growthpole.spatial._graph import GraphSpec, RegionGraph, Transform, _first, region_graph
from growthpole.spatial._stats import fdr_bh, global_stats, local_stats
from growthpole.specs import check_literal

__all__ = ["SpatialSpec", "analyse"]

Correction = Literal["fdr_bh", "none"]

#: Pole verdicts, in the order the rule tries them (see docs/spatial.md).
VERDICTS = (
    "no data",
    "island (no neighbours)",
    "not a candidate",
    "not a pole",
    "pole with a rising periphery",
    "pole with a falling periphery",
    "isolated pole",
    "pole in a strong neighbourhood",
)

#: Hot-spot trends over a panel of years.
TRENDS = (
    "persistent hot spot",
    "emerging hot spot",
    "fading hot spot",
    "intermittent hot spot",
    "persistent cold spot",
    "emerging cold spot",
    "fading cold spot",
    "intermittent cold spot",
    "hot and cold",
    "never significant",
)


@dataclass(frozen=True)
class SpatialSpec:
    """Settings of a spatial analysis (serialisable; every field has a safe default).

    Parameters
    ----------
    graph
        ``"queen"``, ``"rook"``, ``"knn:K"``, ``"band:KM"`` or ``"edges"`` (user edge list).
    transform
        ``"r"`` row-standardised weights or ``"b"`` binary.
    alpha
        Significance level (false-discovery rate with ``correction="fdr_bh"``).
    permutations
        Number of random permutations for the pseudo p-values.
    seed
        Seed of the permutations (the same seed gives the same p-values).
    correction
        ``"fdr_bh"`` (Benjamini-Hochberg over the regions of a year) or ``"none"``.
    tolerance
        Change of the neighbours' mean z-score (in standard deviations) that counts as a
        rising or falling periphery in the pole verdict.

    Examples
    --------
    >>> spec = SpatialSpec(graph="knn:3", permutations=9999)
    >>> SpatialSpec.from_dict(spec.to_dict()) == spec
    True
    """

    graph: str = "queen"
    transform: Transform = "r"
    alpha: float = 0.05
    permutations: int = 999
    seed: int | None = 0
    correction: Correction = "fdr_bh"
    tolerance: float = 0.25

    def to_dict(self) -> dict[str, Any]:
        """Plain values (for TOML or JSON).

        ``seed=None`` (unseeded) has no TOML form and is left out, so it reads back as the
        default seed 0.
        """
        return {k: v for k, v in self.__dict__.items() if v is not None}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> SpatialSpec:
        """Rebuild from :meth:`to_dict` output; missing keys take their defaults."""
        unknown = sorted(set(values) - set(cls.__dataclass_fields__))
        if unknown:
            raise InputError(
                f"unknown spatial settings {unknown}; expected {sorted(cls.__dataclass_fields__)}"
            )
        return cls(**values)

    def __post_init__(self) -> None:
        GraphSpec.parse(self.graph)
        check_literal(self.transform, Transform, "transform")
        check_literal(self.correction, Correction, "correction")
        if not (0 < float(self.alpha) < 1):
            raise InputError(f"alpha must lie in (0, 1); {self.alpha!r} was given", column="alpha")
        if int(self.permutations) != self.permutations or not 1 <= self.permutations <= 99_999:
            raise InputError(
                f"permutations must be a whole number from 1 to 99999; {self.permutations!r} was given",
                column="permutations",
            )
        if not (self.tolerance >= 0 and math.isfinite(self.tolerance)):
            raise InputError(f"tolerance must be >= 0; {self.tolerance!r} was given")


def _prepare(data: Any, *, value: str, region: str, year: str | None, source: str) -> pl.DataFrame:
    frame = as_narwhals(data, source=source)
    cols = [region, value] + ([year] if year else [])
    require_columns(frame, cols, source=source)
    df = collect_polars(frame.select(cols))
    df = check_numeric(df, value, source=source)
    nulls = df.get_column(region).is_null()
    if nulls.any():
        raise InputError("region is empty", source=source, column=region, row=_first(nulls))
    df = df.rename({region: "region", value: "value"}).with_columns(
        pl.col("region").cast(pl.String)
    )
    if year:
        df = check_year(df, year, source=source)
        df = df.rename({year: "year"}) if year != "year" else df
    else:
        df = df.with_columns(pl.lit(None, dtype=pl.Int64).alias("year"))
    check_unique(df, ["region", "year"], source=source)
    return df.select("region", "year", "value")


def _candidates(
    data: Any, candidates: str | Iterable[str] | None, region: str, year: str | None, source: str
) -> pl.DataFrame | set[str] | None:
    if candidates is None:
        return None
    if isinstance(candidates, str):
        frame = as_narwhals(data, source=source)
        cols = [region, candidates] + ([year] if year else [])
        require_columns(frame, cols, source=source, role_hint="(the candidates column)")
        c = collect_polars(frame.select(cols)).rename({region: "region", candidates: "candidate"})
        if year:
            c = c.rename({year: "year"}) if year != "year" else c
            c = c.with_columns(pl.col("year").cast(pl.Int64))
        else:
            c = c.with_columns(pl.lit(None, dtype=pl.Int64).alias("year"))
        if c.get_column("candidate").dtype != pl.Boolean:
            raise InputError(
                "expected true/false values (a candidate flag)", source=source, column=candidates
            )
        return c.with_columns(pl.col("region").cast(pl.String)).select(
            "region", "year", "candidate"
        )
    return {str(r) for r in candidates}


def analyse(
    data: Any,
    graph: str | GraphSpec | RegionGraph | None = None,
    *,
    value: str = "value",
    region: str = "region",
    year: str | None = "year",
    boundaries: Any = None,
    key: str | None = None,
    spec: SpatialSpec | None = None,
    candidates: str | Iterable[str] | None = None,
    local: bool = True,
    source: str = "<frame>",
) -> tuple[RegionGraph, pl.DataFrame, pl.DataFrame, pl.DataFrame, SpatialSpec]:
    """Compute the global, local and panel tables (see :func:`growthpole.spatial.spatial_analysis`)."""
    if spec is None:
        spec = SpatialSpec(graph=str(graph) if isinstance(graph, str | GraphSpec) else "queen")
    df = _prepare(data, value=value, region=region, year=year, source=source)
    cand = _candidates(data, candidates, region, year, source)
    regions = sorted(set(df.get_column("region").to_list()))
    if isinstance(graph, RegionGraph):
        rg = graph
        outside = sorted(set(regions) - set(rg.regions))
        if outside:
            raise InputError(
                f"{len(outside)} region(s) of the data are not in the graph: {outside}",
                source=source,
                column=region,
            )
        if rg.transform != spec.transform:
            rg = RegionGraph(rg.graph, rg.spec, spec.transform, rg.geometry, rg.source)
        spec = SpatialSpec(**{**spec.__dict__, "graph": str(rg.spec)})
    else:
        gspec = GraphSpec.parse(graph if graph is not None else spec.graph)
        spec = SpatialSpec(**{**spec.__dict__, "graph": str(gspec)})
        rg = region_graph(boundaries, gspec, regions=regions, key=key, transform=spec.transform)
    years = sorted({y for y in df.get_column("year").to_list()}, key=lambda v: (v is None, v))
    glob_rows: list[dict[str, Any]] = []
    local_frames: list[pl.DataFrame] = []
    full = rg.regions
    for yr in years:
        cs = df.filter(pl.col("year").is_null() if yr is None else pl.col("year") == yr)
        vals = dict(zip(cs.get_column("region"), cs.get_column("value"), strict=True))
        has = [r for r in full if vals.get(r) is not None]
        no_data = [r for r in full if vals.get(r) is None]
        sub = rg.subgraph(has)
        islands = sub.islands
        used = [r for r in has if r not in set(islands)]
        what = f"{value}" + (f", year {yr}" if yr is not None else "")
        if no_data:
            warnings.warn(
                f"{what}: {len(no_data)} region(s) without a value are left out (missing, not "
                f"zero): {no_data}",
                DataWarning,
                stacklevel=3,
            )
        if islands:
            warnings.warn(
                f"{what}: region(s) without neighbours{' with data' if no_data else ''} are left "
                f"out of the statistics: {islands}",
                DataWarning,
                stacklevel=3,
            )
        g = sub.subgraph(used)
        y = np.array([vals[r] for r in used], dtype=float)
        gs = global_stats(y, g, permutations=spec.permutations, seed=spec.seed, what=what)
        common = {
            "year": yr,
            "variable": value,
            "permutations": spec.permutations,
            "seed": spec.seed,
            "n": len(used),
            "n_no_data": len(no_data),
            "n_islands": len(islands),
            "graph": str(rg.spec),
            "transform": spec.transform,
        }
        for stat, est, exp_, zn, pn, zs, ps in (
            (
                "moran_i",
                gs.moran_i,
                gs.moran_expected,
                gs.moran_z_norm,
                gs.moran_p_norm,
                gs.moran_z_sim,
                gs.moran_p_sim,
            ),
            (
                "geary_c",
                gs.geary_c,
                gs.geary_expected,
                gs.geary_z_norm,
                gs.geary_p_norm,
                gs.geary_z_sim,
                gs.geary_p_sim,
            ),
        ):
            positive = est > exp_ if stat == "moran_i" else est < exp_
            pattern = (
                "no significant pattern"
                if ps is None or ps > spec.alpha
                else (
                    "clustered (similar values together)"
                    if positive
                    else "dispersed (unlike values together)"
                )
            )
            glob_rows.append(
                {
                    **common,
                    "statistic": stat,
                    "estimate": est,
                    "expected": exp_,
                    "z_norm": zn,
                    "p_norm": pn,
                    "z_sim": zs,
                    "p_sim": ps,
                    "pattern": pattern,
                }
            )
        if not local:
            continue
        ls = local_stats(y, g, permutations=spec.permutations, seed=spec.seed, what=what)
        q_moran = fdr_bh(ls.moran_p_sim)
        q_gi = fdr_bh(ls.gi_star_p_sim)
        p_m = q_moran if spec.correction == "fdr_bh" else ls.moran_p_sim
        p_g = q_gi if spec.correction == "fdr_bh" else ls.gi_star_p_sim
        rows = []
        idx = {r: k for k, r in enumerate(used)}
        n_nb = g.n_neighbours()
        for r in full:
            base = {"region": r, "year": yr, "value": vals.get(r)}
            if r in idx:
                k = idx[r]
                rows.append(
                    {
                        **base,
                        "status": "analysed",
                        "n_neighbours": n_nb[r],
                        "z": ls.z[k],
                        "lag": ls.lag[k],
                        "lag_z": ls.lag_z[k],
                        "contrast": vals[r] - ls.lag[k],
                        "local_moran": ls.local_moran[k],
                        "quadrant": ls.quadrant[k],
                        "moran_p_sim": ls.moran_p_sim[k],
                        "moran_q": q_moran[k],
                        "cluster": ls.quadrant[k] if p_m[k] <= spec.alpha else "not significant",
                        "gi_star_z": ls.gi_star_z[k],
                        "gi_star_p_sim": ls.gi_star_p_sim[k],
                        "gi_star_q": q_gi[k],
                        "hot_spot": _hot_spot(
                            ls.gi_star_z[k], ls.gi_star_tail[k], p_g[k], spec.alpha
                        ),
                    }
                )
            else:
                rows.append(
                    {**base, "status": "no data" if r in no_data else "island", "n_neighbours": 0}
                )
        local_frames.append(pl.DataFrame(rows, schema=_LOCAL_SCHEMA))
    glob = pl.DataFrame(glob_rows, schema=_GLOBAL_SCHEMA)
    if not local:
        return (
            rg,
            glob,
            pl.DataFrame(schema=_LOCAL_SCHEMA),
            pl.DataFrame(schema=_PANEL_SCHEMA),
            spec,
        )
    loc = pl.concat(local_frames) if local_frames else pl.DataFrame(schema=_LOCAL_SCHEMA)
    loc = _spillovers(loc, cand, spec)
    panel = _panel(loc)
    return rg, glob, loc, panel, spec


def _hot_spot(z: float, tail: int, p: float, alpha: float) -> str:
    """Hot or cold spot when Gi* is significant and its z-score agrees with the tail.

    The permutation p-value is directed (the tail of the conditional permutations, which
    keep the region's own value fixed, where the observed Gi* lies); a high region whose
    neighbours are all low can be significant in the *lower* tail while its analytical z is
    positive. Such a disagreement is no hot or cold spot (Local Moran's HL/LH describe it).
    """
    if not p <= alpha:
        return "not significant"
    if z > 0 and tail > 0:
        return "hot spot"
    if z < 0 and tail < 0:
        return "cold spot"
    return "not significant"


_GLOBAL_SCHEMA = {
    "year": pl.Int64,
    "variable": pl.String,
    "permutations": pl.Int64,
    "seed": pl.Int64,
    "n": pl.Int64,
    "n_no_data": pl.Int64,
    "n_islands": pl.Int64,
    "graph": pl.String,
    "transform": pl.String,
    "statistic": pl.String,
    "estimate": pl.Float64,
    "expected": pl.Float64,
    "z_norm": pl.Float64,
    "p_norm": pl.Float64,
    "z_sim": pl.Float64,
    "p_sim": pl.Float64,
    "pattern": pl.String,
}
GLOBAL_COLUMNS = [
    "year", "variable", "statistic", "estimate", "expected", "z_norm", "p_norm", "z_sim", "p_sim",
    "pattern", "n", "n_no_data", "n_islands", "permutations", "seed", "graph", "transform",
]  # fmt: skip

_LOCAL_SCHEMA = {
    "region": pl.String,
    "year": pl.Int64,
    "value": pl.Float64,
    "status": pl.String,
    "n_neighbours": pl.Int64,
    "z": pl.Float64,
    "lag": pl.Float64,
    "lag_z": pl.Float64,
    "contrast": pl.Float64,
    "local_moran": pl.Float64,
    "quadrant": pl.String,
    "moran_p_sim": pl.Float64,
    "moran_q": pl.Float64,
    "cluster": pl.String,
    "gi_star_z": pl.Float64,
    "gi_star_p_sim": pl.Float64,
    "gi_star_q": pl.Float64,
    "hot_spot": pl.String,
}

_PANEL_SCHEMA = {
    "region": pl.String,
    "first_year": pl.Int64,
    "last_year": pl.Int64,
    "n_years": pl.Int64,
    "years_hot": pl.Int64,
    "years_cold": pl.Int64,
    "hot_spot_trend": pl.String,
    "clusters": pl.String,
}


def _spillovers(loc: pl.DataFrame, cand: Any, spec: SpatialSpec) -> pl.DataFrame:
    """Add the change since the base year and the pole verdict with its reason."""
    base = (
        loc.filter(pl.col("status") == "analysed")
        .sort("year")
        .group_by("region", maintain_order=True)
        .first()
        .select(
            "region",
            pl.col("year").alias("base_year"),
            pl.col("lag").alias("_lag0"),
            pl.col("lag_z").alias("_lagz0"),
            pl.col("contrast").alias("_con0"),
        )
    )
    out = loc.join(base, on="region", how="left")
    later = (pl.col("status") == "analysed") & (pl.col("year") > pl.col("base_year"))
    out = out.with_columns(
        pl.when(later).then(pl.col("lag") - pl.col("_lag0")).alias("lag_change"),
        pl.when(later).then(pl.col("lag_z") - pl.col("_lagz0")).alias("lag_z_change"),
        pl.when(later).then(pl.col("contrast") - pl.col("_con0")).alias("contrast_change"),
        pl.when(later).then(pl.col("base_year")).alias("base_year"),
    ).drop("_lag0", "_lagz0", "_con0")
    if cand is None:
        out = out.with_columns(pl.lit(True).alias("candidate"))
    elif isinstance(cand, set):
        out = out.with_columns(pl.col("region").is_in(list(cand)).alias("candidate"))
    else:
        out = out.join(cand, on=["region", "year"], how="left", nulls_equal=True).with_columns(
            pl.col("candidate").fill_null(False)
        )
    verdicts, reasons = [], []
    for r in out.iter_rows(named=True):
        v, why = _verdict(r, spec.tolerance)
        verdicts.append(v)
        reasons.append(why)
    return out.with_columns(
        pl.Series("verdict", verdicts, pl.String), pl.Series("reason", reasons, pl.String)
    ).sort("year", "region", nulls_last=True)


def _fmt(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def _verdict(r: dict[str, Any], tol: float) -> tuple[str, str]:
    """The documented pole rule, tried in order (docs/spatial.md, 'Pole verdict')."""
    if r["status"] == "no data":
        return "no data", "no value for this year (missing, not zero)"
    if r["status"] == "island":
        return "island (no neighbours)", "no neighbour with data: there is no periphery to compare"
    if not r["candidate"]:
        return "not a candidate", "not among the candidates given"
    core = (
        f"value {_fmt(r['value'])} vs neighbours' mean {_fmt(r['lag'])} "
        f"(contrast {r['contrast']:+.3g}, z {r['z']:+.2f})"
    )
    if r["z"] <= 0:
        return "not a pole", f"{core}: at or below the mean of all regions"
    if r["contrast"] <= 0:
        return "not a pole", f"{core}: not above its own neighbours"
    trend = ""
    if r["lag_z_change"] is not None:
        d = r["lag_z_change"]
        trend = (
            f"; neighbours' mean z {r['lag_z'] - d:+.2f} in {r['base_year']} -> {r['lag_z']:+.2f} "
            f"({d:+.2f} SD, tolerance {tol:g}); contrast {r['contrast_change']:+.3g} since {r['base_year']}"
        )
        if d > tol:
            return "pole with a rising periphery", core + trend
        if d < -tol:
            return "pole with a falling periphery", core + trend
    if r["lag_z"] < 0:
        return (
            "isolated pole",
            f"{core}; neighbours below the mean of all regions (z {r['lag_z']:+.2f}){trend}",
        )
    return (
        "pole in a strong neighbourhood",
        f"{core}; neighbours at or above the mean of all regions (z {r['lag_z']:+.2f}){trend}",
    )


def _panel(loc: pl.DataFrame) -> pl.DataFrame:
    """Persistent, emerging and fading hot (and cold) spots over the analysed years."""
    years = [y for y in loc.get_column("year").unique().to_list() if y is not None]
    if len(years) < 2:
        return pl.DataFrame(schema=_PANEL_SCHEMA)
    rows = []
    for (reg,), grp in (
        loc.filter(pl.col("status") == "analysed")
        .sort("year")
        .group_by(["region"], maintain_order=True)
    ):
        labels = grp.get_column("hot_spot").to_list()
        yrs = grp.get_column("year").to_list()
        rows.append(
            {
                "region": reg,
                "first_year": yrs[0],
                "last_year": yrs[-1],
                "n_years": len(yrs),
                "years_hot": labels.count("hot spot"),
                "years_cold": labels.count("cold spot"),
                "hot_spot_trend": trend_of(labels),
                "clusters": " -> ".join(grp.get_column("cluster").to_list()),
            }
        )
    return pl.DataFrame(rows, schema=_PANEL_SCHEMA).sort("region")


def trend_of(labels: Sequence[str]) -> str:
    """Classify a sequence of yearly hot-spot labels (oldest first).

    persistent: significant in every year; emerging: not in the first year but in the last;
    fading: in the first but not in the last; intermittent: in between only. A region that is
    a hot spot in some years and a cold spot in others is "hot and cold".

    Examples
    --------
    >>> trend_of(["not significant", "hot spot", "hot spot"])
    'emerging hot spot'
    >>> trend_of(["cold spot", "cold spot"])
    'persistent cold spot'
    """
    hot = [x == "hot spot" for x in labels]
    cold = [x == "cold spot" for x in labels]
    if any(hot) and any(cold):
        return "hot and cold"
    for flags, word in ((hot, "hot"), (cold, "cold")):
        if not any(flags):
            continue
        if len(flags) > 1 and all(flags):
            return f"persistent {word} spot"
        if len(flags) == 1:
            return f"{word} spot (one year)"
        if flags[-1] and not flags[0]:
            return f"emerging {word} spot"
        if flags[0] and not flags[-1]:
            return f"fading {word} spot"
        return f"intermittent {word} spot"
    return "never significant"
