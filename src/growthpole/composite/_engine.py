"""The composite engine: data preparation once, then a vectorised core over replications.

``prepare`` turns a long table into the indicator matrix (rows = unit-years sorted by year
then unit) and runs the data steps of the spec — denomination, screening, imputation,
outlier treatment — recording every change. ``run_core`` then normalises, aggregates up
the tree, grades and ranks, for a stack of replications at once (leading axis ``R``):
the rating of one spec is ``R = 1``; the Monte Carlo analysis is the same call with the
replications' weights and method choices stacked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from growthpole._frames import as_narwhals, collect_polars, rename_roles, require_columns
from growthpole.composite._methods import (
    ColumnError,
    aggregate_rows,
    copeland_scores,
    normalise_columns,
    rank_min,
)
from growthpole.composite._treat import treat_column
from growthpole.errors import InputError
from growthpole.io import check_numeric, check_unique
from growthpole.specs import IndexSpec

Array = npt.NDArray[np.float64]

REPORT_SCHEMA = {
    "step": pl.String,
    "region": pl.String,
    "year": pl.Int64,
    "indicator": pl.String,
    "before": pl.Float64,
    "after": pl.Float64,
    "note": pl.String,
}


# -- reading -----------------------------------------------------------------------------
def long_polars(
    data: Any,
    *,
    region: str,
    year: str | None,
    indicator: str,
    value: str,
    source: str,
) -> pl.DataFrame:
    """Any frame → Polars ``region, year, indicator, value`` with checks (0.1 behaviour)."""
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
        out = check_numeric(out, "value", source=source)
    out = out.with_columns(
        pl.col("value").cast(pl.Float64).fill_nan(None),
        pl.col("region").cast(pl.String),
        pl.col("indicator").cast(pl.String),
    )
    check_unique(out, ["region", "year", "indicator"], source=source, column=indicator)
    return out


def check_indicators(long: pl.DataFrame, spec: IndexSpec, source: str) -> None:
    """Every spec indicator (and auxiliary variable) in the data, nothing unknown."""
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
    aux = spec.auxiliary_names
    miss_aux = [a for a in aux if a not in have]
    if miss_aux:
        raise InputError(
            f"variables {miss_aux} (denominators / impute group of the spec {spec.name!r}) "
            "are not in the data",
            source=source,
            column="indicator",
        )
    extra = sorted(str(i) for i in have - set(want) - set(aux))
    if extra:
        raise InputError(
            f"indicators {extra} are in the data but not in the spec {spec.name!r}; "
            "add them to the spec or drop them from the data",
            source=source,
            column="indicator",
        )


# -- the compiled spec -------------------------------------------------------------------
@dataclass(frozen=True)
class Node:
    """One aggregate: its children (columns of the value matrix) and how to aggregate."""

    name: str
    children: tuple[int, ...]
    method: str
    params: dict[str, Any]
    min_availability: float


@dataclass(frozen=True)
class Plan:
    """A spec compiled to index arrays.

    Columns of the value matrix: the indicators (spec order), then the groups bottom-up,
    then the index. ``weights`` holds, for every indicator and group, its weight in its
    parent (the index has none).
    """

    spec: IndexSpec
    names: tuple[str, ...]
    nodes: tuple[Node, ...]
    weights: Array

    @property
    def n_ind(self) -> int:
        return len(self.names)

    @property
    def columns(self) -> list[str]:
        return [*self.names, *(n.name for n in self.nodes)]


def compile_spec(spec: IndexSpec) -> Plan:
    """Compile ``spec`` into a :class:`Plan`."""
    names = tuple(spec.indicator_names)
    order = [g for lvl in spec.group_levels() for g in lvl]
    pos = {n: i for i, n in enumerate(names)}
    for k, g in enumerate(order):
        pos[g.name] = len(names) + k
    nodes = []
    for g in order:
        kids = [pos[i.name] for i in spec.indicators if i.group == g.name]
        kids += [pos[c.name] for c in order if c.parent == g.name]
        nodes.append(Node(g.name, tuple(kids), g.aggregation, dict(g.params), g.min_availability))
    top = [pos[c.name] for c in order if c.parent == spec.index_name]
    nodes.append(
        Node(
            spec.index_name,
            tuple(top),
            spec.aggregation,
            dict(spec.aggregation_params),
            spec.min_availability,
        )
    )
    w = np.array([i.weight for i in spec.indicators] + [g.weight for g in order], dtype=float)
    return Plan(spec, names, tuple(nodes), w)


# -- prepared data -----------------------------------------------------------------------
@dataclass
class Prepared:
    """The indicator matrix after the data steps, with row labels and the change report."""

    regions: list[str]
    years: list[int | None]
    x: Array
    raw: Array
    norm_blocks: list[slice]
    year_blocks: list[slice]
    report: pl.DataFrame
    source: str = "<frame>"
    aux: dict[str, Array] = field(default_factory=dict)

    def reference_rows(self, name: str) -> list[int | None]:
        """Row (within each normalisation block) of unit ``name``, or None."""
        out: list[int | None] = []
        for b in self.norm_blocks:
            rows = [i - b.start for i in range(b.start, b.stop) if self.regions[i] == name]
            out.append(rows[0] if rows else None)
        return out


def _blocks(keys: Sequence[Any]) -> list[slice]:
    out, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out.append(slice(start, i))
            start = i
    return out


def prepare(
    long: pl.DataFrame,
    spec: IndexSpec,
    *,
    source: str = "<frame>",
    groups: dict[str, Any] | None = None,
) -> Prepared:
    """Pivot the long table and run denomination, screening, imputation and treatment."""
    check_indicators(long, spec, source)
    names = spec.indicator_names
    aux = spec.auxiliary_names
    wide = long.pivot(on="indicator", index=["region", "year"], values="value")
    for c in [*names, *aux]:
        if c not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(c))
    wide = wide.sort("year", "region", nulls_last=True)
    regions = [str(r) for r in wide["region"].to_list()]
    years = wide["year"].to_list()
    x = np.column_stack([wide[c].cast(pl.Float64).to_numpy() for c in names]).astype(float)
    auxv = {a: wide[a].cast(pl.Float64).to_numpy().astype(float) for a in aux}
    raw = x.copy()
    rep: list[dict[str, Any]] = []

    # denomination
    for j, ind in enumerate(spec.indicators):
        if not ind.denominator:
            continue
        d = auxv[ind.denominator]
        zero = (d == 0) & ~np.isnan(x[:, j])
        if zero.any():
            i = int(np.argmax(zero))
            raise InputError(
                f"indicator {ind.name!r}: its denominator {ind.denominator!r} is 0 for region "
                f"{regions[i]!r}, year {years[i]}",
                source=source,
                column="value",
            )
        lost = np.isnan(d) & ~np.isnan(x[:, j])
        for i in np.flatnonzero(lost).tolist():
            rep.append(
                _row(
                    "denominate",
                    regions[i],
                    years[i],
                    ind.name,
                    x[i, j],
                    None,
                    f"no {ind.denominator} value, so the ratio is missing",
                )
            )
        x[:, j] = x[:, j] / d

    # screening of units by data availability
    keep = np.ones(len(regions), dtype=bool)
    if spec.screening > 0:
        avail = (~np.isnan(x)).mean(axis=1)
        keep = avail >= spec.screening
        for i in np.flatnonzero(~keep).tolist():
            rep.append(
                _row(
                    "screen",
                    regions[i],
                    years[i],
                    None,
                    avail[i],
                    None,
                    f"dropped: data availability {avail[i]:.0%} is below {spec.screening:.0%}",
                )
            )
        if not keep.any():
            raise InputError(
                f"screening at {spec.screening:.0%} data availability drops every unit",
                source=source,
            )
        x, raw = x[keep], raw[keep]
        regions = [r for r, k in zip(regions, keep, strict=True) if k]
        years = [y for y, k in zip(years, keep, strict=True) if k]
        auxv = {a: v[keep] for a, v in auxv.items()}
    year_blocks = _blocks(years)
    norm_blocks = year_blocks if spec.normalise_by == "year" else [slice(0, len(regions))]

    # imputation
    if spec.imputation != "none" and np.isnan(x).any():
        from growthpole.composite._impute import impute_matrix

        grp = None
        if spec.imputation.startswith("group_"):
            grp = auxv[spec.impute_group]
        if groups is not None:
            grp = np.array([groups.get(r) for r in regions], dtype=object)
        before = x.copy()
        x = impute_matrix(x, spec.imputation, regions, years, year_blocks, groups=grp)
        filled = np.isnan(before) & ~np.isnan(x)
        for i, j in zip(*np.nonzero(filled), strict=True):
            rep.append(
                _row(
                    "impute",
                    regions[i],
                    years[i],
                    names[j],
                    None,
                    x[i, j],
                    f"imputed ({spec.imputation})",
                )
            )

    nulls = np.isnan(x)
    if nulls.any() and spec.missing == "error":
        i, j = (int(v[0]) for v in np.nonzero(nulls))
        hint = (
            "fill it, set an imputation method, or set "
            'missing = "skip" in the spec to re-weight over the indicators present'
        )
        raise InputError(
            f"missing value for region {regions[i]!r}, year {years[i]}, indicator "
            f"{names[j]!r} ({int(nulls.sum())} missing in all); {hint}",
            source=source,
            column="value",
        )

    # outlier treatment, per indicator within each normalisation block
    for j, ind in enumerate(spec.indicators):
        mode: str = ind.treatment
        if mode == "default":
            mode = "coinr" if spec.treatment == "coinr" else "none"
        if mode == "none":
            continue
        for b in norm_blocks:
            col = x[b, j]
            if (~np.isnan(col)).sum() < 4:
                continue
            res = treat_column(
                col,
                mode,
                winsor_max=spec.winsor_max,
                skew_threshold=spec.skew_threshold,
                kurt_threshold=spec.kurt_threshold,
            )
            yr = years[b.start] if spec.normalise_by == "year" else None
            rep.append(
                _row(
                    "check",
                    None,
                    yr,
                    ind.name,
                    None,
                    None,
                    f"{res.action}: skew {res.skew_before:.3f} -> {res.skew_after:.3f}, "
                    f"kurtosis {res.kurt_before:.3f} -> {res.kurt_after:.3f}",
                )
            )
            for i in np.flatnonzero(res.changed).tolist():
                rep.append(
                    _row(
                        "treat",
                        regions[b.start + i],
                        years[b.start + i],
                        ind.name,
                        col[i],
                        res.values[i],
                        res.action,
                    )
                )
            x[b, j] = res.values

    report = pl.DataFrame(rep, schema=REPORT_SCHEMA) if rep else pl.DataFrame(schema=REPORT_SCHEMA)
    return Prepared(regions, years, x, raw, norm_blocks, year_blocks, report, source, auxv)


def _row(
    step: str, region: Any, year: Any, ind: Any, before: Any, after: Any, note: str
) -> dict[str, Any]:
    f = lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)  # noqa: E731
    return {
        "step": step,
        "region": region,
        "year": year,
        "indicator": ind,
        "before": f(before),
        "after": f(after),
        "note": note,
    }


# -- the core ----------------------------------------------------------------------------
def normalise_stack(
    x: Array,
    prep: Prepared,
    spec: IndexSpec,
    method: tuple[str, dict[str, Any]] | None = None,
) -> Array:
    """Normalise ``x`` (R, rows, indicators) per block; ``method`` overrides the spec's."""
    out = np.empty_like(x)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for j, ind in enumerate(spec.indicators):
        m, p = (ind.normalisation, dict(ind.params)) if method is None else method
        key = (m, tuple(sorted(p.items())), ind.direction)
        groups.setdefault(key, []).append(j)
    for (m, p, direction), cols in groups.items():
        params = dict(p)
        refs: list[int | None] = [None] * len(prep.norm_blocks)
        if m == "distance_to_reference":
            refs = prep.reference_rows(str(params.get("reference")))
        span = cols == list(range(cols[0], cols[0] + len(cols)))
        sel: Any = slice(cols[0], cols[-1] + 1) if span else cols
        for b, ref in zip(prep.norm_blocks, refs, strict=True):
            try:
                block = x[:, b, sel] if span else x[:, b][:, :, cols]
                out[:, b, sel] = normalise_columns(block, m, direction, params, reference_row=ref)
            except ColumnError as exc:
                j = cols[exc.column]
                name = spec.indicators[j].name
                yr = prep.years[b.start] if spec.normalise_by == "year" else None
                what = f"indicator {name!r}" + (f", year {yr}" if yr is not None else "")
                msg = exc.message
                if msg.startswith("negative value"):
                    col = x[0, b, j]
                    i = int(np.argmax(np.where(np.isnan(col), 0.0, col) < 0))
                    msg = (
                        f"negative value {col[i]:g} for region {prep.regions[b.start + i]!r}; "
                        + msg.split("; ", 1)[1]
                    )
                raise InputError(f"{what}: {msg}", source=prep.source, column="value") from None
    return out


