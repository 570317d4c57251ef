"""Uncertainty and sensitivity analysis by replaying variants of a spec through the core.

Each replication is a variant of the nominal spec: noisy weights, another normalisation,
another aggregation, imputation or treatment switched, one indicator left out. Its spec is
recoverable (:meth:`UncertaintyResult.spec_of`) and rating that spec with
:func:`~growthpole.composite.rate` gives exactly the replication's numbers. The
replications are not run one by one: they are stacked along a leading axis and pushed
through the same NumPy core as :func:`~growthpole.composite.rate`, chunk by chunk.

Examples
--------
>>> import polars as pl
>>> from growthpole.composite import Composite
>>> from growthpole.specs import Group, IndexSpec, Indicator
>>> spec = IndexSpec("t", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
>>> d = pl.DataFrame({"region": ["x", "x", "y", "y", "z", "z"], "year": 2020,
...                   "indicator": ["a", "b"] * 3, "value": [9.0, 1.0, 5.0, 5.0, 1.0, 2.0]})
>>> res = uncertainty(Composite.build(d, spec), 200, settings=Uncertainties(weight_noise=0.5),
...                   seed=1, progress=False)
>>> res.summary.select("region", "rank", "rank_p05", "rank_p95").rows()
[('y', 1, 1.0, 2.0), ('x', 2, 1.0, 2.0), ('z', 3, 3.0, 3.0)]
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl

from growthpole._frames import as_narwhals, collect_polars, require_columns
from growthpole.composite._engine import (
    Prepared,
    aggregate_stack,
    compile_spec,
    grade_codes,
    normalise_stack,
    prepare,
    rank_stack,
    relative_stack,
)
from growthpole.errors import InputError, SpecError
from growthpole.specs import IndexSpec, PoleRule, check_literal

if TYPE_CHECKING:
    from growthpole.composite.pipeline import Composite

__all__ = [
    "SensitivityResult",
    "Uncertainties",
    "UncertaintyResult",
    "jansen",
    "leave_one_out",
    "sensitivity",
    "uncertainty",
]

Array = npt.NDArray[np.float64]
Method = tuple[str, tuple[tuple[str, Any], ...]]


def _method(m: Any) -> Method:
    if isinstance(m, str):
        return (m, ())
    name, params = m
    items = params.items() if isinstance(params, Mapping) else params
    return (str(name), tuple(sorted(items)))


@dataclass(frozen=True)
class Uncertainties:
    """The uncertain inputs of a composite indicator and their alternatives.

    The nominal choice (the spec's own) is always option 0 of each input.

    Parameters
    ----------
    weight_noise
        Every weight (indicators and groups) is multiplied by a factor drawn uniformly
        from ``[1 - weight_noise, 1 + weight_noise]`` (COINr's noisy weights); 0 = fixed.
    normalisations
        Alternative normalisations for all indicators, as ``"method"`` or
        ``("method", {param: value})``.
    aggregations
        Alternative aggregations for every group and the index, same form.
    imputations
        Alternative imputation methods (``"none"`` leaves cells missing and re-weights).
    treatments
        Alternative outlier treatments (``"none"`` or ``"coinr"``).
    exclude
        Also leave out one indicator (or none) in each replication.

    Examples
    --------
    >>> Uncertainties(normalisations=("rank", ("min_max", {"low": 1})),).factors()
    ['weights', 'normalisation']
    """

    weight_noise: float = 0.25
    normalisations: tuple[Any, ...] = ()
    aggregations: tuple[Any, ...] = ()
    imputations: tuple[str, ...] = ()
    treatments: tuple[str, ...] = ()
    exclude: bool = False

    def __post_init__(self) -> None:
        if not 0 <= float(self.weight_noise) < 1:
            raise SpecError(f"weight_noise must be in [0, 1); {self.weight_noise} was given.")
        object.__setattr__(self, "normalisations", tuple(_method(m) for m in self.normalisations))
        object.__setattr__(self, "aggregations", tuple(_method(m) for m in self.aggregations))
        from growthpole.specs import AggregationMethod, ImputeMethod, NormaliseMethod, TreatMethod

        for m, _ in self.normalisations:
            check_literal(m, NormaliseMethod, "uncertain normalisation")
        for m, _ in self.aggregations:
            check_literal(m, AggregationMethod, "uncertain aggregation")
        for m in self.imputations:
            check_literal(m, ImputeMethod, "uncertain imputation")
        for m in self.treatments:
            check_literal(m, TreatMethod, "uncertain treatment")
        object.__setattr__(self, "imputations", tuple(self.imputations))
        object.__setattr__(self, "treatments", tuple(self.treatments))

    def factors(self) -> list[str]:
        """The inputs that vary, in a fixed order."""
        out = []
        if self.weight_noise > 0:
            out.append("weights")
        if self.normalisations:
            out.append("normalisation")
        if self.aggregations:
            out.append("aggregation")
        if self.imputations:
            out.append("imputation")
        if self.treatments:
            out.append("treatment")
        if self.exclude:
            out.append("exclusion")
        return out


@dataclass
class _Draws:
    """Choices of every replication: weight multipliers and option indices."""

    noise: Array
    norm: npt.NDArray[np.int64]
    agg: npt.NDArray[np.int64]
    imp: npt.NDArray[np.int64]
    treat: npt.NDArray[np.int64]
    excl: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.norm)

    @classmethod
    def nominal(cls, r: int, edges: int) -> _Draws:
        z = np.zeros(r, dtype=np.int64)
        return cls(np.ones((r, edges)), z, z.copy(), z.copy(), z.copy(), z - 1)

    def take(self, idx: Any) -> _Draws:
        return _Draws(
            self.noise[idx],
            self.norm[idx],
            self.agg[idx],
            self.imp[idx],
            self.treat[idx],
            self.excl[idx],
        )


class _Model:
    """A composite plus its uncertain inputs: turns draws into specs and runs them."""

    def __init__(self, comp: Composite, settings: Uncertainties) -> None:
        self.comp = comp
        self.spec = comp.spec
        self.settings = settings
        self.plan = compile_spec(comp.spec)
        self.edge_names = list(self.plan.names) + [n.name for n in self.plan.nodes[:-1]]
        self.norm_opts: list[Method | None] = [None, *settings.normalisations]
        self.agg_opts: list[Method | None] = [None, *settings.aggregations]
        self.imp_opts: list[str | None] = [None, *settings.imputations]
        self.treat_opts: list[str | None] = [None, *settings.treatments]
        self.eligible = _eligible_exclusions(comp.spec)
        if settings.exclude and not self.eligible:
            raise SpecError("no indicator can be left out without emptying its group.")
        self._preps: dict[tuple[int, int], Prepared] = {}

    # -- specs -----------------------------------------------------------------------
    def data_spec(self, imp: int, treat: int) -> IndexSpec:
        s = self.spec
        if self.imp_opts[imp] is not None:
            m = str(self.imp_opts[imp])
            s = s.replace(imputation=m, missing="skip" if m == "none" else s.missing)
        if self.treat_opts[treat] is not None:
            s = s.replace(treatment=str(self.treat_opts[treat]))
        return s

    def weights(self, d: _Draws) -> Array:
        w = self.plan.weights[None, :] * d.noise
        rows = np.flatnonzero(d.excl >= 0)
        if rows.size:
            w[rows, np.asarray(self.eligible)[d.excl[rows]]] = 0.0
        return w

    def spec_of(self, d: _Draws, r: int) -> IndexSpec:
        s = self.data_spec(int(d.imp[r]), int(d.treat[r]))
        nm = self.norm_opts[int(d.norm[r])]
        if nm is not None:
            s = s.with_normalisation(nm[0], dict(nm[1]))
        am = self.agg_opts[int(d.agg[r])]
        if am is not None:
            s = s.with_aggregation(am[0], dict(am[1]))
        w = self.weights(d.take(slice(r, r + 1)))[0]
        return s.with_weights({n: float(v) for n, v in zip(self.edge_names, w, strict=True)})

    def prep(self, imp: int, treat: int) -> Prepared:
        key = (imp, treat)
        if key not in self._preps:
            if key == (0, 0):
                self._preps[key] = self.comp.prepared
            else:
                self._preps[key] = prepare(
                    self.comp.data, self.data_spec(imp, treat), source=self.comp.source
                )
        return self._preps[key]

    # -- running ---------------------------------------------------------------------
    def run(self, d: _Draws) -> tuple[Array, Array, npt.NDArray[np.int8]]:
        """Index, rank and grade code of every replication in ``d`` (R, rows).

        Within the chunk the replications are ordered by their method choices, so that
        each choice's replications are a contiguous slice (views, not copies); the
        results are put back in the original order.
        """
        r = len(d)
        order = np.lexsort((d.norm, d.treat, d.imp))
        d = d.take(order)
        base = self.comp.prepared
        n, k = base.x.shape
        x = np.empty((r, n, k))
        for sl, key in _runs(d.imp * len(self.treat_opts) + d.treat):
            x[sl] = self.prep(int(key) // len(self.treat_opts), int(key) % len(self.treat_opts)).x
        w = self.weights(d)
        s = np.empty_like(x)
        # normalisation choice within each data choice: contiguous thanks to the order
        for sl, key in _runs((d.imp * len(self.treat_opts) + d.treat) * 1000 + d.norm):
            opt = self.norm_opts[int(key) % 1000]
            s[sl] = normalise_stack(
                x[sl], base, self.spec, None if opt is None else (opt[0], dict(opt[1]))
            )
        index = np.empty((r, n))
        for i in np.unique(d.agg).tolist():
            mask = d.agg == i
            opt = self.agg_opts[int(i)]
            whole = bool(mask.all())
            index[mask] = aggregate_stack(
                s if whole else s[mask],
                w if whole else w[mask],
                self.plan,
                base,
                None if opt is None else (opt[0], dict(opt[1])),
                full=False,
            )
        rel = relative_stack(index, base, self.spec)
        graded = index if rel is None else rel
        rank = rank_stack(index, base)
        grade = grade_codes(graded, self.spec)
        back = np.empty_like(order)
        back[order] = np.arange(r)
        return index[back], rank[back], grade[back]

    def chunk_size(self) -> int:
        n, k = self.comp.prepared.x.shape
        size = max(1, int(8_000_000 // max(1, n * k)))
        if any(m == "copeland" for m in self._agg_methods()):
            widest = max(b.stop - b.start for b in self.comp.prepared.year_blocks)
            kids = max(len(nd.children) for nd in self.plan.nodes)
            size = min(size, max(1, int(8_000_000 // max(1, widest * widest * kids))))
        return size

    def _agg_methods(self) -> list[str]:
        out = [nd.method for nd in self.plan.nodes]
        return out + [m for m, _ in self.settings.aggregations]


def _runs(keys: npt.NDArray[np.int64]) -> Iterator[tuple[slice, int]]:
    """(slice, key) for each run of equal consecutive keys."""
    if len(keys) == 0:
        return
    cut = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts = [0, *cut.tolist()]
    stops = [*cut.tolist(), len(keys)]
    for a, b in zip(starts, stops, strict=True):
        yield slice(a, b), int(keys[a])


def _eligible_exclusions(spec: IndexSpec) -> list[int]:
    """Indicators that can be left out without leaving their group with no weight."""
    out = []
    for j, ind in enumerate(spec.indicators):
        others = [i.weight for i in spec.indicators if i.group == ind.group and i.name != ind.name]
        others += [g.weight for g in spec.groups if g.parent == ind.group]
        if sum(others) > 0:
            out.append(j)
    return out


def _progress(total: int, show: bool | None, label: str) -> Any:
    if show is None:
        show = sys.stderr.isatty()
    if not show:
        return None
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    prog = Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
    )
    return prog


def _chunks(total: int, size: int) -> Iterator[slice]:
    for a in range(0, total, size):
        yield slice(a, min(total, a + size))


def _stream(
    model: _Model,
    d: _Draws,
    on_chunk: Callable[[slice, Array, Array, npt.NDArray[np.int8]], None],
    *,
    progress: bool | None,
    label: str,
    chunk: int | None = None,
) -> None:
    total = len(d)
    size = chunk or model.chunk_size()
    prog = _progress(total, progress, label)
    if prog is None:
        for sl in _chunks(total, size):
            on_chunk(sl, *model.run(d.take(sl)))
        return
    with prog:
        task = prog.add_task(label, total=total)
        for sl in _chunks(total, size):
            on_chunk(sl, *model.run(d.take(sl)))
            prog.advance(task, sl.stop - sl.start)


def _tier_ok(
    comp: Composite, shares: Any, rule: PoleRule | None, share_col: str
) -> npt.NDArray[np.bool_]:
    rule = rule or comp.spec.poles
    nw_s = as_narwhals(shares, source="shares")
    require_columns(nw_s, ["region", "year", share_col], source="shares")
    s = collect_polars(nw_s.select("region", "year", share_col))
    look = {(str(r), None if y is None else int(y)): v for r, y, v in s.iter_rows()}
    p = comp.prepared
    out = []
    for r, y in zip(p.regions, p.years, strict=True):
        tier = rule.tier_of(look.get((r, y)))
        out.append(tier is not None and tier in rule.top_tiers)
    return np.array(out, dtype=bool)


def _quantile_from_counts(counts: npt.NDArray[np.int64], q: float) -> Array:
    """np.quantile (linear) of integer values 0..m given their counts per row."""
    total = counts.sum(axis=1)
    cum = np.cumsum(counts, axis=1)
    h = (total - 1) * q
    lo = np.floor(h).astype(np.int64)
    hi = np.minimum(lo + 1, total - 1)
    vlo = (cum <= lo[:, None]).sum(axis=1)
    vhi = (cum <= hi[:, None]).sum(axis=1)
    out = vlo + (h - lo) * (vhi - vlo)
    return np.where(total > 0, out, np.nan)


@dataclass
class UncertaintyResult:
    """Outcome of :func:`uncertainty`.

    Attributes
    ----------
    summary
        One row per region-year: ``region, year, index, grade, rank`` (nominal),
        ``rank_median, rank_p05, rank_p95``, ``grade_<label>`` (share of replications
        with that grade), ``candidate`` (share as a growth-pole candidate, with shares).
    draws
        One row per replication: its choice for every uncertain input.
    ranks
        (replications, region-years) ranks of the kept replications (the first ones);
        rows in ``rows`` order.
    index
        (replications, region-years) index values of the kept replications.
    """

    summary: pl.DataFrame
    draws: pl.DataFrame
    ranks: npt.NDArray[np.int32] | None
    index: Array | None
    rows: list[tuple[str, int | None]]
    seed: int | None
    _model: _Model = field(repr=False)
    _draws: _Draws = field(repr=False)

    def spec_of(self, r: int) -> IndexSpec:
        """The full spec of replication ``r`` (rating it reproduces the replication)."""
        if not 0 <= r < len(self._draws):
            raise IndexError(f"replication {r} is out of range (0..{len(self._draws) - 1})")
        return self._model.spec_of(self._draws, r)


def _draw(model: _Model, n: int, rng: np.random.Generator) -> _Draws:
    st = model.settings
    e = len(model.edge_names)
    noise = (
        rng.uniform(1 - st.weight_noise, 1 + st.weight_noise, size=(n, e))
        if st.weight_noise > 0
        else np.ones((n, e))
    )

    def pick(k: int) -> npt.NDArray[np.int64]:
        return rng.integers(0, k, size=n) if k > 1 else np.zeros(n, dtype=np.int64)

    excl = pick(len(model.eligible) + 1) - 1 if st.exclude else np.full(n, -1, dtype=np.int64)
    return _Draws(
        noise,
        pick(len(model.norm_opts)),
        pick(len(model.agg_opts)),
        pick(len(model.imp_opts)),
        pick(len(model.treat_opts)),
        excl.astype(np.int64),
    )


def _draws_frame(model: _Model, d: _Draws) -> pl.DataFrame:
    def name(opt: Any) -> str:
        if opt is None:
            return "spec"
        if isinstance(opt, tuple):
            return opt[0] + ("" if not opt[1] else str(dict(opt[1])))
        return str(opt)

    cols: dict[str, Any] = {"replication": np.arange(len(d))}
    cols["normalisation"] = [name(model.norm_opts[i]) for i in d.norm.tolist()]
    cols["aggregation"] = [name(model.agg_opts[i]) for i in d.agg.tolist()]
    cols["imputation"] = [name(model.imp_opts[i]) for i in d.imp.tolist()]
    cols["treatment"] = [name(model.treat_opts[i]) for i in d.treat.tolist()]
    cols["excluded"] = [
        None if i < 0 else model.spec.indicators[model.eligible[i]].name for i in d.excl.tolist()
    ]
    w = model.weights(d)
    for j, nm in enumerate(model.edge_names):
        cols[f"w_{nm}"] = w[:, j]
    return pl.DataFrame(cols)


def uncertainty(
    comp: Composite,
    n: int = 1000,
    *,
    settings: Uncertainties | None = None,
    seed: int | None = 0,
    shares: Any = None,
    rule: PoleRule | None = None,
    share: str = "share_of_national",
    keep: bool | int | None = None,
    progress: bool | None = None,
    chunk: int | None = None,
) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis of a composite's ranks and grades.

    Parameters
    ----------
    comp
        The nominal composite (:meth:`Composite.build`).
    n
        Number of replications.
    settings
        The uncertain inputs (default: weights ± 25 %).
    seed
        Seed of the random generator (same seed, same replications).
    shares, rule, share
        Optional frame ``region, year, share_of_national`` and pole rule (default: the
        spec's): adds how often each region-year is a growth-pole candidate.
    keep
        Keep every replication's ranks and index (``True``), none (``False``), or those of
        the first ``keep`` replications (an integer). Default: all when under 20 million
        cells, else none.
    progress
        Show a progress bar (default: when stderr is a terminal).
    chunk
        Replications per vectorised chunk (default: sized to ~64 MB per array).

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole.composite import Composite
    >>> from growthpole.specs import Group, IndexSpec, Indicator
    >>> spec = IndexSpec("t", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
    >>> d = pl.DataFrame({"region": ["x", "x", "y", "y"], "year": 2020,
    ...                   "indicator": ["a", "b"] * 2, "value": [9.0, 1.0, 5.0, 5.0]})
    >>> res = uncertainty(Composite.build(d, spec), 100, seed=0, progress=False)
    >>> # x's nominal index is exactly 60, the lower bound of A: A in about half the runs
    >>> res.summary.select("region", "rank", "rank_median", "grade_A").rows()
    [('y', 1, 1.0, 1.0), ('x', 2, 2.0, 0.49)]
    >>> res.spec_of(0).indicators[0].weight != 1.0
    True
    """
    if n < 1:
        raise InputError(f"the number of replications must be at least 1; {n} was given")
    settings = settings or Uncertainties()
    model = _Model(comp, settings)
    rng = np.random.default_rng(seed)
    d = _draw(model, n, rng)
    p = comp.prepared
    rows = len(p.regions)
    if keep is None:
        keep = n * rows <= 20_000_000
    n_keep = n if keep is True else 0 if keep is False else max(0, min(n, int(keep)))
    width = max(b.stop - b.start for b in p.year_blocks)
    rank_counts = np.zeros((rows, width + 1), dtype=np.int64)
    nb = len(comp.spec.scale.bands)
    grade_counts = np.zeros((rows, nb + 1), dtype=np.int64)
    tier_ok = None if shares is None else _tier_ok(comp, shares, rule, share)
    min_code = comp.spec.scale.rank_of((rule or comp.spec.poles).min_grade)
    cand = np.zeros(rows, dtype=np.int64)
    ranks_all = np.zeros((n_keep, rows), dtype=np.int32) if n_keep else None
    index_all = np.zeros((n_keep, rows)) if n_keep else None
    ar = np.arange(rows)

    def on_chunk(sl: slice, index: Array, rank: Array, grade: npt.NDArray[np.int8]) -> None:
        ri = np.where(np.isnan(rank), 0, rank).astype(np.int64)
        w1 = width + 1
        rank_counts[:] += np.bincount((ar[None, :] * w1 + ri).ravel(), minlength=rows * w1).reshape(
            rows, w1
        )
        g1 = nb + 1
        grade_counts[:] += np.bincount(
            (ar[None, :] * g1 + grade.astype(np.int64) + 1).ravel(), minlength=rows * g1
        ).reshape(rows, g1)
        if tier_ok is not None:
            cand[:] += ((grade >= min_code) & tier_ok[None, :]).sum(axis=0)
        if ranks_all is not None and index_all is not None and sl.start < n_keep:
            m = min(sl.stop, n_keep) - sl.start
            ranks_all[sl.start : sl.start + m] = ri[:m]
            index_all[sl.start : sl.start + m] = index[:m]

    _stream(model, d, on_chunk, progress=progress, label="uncertainty", chunk=chunk)
    counts = rank_counts[:, 1:]
    nominal = comp.ratings
    cols: dict[str, Any] = {
        "rank_median": _quantile_from_counts(counts, 0.5) + 1,
        "rank_p05": _quantile_from_counts(counts, 0.05) + 1,
        "rank_p95": _quantile_from_counts(counts, 0.95) + 1,
    }
    for b, label in enumerate(comp.spec.scale.labels):
        cols[f"grade_{label}"] = grade_counts[:, b + 1] / n
    if tier_ok is not None:
        cols["candidate"] = cand / n
    stats = pl.DataFrame({"region": p.regions, "year": pl.Series(p.years, dtype=pl.Int64), **cols})
    idx = comp.spec.index_name
    summary = nominal.select("region", "year", idx, "grade", "rank").join(
        stats, on=["region", "year"], how="left", nulls_equal=True
    )
    return UncertaintyResult(
        summary=summary,
        draws=_draws_frame(model, d),
        ranks=ranks_all,
        index=index_all,
        rows=list(zip(p.regions, p.years, strict=True)),
        seed=seed,
        _model=model,
        _draws=d,
    )


# -- sensitivity -------------------------------------------------------------------------
@dataclass
class SensitivityResult:
    """Outcome of :func:`sensitivity`: Sobol indices of the mean absolute rank shift.

    ``indices`` has one row per uncertain input: ``factor, first_order, total,
    first_order_low, first_order_high, total_low, total_high`` (95 % bootstrap intervals);
    ``outputs`` the model output of every run (A, B and the A_B^i matrices).
    """

    indices: pl.DataFrame
    outputs: Array
    variance: float
    n: int


def _mean_shift(rank: Array, nominal: Array) -> Array:
    diff = np.abs(rank - nominal[None, :])
    return np.nanmean(diff, axis=1)


def jansen(ya: Array, yb: Array, yab: Array) -> tuple[Array, Array, float]:
    """Jansen's estimators of first-order and total Sobol indices (Saltelli et al. 2010).

    ``ya``, ``yb``: outputs on the rows of A and B (n); ``yab``: outputs on A_B^i (k, n).
    Returns ``(S, S_T, V)`` with ``V`` the variance of the outputs of A and B together.

    Examples
    --------
    >>> ya, yb = np.array([0.0, 1.0, 2.0, 3.0]), np.array([3.0, 2.0, 1.0, 0.0])
    >>> s1, st, v = jansen(ya, yb, np.array([yb]))  # tiny samples overshoot 1
    >>> s1.tolist(), st.tolist(), v
    ([1.0], [2.0], 1.25)
    """
    var = float(np.var(np.concatenate([ya, yb])))
    k = yab.shape[0]
    if var == 0:
        return np.zeros(k), np.zeros(k), 0.0
    s1 = (var - 0.5 * ((yb[None, :] - yab) ** 2).mean(axis=1)) / var
    st = 0.5 * ((ya[None, :] - yab) ** 2).mean(axis=1) / var
    return s1, st, var


def sensitivity(
    comp: Composite,
    n: int = 256,
    *,
    settings: Uncertainties | None = None,
    seed: int | None = 0,
    bootstrap: int = 200,
    progress: bool | None = None,
    chunk: int | None = None,
) -> SensitivityResult:
    """Sobol first-order and total indices of the mean absolute rank shift.

    The output of a run is the mean over region-years of ``|rank - nominal rank|``
    (COINr's "average rank change"). Saltelli's design: two quasi-random (scrambled
    Sobol) matrices A and B of ``n`` rows, one column per uncertain input, and for each
    input i the matrix A with column i from B — ``n (k + 2)`` runs. Jansen's estimators:
    ``S_i = (V - mean((f(B) - f(A_B^i))^2) / 2) / V`` and
    ``S_Ti = mean((f(A) - f(A_B^i))^2) / 2 / V``, with V the variance of f over A and B.
    A column maps to an input's options by ``floor(u * options)``; for the weights, to
    one of ``n`` noisy weight sets drawn beforehand.

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole.composite import Composite
    >>> from growthpole.specs import Group, IndexSpec, Indicator
    >>> spec = IndexSpec("t", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
    >>> d = pl.DataFrame({"region": ["x", "x", "y", "y"], "year": 2020,
    ...                   "indicator": ["a", "b"] * 2, "value": [9.0, 1.0, 5.0, 5.0]})
    >>> s = sensitivity(Composite.build(d, spec), 16, progress=False, bootstrap=0)
    >>> s.indices["factor"].to_list(), len(s.outputs)
    (['weights'], 48)
    """
    settings = settings or Uncertainties()
    model = _Model(comp, settings)
    factors = settings.factors()
    k = len(factors)
    if k == 0:
        raise SpecError("nothing is uncertain: give weight noise or alternative methods.")
    if n < 2:
        raise InputError(f"the sensitivity analysis needs n >= 2; {n} was given")
    from scipy.stats import qmc

    rng = np.random.default_rng(seed)
    sob = qmc.Sobol(d=2 * k, scramble=True, seed=rng)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        u = sob.random(n)
    a, b = u[:, :k], u[:, k:]
    mats = [a, b]
    for i in range(k):
        ab = a.copy()
        ab[:, i] = b[:, i]
        mats.append(ab)
    design = np.vstack(mats)
    e = len(model.edge_names)
    noise_sets = (
        rng.uniform(1 - settings.weight_noise, 1 + settings.weight_noise, size=(n, e))
        if settings.weight_noise > 0
        else np.ones((n, e))
    )
    total = design.shape[0]
    d = _Draws.nominal(total, e)

    def idx(col: Array, m: int) -> npt.NDArray[np.int64]:
        return np.minimum((col * m).astype(np.int64), m - 1)

    for c, f in enumerate(factors):
        col = design[:, c]
        if f == "weights":
            d.noise = noise_sets[idx(col, n)]
        elif f == "normalisation":
            d.norm = idx(col, len(model.norm_opts))
        elif f == "aggregation":
            d.agg = idx(col, len(model.agg_opts))
        elif f == "imputation":
            d.imp = idx(col, len(model.imp_opts))
        elif f == "treatment":
            d.treat = idx(col, len(model.treat_opts))
        elif f == "exclusion":
            d.excl = idx(col, len(model.eligible) + 1) - 1
    nominal = comp.core.rank[0]
    y = np.empty(total)

    def on_chunk(sl: slice, index: Array, rank: Array, grade: Any) -> None:
        y[sl] = _mean_shift(rank, nominal)

    _stream(model, d, on_chunk, progress=progress, label="sensitivity", chunk=chunk)
    ya, yb = y[:n], y[n : 2 * n]
    yab = y[2 * n :].reshape(k, n)

    def estimate(sel: npt.NDArray[np.int64]) -> tuple[Array, Array, float]:
        return jansen(ya[sel], yb[sel], yab[:, sel])

    s1, st, var = estimate(np.arange(n))
    boots = [estimate(rng.integers(0, n, size=n)) for _ in range(bootstrap)]
    cols: dict[str, Any] = {"factor": factors, "first_order": s1, "total": st}
    if boots:
        b1 = np.array([x[0] for x in boots])
        bt = np.array([x[1] for x in boots])
        cols |= {
            "first_order_low": np.quantile(b1, 0.025, axis=0),
            "first_order_high": np.quantile(b1, 0.975, axis=0),
            "total_low": np.quantile(bt, 0.025, axis=0),
            "total_high": np.quantile(bt, 0.975, axis=0),
        }
    return SensitivityResult(pl.DataFrame(cols), y, var, n)


def leave_one_out(comp: Composite, *, progress: bool | None = False) -> pl.DataFrame:
    """Rank shift of every region-year when each indicator in turn is left out.

    Returns ``indicator, region, year, rank, rank_without, shift`` where ``shift =
    rank - rank_without`` (positive: the region moves up without the indicator). An
    indicator that is alone in its group cannot be left out and is skipped.

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole.composite import Composite
    >>> from growthpole.specs import Group, IndexSpec, Indicator
    >>> spec = IndexSpec("t", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
    >>> d = pl.DataFrame({"region": ["x", "x", "y", "y"], "year": 2020,
    ...                   "indicator": ["a", "b"] * 2, "value": [9.0, 1.0, 5.0, 5.0]})
    >>> leave_one_out(Composite.build(d, spec)).select("indicator", "region", "shift").rows()
    [('a', 'y', 0), ('a', 'x', 0), ('b', 'y', -1), ('b', 'x', 1)]
    """
    model = _Model(comp, Uncertainties(weight_noise=0.0, exclude=True))
    m = len(model.eligible)
    d = _Draws.nominal(m, len(model.edge_names))
    d.excl = np.arange(m, dtype=np.int64)
    out_rank = np.empty((m, len(comp.prepared.regions)))

    def on_chunk(sl: slice, index: Array, rank: Array, grade: Any) -> None:
        out_rank[sl] = rank

    _stream(model, d, on_chunk, progress=progress, label="leave one out")
    p = comp.prepared
    nominal = comp.core.rank[0]
    frames = []
    for t, j in enumerate(model.eligible):
        frames.append(
            pl.DataFrame(
                {
                    "indicator": comp.spec.indicators[j].name,
                    "region": p.regions,
                    "year": pl.Series(p.years, dtype=pl.Int64),
                    "rank": pl.Series(nominal).fill_nan(None).cast(pl.Int64),
                    "rank_without": pl.Series(out_rank[t]).fill_nan(None).cast(pl.Int64),
                }
            )
        )
    out = pl.concat(frames).with_columns((pl.col("rank") - pl.col("rank_without")).alias("shift"))
    return out.sort("indicator", "year", "rank", "region", nulls_last=True)
