"""Checks and statistical coherence of a composite indicator.

One long table, one row per finding: ``section, item, other, year, value, flag``.

* ``unit_availability`` — share of a unit-year's indicators with data (flag
  ``below screening`` when under the spec's threshold);
* ``indicator`` rows — ``availability``, ``zeros`` (share), ``unique`` (count),
  ``skew`` and ``kurtosis`` (Excel's SKEW/KURT) per indicator and year, flag ``outlier``
  under COINr's rule (``|skew| >= 2`` and ``kurtosis >= 3.5``);
* ``pearson`` / ``spearman`` — correlations between the children of each group, flags
  ``collinear`` (> 0.9) and ``negative`` (< -0.4);
* ``parent_pearson`` / ``index_pearson`` — each indicator's and group's correlation with
  its parent and with the index, flag ``weak`` (< 0.2);
* ``cronbach_alpha`` per group (flag ``low`` below 0.7), ``pca_variance`` (share of the
  variance on the first principal component) and ``pca_eigen_gt1`` per group;
* ``effective_weight`` of every indicator and group in the index.

Correlations are over all unit-years with data for both variables (pooled).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl

from growthpole.composite._treat import kurt, skew

if TYPE_CHECKING:
    from growthpole.composite.pipeline import Composite

__all__ = ["cronbach_alpha", "diagnostics"]

Array = npt.NDArray[np.float64]

SCHEMA = {
    "section": pl.String,
    "item": pl.String,
    "other": pl.String,
    "year": pl.Int64,
    "value": pl.Float64,
    "flag": pl.String,
}


def cronbach_alpha(values: Array) -> float:
    """Cronbach's alpha of the columns of ``values`` (rows with any missing value dropped).

    ``k / (k - 1) * (1 - sum(var_i) / var(sum_i))`` with sample variances.

    Examples
    --------
    >>> round(cronbach_alpha(np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 5.0]])), 4)
    0.9474
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v).any(axis=1)]
    k = v.shape[1]
    if k < 2 or v.shape[0] < 2:
        return float("nan")
    tot = v.sum(axis=1).var(ddof=1)
    if tot == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - v.var(axis=0, ddof=1).sum() / tot))


def _corr(a: Array, b: Array) -> float:
    ok = ~np.isnan(a) & ~np.isnan(b)
    if ok.sum() < 3:
        return float("nan")
    x, y = a[ok] - a[ok].mean(), b[ok] - b[ok].mean()
    d = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / d) if d > 0 else float("nan")


def _spearman(a: Array, b: Array) -> float:
    ok = ~np.isnan(a) & ~np.isnan(b)
    if ok.sum() < 3:
        return float("nan")
    return _corr(_avg_rank(a[ok]), _avg_rank(b[ok]))


def _avg_rank(x: Array) -> Array:
    """Ranks with ties given their average rank (as in Spearman's coefficient)."""
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x))
    sx = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and sx[j + 1] == sx[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def diagnostics(
    comp: Composite,
    *,
    collinear: float = 0.9,
    negative: float = -0.4,
    weak: float = 0.2,
    low_alpha: float = 0.7,
) -> pl.DataFrame:
    """All checks of ``comp`` as one long table (see the module documentation).

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole.composite import Composite
    >>> from growthpole.specs import Group, IndexSpec, Indicator
    >>> spec = IndexSpec("t", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
    >>> d = pl.DataFrame({"region": list("pqrs") * 2, "year": 2020,
    ...                   "indicator": ["a"] * 4 + ["b"] * 4,
    ...                   "value": [1.0, 2.0, 3.0, 4.0, 2.0, 1.0, 4.0, 3.0]})
    >>> t = diagnostics(Composite.build(d, spec))
    >>> t.filter(pl.col("section") == "pearson").select("item", "other", "value").rows()
    [('a', 'b', 0.6)]
    """
    p, plan, spec = comp.prepared, comp.plan, comp.spec
    rows: list[dict[str, Any]] = []

    def add(section: str, item: str, other: Any, year: Any, value: float, flag: str | None) -> None:
        v = None if value is None or np.isnan(value) else float(value)
        rows.append(
            {
                "section": section,
                "item": item,
                "other": other,
                "year": year,
                "value": v,
                "flag": flag,
            }
        )

    raw = p.raw
    avail = (~np.isnan(raw)).mean(axis=1)
    for i, (reg, y) in enumerate(zip(p.regions, p.years, strict=True)):
        flag = "below screening" if avail[i] < spec.screening else None
        add("unit_availability", reg, None, y, avail[i], flag)
    for blk in p.year_blocks:
        yr = p.years[blk.start]
        for j, name in enumerate(plan.names):
            col = raw[blk, j]
            ok = col[~np.isnan(col)]
            add("indicator", name, "availability", yr, ok.size / max(1, col.size), None)
            add(
                "indicator", name, "zeros", yr, float((ok == 0).mean()) if ok.size else np.nan, None
            )
            add(
                "indicator",
                name,
                "unique",
                yr,
                float(np.unique(ok).size),
                "few unique values" if 0 < np.unique(ok).size < 5 else None,
            )
            sk, kt = skew(ok), kurt(ok)
            out = (
                (abs(sk) >= spec.skew_threshold and kt >= spec.kurt_threshold)
                if not (np.isnan(sk) or np.isnan(kt))
                else False
            )
            add("indicator", name, "skew", yr, sk, "outlier" if out else None)
            add("indicator", name, "kurtosis", yr, kt, "outlier" if out else None)

    vals = comp.core.values[0]
    cols = plan.columns
    parent_of: dict[int, int] = {}
    for t, node in enumerate(plan.nodes):
        for c in node.children:
            parent_of[c] = plan.n_ind + t
    index_col = len(cols) - 1
    for node in plan.nodes:
        kids = list(node.children)
        for a_i, a in enumerate(kids):
            for b in kids[a_i + 1 :]:
                r = _corr(vals[:, a], vals[:, b])
                flag = "collinear" if r > collinear else "negative" if r < negative else None
                add("pearson", cols[a], cols[b], None, r, flag)
                rs = _spearman(vals[:, a], vals[:, b])
                flag = "collinear" if rs > collinear else "negative" if rs < negative else None
                add("spearman", cols[a], cols[b], None, rs, flag)
        if len(kids) >= 2:
            alpha = cronbach_alpha(vals[:, kids])
            add(
                "cronbach_alpha",
                node.name,
                None,
                None,
                alpha,
                "low" if not np.isnan(alpha) and alpha < low_alpha else None,
            )
            c = vals[:, kids]
            c = c[~np.isnan(c).any(axis=1)]
            if c.shape[0] >= 3 and (c.std(axis=0) > 0).all():
                ev = np.linalg.eigvalsh(np.corrcoef(c, rowvar=False))
                add("pca_variance", node.name, None, None, float(ev.max() / ev.sum()), None)
                add("pca_eigen_gt1", node.name, None, None, float((ev > 1).sum()), None)
    for c in range(index_col):
        par = parent_of.get(c)
        if par is not None:
            r = _corr(vals[:, c], vals[:, par])
            add("parent_pearson", cols[c], cols[par], None, r, "weak" if r < weak else None)
        r = _corr(vals[:, c], vals[:, index_col])
        add("index_pearson", cols[c], cols[index_col], None, r, "weak" if r < weak else None)
    from growthpole.composite._weights import effective_weights

    for name, w in effective_weights(spec).items():
        add("effective_weight", name, None, None, w, None)
    return pl.DataFrame(rows, schema=SCHEMA)