def aggregate_stack(
    scores: Array,
    weights: Array,
    plan: Plan,
    prep: Prepared,
    method: tuple[str, dict[str, Any]] | None = None,
    *,
    full: bool = True,
) -> Array:
    """Aggregate (R, rows, indicators) up the tree with weights (R, edges).

    Returns every column (R, rows, columns) — indicators, groups, index — or, with
    ``full=False``, only the index (R, rows).
    """
    r, n, k = scores.shape
    node_vals: list[Array] = []

    def column(c: int) -> Array:
        return scores[:, :, c] if c < k else node_vals[c - k]

    for node in plan.nodes:
        kids = list(node.children)
        m, p = (node.method, node.params) if method is None else method
        if kids == list(range(kids[0], kids[0] + len(kids))) and kids[-1] < k:
            v = scores[:, :, kids[0] : kids[-1] + 1]
        else:
            v = np.stack([column(c) for c in kids], axis=-1)
        w = weights[:, kids]
        if m == "copeland":
            out = np.empty((r, n))
            for b in prep.year_blocks:
                out[:, b] = copeland_scores(v[:, b], w, min_availability=node.min_availability)
        else:
            try:
                out = aggregate_rows(v, w, m, p, min_availability=node.min_availability)
            except ValueError as exc:
                raise InputError(f"{node.name}: {exc}", source=prep.source) from None
        node_vals.append(out)
    if not full:
        return node_vals[-1]
    vals = np.empty((r, n, k + len(plan.nodes)))
    vals[:, :, :k] = scores
    for t, out in enumerate(node_vals):
        vals[:, :, k + t] = out
    return vals


