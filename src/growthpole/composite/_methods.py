"""The maths of the composite engine on NumPy arrays, vectorised over leading axes.

Every function here works on arrays whose last two axes are ``(units, columns)``; any
leading axes (typically replications of a Monte Carlo run) are carried along, so one call
computes every replication at once. The single-spec rating is the same code with one
replication: there is no second code path for the maths.

Reductions over units are taken on a contiguous copy with the units last, so that a
column gives bit-for-bit the same result whatever else is stacked beside it.

Examples
--------
>>> import numpy as np
>>> normalise_columns(np.array([[1.0], [3.0], [2.0]]), "min_max", "higher", {}).ravel().tolist()
[0.0, 100.0, 50.0]
>>> aggregate_rows(np.array([[4.0, 1.0]]), np.array([1.0, 1.0]), "geometric", {}).tolist()
[2.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "ColumnError",
    "aggregate_rows",
    "copeland_scores",
    "normalise_columns",
    "rank_min",
]

Array = npt.NDArray[np.float64]


class ColumnError(ValueError):
    """A normalisation cannot be computed for column ``column`` (index into the columns)."""

    def __init__(self, column: int, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


# -- reductions over units (axis -2), independent of the other axes ---------------------
def _units_last(x: Array) -> Array:
    return np.ascontiguousarray(np.moveaxis(x, -2, -1))


def _count(x: Array) -> Array:
    return (~np.isnan(x)).sum(axis=-2, keepdims=True)


def _nanmax(x: Array) -> Array:
    with np.errstate(invalid="ignore"):
        out = np.fmax.reduce(x, axis=-2, keepdims=True)
    return out


def _nanmin(x: Array) -> Array:
    return np.fmin.reduce(x, axis=-2, keepdims=True)


def _nanmean(x: Array) -> Array:
    t = _units_last(x)
    s = np.where(np.isnan(t), 0.0, t).sum(axis=-1)
    n = (~np.isnan(t)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = s / n
    return m[..., None, :]


def _nanstd(x: Array, mean: Array) -> Array:
    """Sample standard deviation (n - 1), as R's ``sd`` and Excel's STDEV."""
    t = _units_last(x - mean)
    s = np.where(np.isnan(t), 0.0, t * t).sum(axis=-1)
    n = (~np.isnan(t)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = s / (n - 1)
    return np.sqrt(v)[..., None, :]


def rank_min(x: Array, axis: int = -2) -> Array:
    """Ascending rank along ``axis`` (1 = smallest), ties share the lowest rank; NaN stays NaN.

    Examples
    --------
    >>> rank_min(np.array([3.0, 1.0, 3.0, np.nan]), axis=0).tolist()
    [2.0, 1.0, 2.0, nan]
    """
    a = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    nan = np.isnan(a)
    filled = np.ascontiguousarray(np.where(nan, np.inf, a))
    order = np.argsort(filled, axis=-1)
    s = np.take_along_axis(filled, order, axis=-1)
    n = a.shape[-1]
    pos = np.broadcast_to(np.arange(n), s.shape)
    new = np.ones(s.shape, dtype=bool)
    new[..., 1:] = s[..., 1:] != s[..., :-1]
    start = np.maximum.accumulate(np.where(new, pos, 0), axis=-1)
    ranks = np.empty(s.shape, dtype=np.float64)
    np.put_along_axis(ranks, order, (start + 1).astype(np.float64), axis=-1)
    ranks[nan] = np.nan
    return np.moveaxis(ranks, -1, axis)


def _bad_columns(mask: npt.NDArray[np.bool_]) -> int:
    """First column index (last axis) where ``mask`` (…, 1, k) is true anywhere."""
    cols = mask.reshape(-1, mask.shape[-1]).any(axis=0)
    return int(np.argmax(cols))


def _check(mask: Any, message: str) -> None:
    if mask.any():
        raise ColumnError(_bad_columns(mask), message)


def normalise_columns(
    x: Array,
    method: str,
    direction: str,
    params: Mapping[str, Any],
    *,
    reference_row: int | None = None,
) -> Array:
    """Normalise each column of ``x`` (…, units, columns) over the units.

    ``direction`` is ``"higher"`` or ``"lower"`` (a lower raw value is better); the
    methods and their parameters are those of :data:`growthpole.specs.NORMALISE_PARAMS`
    and are described in ``docs/composite.md``. Missing values (NaN) stay missing.

    Raises
    ------
    ColumnError
        When a column cannot be normalised (e.g. a leader of 0, no spread, negative values
        for a ratio method); ``.column`` says which.

    Examples
    --------
    >>> x = np.array([[2.0], [4.0], [1.0]])
    >>> normalise_columns(x, "fraction_of_max", "lower", {}).ravel().tolist()
    [50.0, 25.0, 100.0]
    >>> normalise_columns(x, "borda", "higher", {}).ravel().tolist()
    [1.0, 2.0, 0.0]
    """
    x = np.asarray(x, dtype=np.float64)
    hi = direction == "higher"
    p = dict(params)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = _nanmax(x)
        _check(np.isnan(mx), "every value is missing; there is nothing to normalise")
        if method == "fraction_of_max":
            # NaN compares false, so missing values never trip these checks
            _check(
                (x < 0).any(axis=-2, keepdims=True),
                "negative value; the fraction-of-leader score (formula 1) needs values >= 0 — "
                "shift or use another normalisation",
            )
            if hi:
                _check(mx == 0, "the leader's value is 0, so every score would be 0/0")
                return 100.0 * x / mx
            _check(
                (x == 0).any(axis=-2, keepdims=True),
                "a value of 0 where lower is better; min/x is undefined — use another "
                "normalisation",
            )
            return 100.0 * _nanmin(x) / x
        if method in ("min_max", "distance_to_max"):
            mn = _nanmin(x)
            _check(mx == mn, "every value is the same; min-max has no spread to scale")
            out = x - mn if hi else mx - x
            if method == "distance_to_max":
                out *= float(p.get("scale", 100.0)) / (mx - mn)
                return out
            low, high = float(p.get("low", 0.0)), float(p.get("high", 100.0))
            out *= (high - low) / (mx - mn)
            out += low
            return out
        if method == "z_score":
            m = _nanmean(x)
            s = _nanstd(x, m)
            _check(~(s > 0), "the standard deviation is 0 (or under two values); no z-score")
            out = x - m if hi else m - x
            out *= float(p.get("sd", 1.0)) / s
            out += float(p.get("mean", 0.0))
            return out
        if method in ("scaled", "goalposts"):
            low, high = float(p["low"]), float(p["high"])
            if not high > low:
                raise ColumnError(0, f"{method}: high ({high}) must be above low ({low})")
            v = np.clip(x, low, high) if method == "goalposts" else x
            frac = (v - low) / (high - low) if hi else (high - v) / (high - low)
            return float(p.get("scale", 100.0)) * frac
        if method == "distance_to_reference":
            if reference_row is None:
                raise ColumnError(0, f"reference unit {p.get('reference')!r} is not in the data")
            ref = x[..., reference_row : reference_row + 1, :]
            _check(np.isnan(ref), f"reference unit {p.get('reference')!r} has no value")
            _check(ref == 0, f"reference unit {p.get('reference')!r} has a value of 0")
            scale = float(p.get("scale", 100.0))
            return scale * x / ref if hi else scale * ref / x
        if method == "distance_to_target":
            target = float(p["target"])
            cap = float(p.get("cap", 1.0))
            scale = float(p.get("scale", 100.0))
            if hi:
                mn = _nanmin(x)
                _check(mn >= target, f"the target {target:g} is not above the lowest value")
                frac = (x - mn) / (target - mn)
            else:
                mx = _nanmax(x)
                _check(mx <= target, f"the target {target:g} is not below the highest value")
                frac = (mx - x) / (mx - target)
            if cap > 0:
                frac = np.minimum(frac, cap)
            return scale * frac
        if method in ("rank", "borda", "percentile_rank"):
            r = rank_min(x if hi else -x, axis=-2)
            if method == "rank":
                return r
            if method == "borda":
                return r - 1.0
            n = _count(x).astype(np.float64)
            return float(p.get("scale", 100.0)) * (r - 1.0) / (n - 1.0)
    raise ColumnError(0, f"unknown normalisation {method!r}")


def aggregate_rows(
    values: Array,
    weights: Array,
    method: str,
    params: Mapping[str, Any],
    *,
    min_availability: float = 0.0,
) -> Array:
    """Aggregate the last axis of ``values`` (…, units, children) with ``weights`` (…, children).

    Missing children are skipped and the weights re-normalised over those present; a row
    with a share of children present below ``min_availability`` is missing. Copeland is
    not row-wise: use :func:`copeland_scores`.

    Examples
    --------
    >>> v = np.array([[1.0, 4.0], [2.0, np.nan]])
    >>> aggregate_rows(v, np.array([1.0, 3.0]), "arithmetic", {}).tolist()
    [3.25, 2.0]
    >>> aggregate_rows(v, np.array([1.0, 1.0]), "harmonic", {}, min_availability=1).tolist()
    [1.6, nan]
    """
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)[..., None, :]
    present = ~np.isnan(v)
    if method == "arithmetic" and present.all():
        # no missing child: the same sums as below without the masks (bit for bit)
        total = np.broadcast_to(w, v.shape).sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = (v * w).sum(axis=-1) / total
        return np.where(total > 0, out, np.nan)
    weff = np.where(present, w, 0.0)
    total = weff.sum(axis=-1)
    used = weff > 0
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if method == "arithmetic":
            out = (np.where(present, v, 0.0) * weff).sum(axis=-1) / total
        elif method in ("geometric", "harmonic", "generalised"):
            if (np.where(used, v, 0.0) < 0).any():
                raise ValueError(
                    f"a negative value cannot enter a {method} mean; normalise to "
                    "non-negative values (e.g. min_max with low = 1) first"
                )
            if method == "geometric":
                logs = np.where(used, np.log(np.where(used, v, 1.0)), 0.0)
                out = np.exp((weff * logs).sum(axis=-1) / total)
            elif method == "harmonic":
                inv = np.where(used, weff / np.where(used, v, 1.0), 0.0)
                out = total / inv.sum(axis=-1)
            else:
                pw = float(params.get("p", 2.0))
                if pw == 0:
                    raise ValueError("the generalised mean needs p != 0 (p = 0 is geometric)")
                powv = np.where(used, np.where(used, v, 1.0) ** pw, 0.0)
                out = ((weff * powv).sum(axis=-1) / total) ** (1.0 / pw)
        elif method == "median":
            out = _weighted_median(v, weff, total)
        else:
            raise ValueError(f"unknown row-wise aggregation {method!r}")
        out = np.where(total > 0, out, np.nan)
    if min_availability > 0:
        share = present.sum(axis=-1) / v.shape[-1]
        out = np.where(share < min_availability, np.nan, out)
    return out


def _weighted_median(v: Array, weff: Array, total: Array) -> Array:
    """Weighted median of each row.

    The smallest value whose cumulative weight share reaches 1/2; when it reaches exactly
    1/2, the mean of that value and the next one with weight.
    """
    key = np.where(weff > 0, v, np.inf)
    order = np.argsort(key, axis=-1, kind="stable")
    sv = np.take_along_axis(key, order, axis=-1)
    sw = np.take_along_axis(weff, order, axis=-1)
    cum = np.cumsum(sw, axis=-1) / total[..., None]
    tol = 1e-12
    reach = cum >= 0.5 - tol
    i = np.argmax(reach, axis=-1)[..., None]
    lower = np.take_along_axis(sv, i, axis=-1)[..., 0]
    exact = np.abs(np.take_along_axis(cum, i, axis=-1)[..., 0] - 0.5) <= tol
    k = np.arange(sv.shape[-1])
    after = (k > i) & (sw > 0)
    has_next = after.any(axis=-1)
    j = np.argmax(after, axis=-1)[..., None]
    upper = np.take_along_axis(sv, j, axis=-1)[..., 0]
    return np.where(exact & has_next, (lower + upper) / 2.0, lower)


def copeland_scores(values: Array, weights: Array, *, min_availability: float = 0.0) -> Array:
    """Copeland (outranking) scores of the units (axis -2) of one block.

    For units a and b, ``e_ab`` is the weight share of the children (present for both)
    where a is above b, plus half the share where they tie (the OECD/JRC Handbook's
    outranking matrix). a beats b when ``e_ab > 1/2``. The score is wins minus losses.

    Examples
    --------
    >>> v = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])
    >>> copeland_scores(v, np.array([1.0, 1.0])).tolist()
    [0.0, 0.0, 0.0]
    >>> copeland_scores(v, np.array([2.0, 1.0])).tolist()
    [2.0, 0.0, -2.0]
    """
    v = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    a = v[..., :, None, :]
    b = v[..., None, :, :]
    both = ~np.isnan(a) & ~np.isnan(b)
    wb = np.where(both, w[..., None, None, :], 0.0)
    tot = wb.sum(axis=-1)
    gt = np.where(a > b, wb, 0.0).sum(axis=-1)
    eq = np.where(a == b, wb, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        e = (gt + 0.5 * eq) / tot
    e = np.where(tot > 0, e, 0.5)
    score = np.sign(e - 0.5).sum(axis=-1)
    present = ~np.isnan(v)
    out = np.where(present.any(axis=-1), score, np.nan)
    if min_availability > 0:
        share = present.sum(axis=-1) / v.shape[-1]
        out = np.where(share < min_availability, np.nan, out)
    return out
