"""Imputation of missing indicator values: cross-section and over time.

Cross-section methods work within each year: ``mean`` / ``median`` of the indicator over
the units with data; ``group_mean`` / ``group_median`` over the units of the same group
(e.g. income group). Time methods work within each unit: ``latest`` carries the latest
earlier value forward; ``linear`` interpolates linearly between the nearest earlier and
later values (never extrapolates). A cell that cannot be filled stays missing.

Examples
--------
>>> import numpy as np
>>> x = np.array([[1.0], [np.nan], [5.0]])
>>> impute_matrix(x, "mean", ["a", "b", "c"], [1, 1, 1], [slice(0, 3)]).ravel().tolist()
[1.0, 3.0, 5.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["impute_matrix"]

Array = npt.NDArray[np.float64]


def impute_matrix(
    x: Array,
    method: str,
    regions: Sequence[str],
    years: Sequence[Any],
    year_blocks: Sequence[slice],
    *,
    groups: Sequence[Any] | npt.NDArray[Any] | None = None,
) -> Array:
    """Return a copy of ``x`` (rows = unit-years) with missing cells imputed by ``method``."""
    out = np.array(x, dtype=np.float64, copy=True)
    if method in ("mean", "median", "group_mean", "group_median"):
        stat = np.nanmean if method.endswith("mean") else np.nanmedian
        for b in year_blocks:
            blk = out[b]
            if method.startswith("group_"):
                if groups is None:
                    raise ValueError(f"{method} needs the units' groups")
                g = np.asarray(groups, dtype=object)[b]
                keys = [k for k in dict.fromkeys(g.tolist()) if k is not None and k == k]
                for key in keys:
                    member = np.array([v == key for v in g.tolist()])
                    _fill(blk, member, stat)
            else:
                _fill(blk, np.ones(blk.shape[0], dtype=bool), stat)
            out[b] = blk
        return out
    if method in ("latest", "linear"):
        by_unit: dict[str, list[int]] = {}
        for i, r in enumerate(regions):
            by_unit.setdefault(r, []).append(i)
        for unit_rows in by_unit.values():
            rows = sorted(unit_rows, key=lambda i: (years[i] is None, years[i]))
            t = np.array([np.nan if years[i] is None else float(years[i]) for i in rows])
            for j in range(out.shape[1]):
                col = out[rows, j]
                have = ~np.isnan(col)
                if have.all() or not have.any():
                    continue
                filled = col.copy()
                for k in np.flatnonzero(~have):
                    before = np.flatnonzero(have[:k])
                    if method == "latest":
                        if before.size:
                            filled[k] = col[before[-1]]
                        continue
                    after = np.flatnonzero(have[k + 1 :]) + k + 1
                    if before.size and after.size:
                        a, c = before[-1], after[0]
                        frac = (t[k] - t[a]) / (t[c] - t[a])
                        filled[k] = col[a] + frac * (col[c] - col[a])
                out[rows, j] = filled
        return out
    if method == "none":
        return out
    raise ValueError(f"unknown imputation {method!r}")


def _fill(blk: Array, rows: npt.NDArray[np.bool_], stat: Any) -> None:
    sub = blk[rows]
    if sub.size == 0:
        return
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            fill = stat(sub, axis=0)
    miss = np.isnan(sub)
    sub = np.where(miss, fill[None, :], sub)
    blk[rows] = sub