def rank_stack(index: Array, prep: Prepared) -> Array:
    """Rank (R, rows) within each year, 1 = highest; ties share the best rank; NaN stays."""
    out = np.empty_like(index)
    for b in prep.year_blocks:
        out[:, b] = rank_min(-index[:, b], axis=-1)
    return out


def relative_stack(index: Array, prep: Prepared, spec: IndexSpec) -> Array | None:
    """``100 * index / reference`` per year for a relative scale, else None."""
    ref = spec.scale.reference
    if not ref:
        return None
    out = np.empty_like(index)
    for b in prep.year_blocks:
        blk = index[:, b]
        if ref == "mean":
            base = np.nanmean(blk, axis=-1, keepdims=True)
        else:
            rows = [i for i in range(b.start, b.stop) if prep.regions[i] == ref]
            if not rows:
                raise InputError(
                    f"the scale's reference unit {ref!r} is not in the data for year "
                    f"{prep.years[b.start]}",
                    source=prep.source,
                )
            base = index[:, rows[0] : rows[0] + 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, b] = 100.0 * blk / base
    return out


def grade_codes(values: Array, spec: IndexSpec) -> npt.NDArray[np.int8]:
    """Band position of each value on the spec's scale (-1 = missing)."""
    bounds = np.array([b.lower for b in spec.scale.bands])
    pos = np.searchsorted(bounds, values, side="right") - 1
    pos = np.clip(pos, 0, len(bounds) - 1)
    return np.where(np.isnan(values), -1, pos).astype(np.int8)


@dataclass
class CoreResult:
    """Values of every column (R, rows, columns), ranks and grade codes (R, rows)."""

    values: Array
    graded: Array
    rank: Array
    grade: npt.NDArray[np.int8]


def run_core(
    x: Array,
    weights: Array,
    plan: Plan,
    prep: Prepared,
    *,
    normalisation: tuple[str, dict[str, Any]] | None = None,
    aggregation: tuple[str, dict[str, Any]] | None = None,
) -> CoreResult:
    """Normalise, aggregate, grade and rank a stack of replications (leading axis R)."""
    s = normalise_stack(x, prep, plan.spec, normalisation)
    vals = aggregate_stack(s, weights, plan, prep, aggregation)
    index = vals[:, :, -1]
    rel = relative_stack(index, prep, plan.spec)
    graded = index if rel is None else rel
    return CoreResult(vals, graded, rank_stack(index, prep), grade_codes(graded, plan.spec))
