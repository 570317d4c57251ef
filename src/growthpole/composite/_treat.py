"""Outlier checks and treatment: COINr's skew/kurtosis rule, winsorisation, log transform.

Skewness and kurtosis are the sample statistics of Excel's ``SKEW`` and ``KURT`` (also
e1071's type 2, which COINr uses). An indicator *fails* when ``|skew| >= 2`` AND
``kurtosis >= 3.5`` (thresholds configurable). A failing indicator is winsorised one
extreme at a time (the highest values if the skew is >= 0, else the lowest; tied extremes
together), up to ``winsor_max`` points, until it passes. If it still fails, the *original*
values are log-transformed instead: ``ln(x - min + 0.01 (max - min))`` (COINr's
``log_CT``).

Examples
--------
>>> x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100]
>>> round(skew(x), 4), round(kurt(x), 4)
(3.0632, 9.7414)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["TreatResult", "kurt", "log_ct", "passes", "skew", "treat_column", "winsorise"]

Array = npt.NDArray[np.float64]


def _clean(x: Sequence[float] | Array) -> Array:
    a = np.asarray(x, dtype=np.float64)
    return a[~np.isnan(a)]


def skew(x: Sequence[float] | Array) -> float:
    """Sample skewness as Excel's SKEW: ``n / ((n-1)(n-2)) * sum(((x - mean) / sd)^3)``.

    Missing values are ignored; NaN with fewer than 3 values or no spread.

    Examples
    --------
    >>> round(skew([3, 4, 5, 2, 3, 4, 5, 6, 4, 7]), 6)
    0.359543
    """
    a = _clean(x)
    n = a.size
    if n < 3:
        return float("nan")
    s = a.std(ddof=1)
    if s == 0:
        return float("nan")
    return float(n / ((n - 1) * (n - 2)) * (((a - a.mean()) / s) ** 3).sum())


def kurt(x: Sequence[float] | Array) -> float:
    """Sample excess kurtosis as Excel's KURT.

    ``n(n+1) / ((n-1)(n-2)(n-3)) * sum(((x - mean) / sd)^4) - 3 (n-1)^2 / ((n-2)(n-3))``;
    NaN with fewer than 4 values or no spread.

    Examples
    --------
    >>> round(kurt([3, 4, 5, 2, 3, 4, 5, 6, 4, 7]), 6)
    -0.1518
    """
    a = _clean(x)
    n = a.size
    if n < 4:
        return float("nan")
    s = a.std(ddof=1)
    if s == 0:
        return float("nan")
    z4 = (((a - a.mean()) / s) ** 4).sum()
    return float(
        n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * z4 - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3))
    )


def passes(
    x: Sequence[float] | Array, skew_threshold: float = 2.0, kurt_threshold: float = 3.5
) -> bool:
    """COINr's check: passes unless ``|skew| >= skew_threshold`` and ``kurt >= kurt_threshold``.

    An indicator whose statistics cannot be computed (too few values, no spread) passes.

    Examples
    --------
    >>> passes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100]), passes([1, 2, 3, 4, 5])
    (False, True)
    """
    sk, kt = skew(x), kurt(x)
    if np.isnan(sk) or np.isnan(kt):
        return True
    return not (abs(sk) >= skew_threshold and kt >= kurt_threshold)


def winsorise(
    x: Sequence[float] | Array,
    winsor_max: int = 5,
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
) -> tuple[Array, npt.NDArray[np.bool_]]:
    """Winsorise until the indicator passes or ``winsor_max`` points have been changed.

    Returns the new values and a mask of the changed points. Each step gives the current
    extreme value(s) the value of the next one inwards.

    Examples
    --------
    >>> v, changed = winsorise([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100], 2)
    >>> v.tolist()[-2:], int(changed.sum())
    ([30.0, 30.0], 1)
    """
    a = np.asarray(x, dtype=np.float64).copy()
    ok = ~np.isnan(a)
    changed = np.zeros(a.shape, dtype=bool)
    while not passes(a, skew_threshold, kurt_threshold) and changed.sum() < winsor_max:
        vals = a[ok]
        if skew(a) >= 0:
            top = ok & (a == vals.max())
            rest = a[ok & ~top]
            if rest.size == 0:
                break
            a[top] = rest.max()
            changed |= top
        else:
            low = ok & (a == vals.min())
            rest = a[ok & ~low]
            if rest.size == 0:
                break
            a[low] = rest.min()
            changed |= low
    return a, changed


def log_ct(x: Sequence[float] | Array) -> Array:
    """COINr's ``log_CT``: ``ln(x - min + 0.01 (max - min))`` (missing stays missing).

    Examples
    --------
    >>> [round(v, 4) for v in log_ct([1.0, 2.0, 101.0]).tolist()]
    [0.0, 0.6931, 4.6151]
    """
    a = np.asarray(x, dtype=np.float64)
    mn, mx = np.nanmin(a), np.nanmax(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(a - mn + 0.01 * (mx - mn))


@dataclass(frozen=True)
class TreatResult:
    """Outcome of treating one indicator: new values, changed points and what was done."""

    values: Array
    changed: npt.NDArray[np.bool_]
    action: str
    skew_before: float
    kurt_before: float
    skew_after: float
    kurt_after: float


def treat_column(
    x: Sequence[float] | Array,
    mode: str = "coinr",
    *,
    winsor_max: int = 5,
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
) -> TreatResult:
    """Treat one indicator: ``coinr`` (check, winsorise, else log), ``winsorise``, ``log``, ``none``.

    Examples
    --------
    >>> x = list(range(1, 16)) + [100, 150]
    >>> treat_column(x, winsor_max=2).action
    'winsorised 2 points'
    >>> treat_column(x, winsor_max=1).action
    'log (winsorising 1 point was not enough)'
    """
    a = np.asarray(x, dtype=np.float64)
    sk, kt = skew(a), kurt(a)
    none = np.zeros(a.shape, dtype=bool)

    def done(v: Array, changed: npt.NDArray[np.bool_], action: str) -> TreatResult:
        return TreatResult(v, changed, action, sk, kt, skew(v), kurt(v))

    if mode == "none":
        return done(a, none, "none")
    if mode == "log":
        return done(log_ct(a), ~np.isnan(a), "log")
    if passes(a, skew_threshold, kurt_threshold):
        return done(a, none, "passed")
    v, changed = winsorise(a, winsor_max, skew_threshold, kurt_threshold)
    n = int(changed.sum())
    if passes(v, skew_threshold, kurt_threshold):
        return done(v, changed, f"winsorised {n} point{'s' if n != 1 else ''}")
    if mode == "winsorise":
        return done(v, changed, f"winsorised {n} point{'s' if n != 1 else ''}, still fails")
    return done(
        log_ct(a),
        ~np.isnan(a),
        f"log (winsorising {n} point{'s' if n != 1 else ''} was not enough)",
    )
