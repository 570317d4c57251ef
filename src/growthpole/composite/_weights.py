"""Weights: equal, effective (down the tree), PCA-based, optimised, noisy.

Weights in a spec are relative within each parent. :func:`effective_weights` gives each
indicator's (and group's) share of the final index: the product of the normalised weights
on the path from the index down to it, so the indicators' effective weights sum to 1.

Examples
--------
>>> from growthpole.specs import Group, IndexSpec, Indicator
>>> spec = IndexSpec("t", (Indicator("a", "g1"), Indicator("b", "g1", weight=3.0),
...                        Indicator("c", "g2")), (Group("g1"), Group("g2")))
>>> effective_weights(spec)
{'a': 0.125, 'b': 0.375, 'c': 0.5, 'g1': 0.5, 'g2': 0.5}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from growthpole.composite._methods import aggregate_rows
from growthpole.errors import InputError
from growthpole.specs import IndexSpec, check_literal

if TYPE_CHECKING:
    from growthpole.composite.pipeline import Composite

__all__ = [
    "effective_weights",
    "equal_weights",
    "noisy_weights",
    "optimise_weights",
    "pca_weights",
]

Array = npt.NDArray[np.float64]


def effective_weights(spec: IndexSpec) -> dict[str, float]:
    """Share of the index carried by each indicator and group (product down the tree)."""
    parent: dict[str, str] = {i.name: i.group for i in spec.indicators}
    parent |= {g.name: g.parent for g in spec.groups}
    weight: dict[str, float] = {i.name: i.weight for i in spec.indicators}
    weight |= {g.name: g.weight for g in spec.groups}
    totals: dict[str, float] = {}
    for name, par in parent.items():
        totals[par] = totals.get(par, 0.0) + weight[name]
    out: dict[str, float] = {}

    def eff(name: str) -> float:
        if name == spec.index_name:
            return 1.0
        if name not in out:
            par = parent[name]
            out[name] = weight[name] / totals[par] * eff(par)
        return out[name]

    for name in [*spec.indicator_names, *(g.name for g in spec.groups)]:
        eff(name)
    return {k: out[k] for k in [*spec.indicator_names, *(g.name for g in spec.groups)]}


def equal_weights(spec: IndexSpec) -> IndexSpec:
    """The spec with every weight (indicators and groups) set to 1.

    Examples
    --------
    >>> from growthpole.specs import Group, IndexSpec, Indicator
    >>> spec = IndexSpec("t", (Indicator("a", "g", weight=5.0),), (Group("g", 2.0),))
    >>> equal_weights(spec).indicators[0].weight, equal_weights(spec).groups[0].weight
    (1.0, 1.0)
    """
    names = [*spec.indicator_names, *(g.name for g in spec.groups)]
    return spec.with_weights(dict.fromkeys(names, 1.0))


def noisy_weights(
    spec: IndexSpec, noise: float = 0.25, n: int = 1, seed: int | None = 0
) -> list[IndexSpec]:
    """``n`` specs whose weights are multiplied by uniform factors in ``[1 - noise, 1 + noise]``.

    Examples
    --------
    >>> from growthpole.specs import Group, IndexSpec, Indicator
    >>> spec = IndexSpec("t", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
    >>> [round(i.weight, 3) for i in noisy_weights(spec, 0.5, 1, seed=3)[0].indicators]
    [0.586, 0.737]
    """
    rng = np.random.default_rng(seed)
    names = [*spec.indicator_names, *(g.name for g in spec.groups)]
    base = np.array([i.weight for i in spec.indicators] + [g.weight for g in spec.groups])
    out = []
    for _ in range(n):
        w = base * rng.uniform(1 - noise, 1 + noise, size=base.size)
        out.append(spec.with_weights(dict(zip(names, w.tolist(), strict=True))))
    return out


def _children(comp: Composite) -> list[tuple[str, list[str], Array, Any]]:
    """(group, child names, child values (rows, k), node) for every group with >= 2 children."""
    plan = comp.plan
    vals = comp.core.values[0]
    cols = plan.columns
    out = []
    for node in plan.nodes[:-1]:
        if len(node.children) < 2:
            continue
        out.append(
            (node.name, [cols[c] for c in node.children], vals[:, list(node.children)], node)
        )
    return out


def _complete(v: Array) -> Array:
    return v[~np.isnan(v).any(axis=1)]


def pca_weights(comp: Composite) -> IndexSpec:
    """Weights from the first principal component of each group's children.

    For each group, the children's values (normalised scores, or the sub-groups'
    aggregates) over all units with complete data are standardised; the weight of a
    child is its squared loading on the first principal component of their correlation
    matrix (the loadings have unit length, so the weights sum to 1). The index level is
    left as it is.

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole.composite import Composite
    >>> from growthpole.specs import Group, IndexSpec, Indicator
    >>> spec = IndexSpec("t", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
    >>> d = pl.DataFrame({"region": list("pqrs") * 2, "year": 2020,
    ...                   "indicator": ["a"] * 4 + ["b"] * 4,
    ...                   "value": [1.0, 2.0, 3.0, 4.0, 2.0, 1.0, 4.0, 3.0]})
    >>> [round(i.weight, 6) for i in pca_weights(Composite.build(d, spec)).indicators]
    [0.5, 0.5]
    """
    weights: dict[str, float] = {}
    for name, kids, v, _ in _children(comp):
        c = _complete(v)
        if c.shape[0] < 3:
            raise InputError(f"group {name!r}: fewer than 3 units with complete data for PCA")
        corr = np.corrcoef(c, rowvar=False)
        if np.isnan(corr).any():
            raise InputError(f"group {name!r}: a child has no spread, so PCA is undefined")
        vals, vecs = np.linalg.eigh(corr)
        pc1 = vecs[:, np.argmax(vals)]
        weights |= dict(zip(kids, (pc1**2).tolist(), strict=True))
    return comp.spec.with_weights(weights)


def optimise_weights(comp: Composite, target: Literal["balance", "max"] = "balance") -> IndexSpec:
    """Weights that balance (or maximise) the children's correlations with their group.

    ``balance`` minimises the spread (variance) of the Pearson correlations between each
    child and the group's aggregate, so every child "speaks" equally (COINr's
    ``get_opt_weights(optype = "balance")``); ``max`` maximises their mean. Groups are
    optimised one by one with Nelder-Mead on positive weights; the result is normalised
    to sum to 1 within each group.

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole.composite import Composite
    >>> from growthpole.specs import Group, IndexSpec, Indicator
    >>> spec = IndexSpec("t", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
    >>> d = pl.DataFrame({"region": list("pqrs") * 2, "year": 2020,
    ...                   "indicator": ["a"] * 4 + ["b"] * 4,
    ...                   "value": [1.0, 2.0, 3.0, 4.0, 2.0, 1.0, 4.0, 3.0]})
    >>> w = optimise_weights(Composite.build(d, spec), "balance")
    >>> round(sum(i.weight for i in w.indicators), 6)
    1.0
    """
    check_literal(target, Literal["balance", "max"], "target")
    from scipy.optimize import minimize

    weights: dict[str, float] = {}
    for _name, kids, v, node in _children(comp):
        c = _complete(v)
        k = len(kids)

        def objective(z: Array, c: Array = c, node: Any = node) -> float:
            w = np.abs(z) + 1e-9
            agg = aggregate_rows(c, w, node.method, node.params)
            r = np.array([_pearson(c[:, j], agg) for j in range(c.shape[1])])
            if np.isnan(r).any():
                return 1e6
            return float(np.var(r)) if target == "balance" else float(-r.mean())

        res = minimize(
            objective,
            np.ones(k),
            method="Nelder-Mead",
            options={"xatol": 1e-6, "fatol": 1e-10, "maxiter": 2000 * k},
        )
        w = np.abs(res.x) + 1e-9
        w = w / w.sum()
        weights |= dict(zip(kids, w.tolist(), strict=True))
    return comp.spec.with_weights(weights)


def _pearson(a: Array, b: Array) -> float:
    a = a - a.mean()
    b = b - b.mean()
    d = np.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / d) if d > 0 else float("nan")
