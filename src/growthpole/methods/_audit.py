"""Search for the explanation of a published figure that its recomputation does not give.

Pure functions over plain mappings: which denominator, or which omitted regions, or which
subset of years reproduces a published share or total within its published rounding.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def rounds_to(value: float, published: float, decimals: int) -> bool:
    """True when ``value`` rounded half-up to ``decimals`` gives ``published``.

    Examples
    --------
    >>> rounds_to(0.68066, 0.681, 3), rounds_to(0.68066, 0.683, 3)
    (True, False)
    """
    half = 0.5 * 10.0**-decimals
    return published - half - 1e-12 <= value < published + half + 1e-12


def decimals_of(text: str) -> int:
    """Number of decimals a published figure was printed with ('0.603' -> 3).

    Examples
    --------
    >>> decimals_of("0.603"), decimals_of("120.3"), decimals_of("2")
    (3, 1, 0)
    """
    return len(text.split(".")[1]) if "." in text else 0


@dataclass(frozen=True)
class DenominatorFit:
    """The range of denominators that reproduces every published share of a year."""

    low: float
    high: float
    n_values: int

    def contains(self, d: float) -> bool:
        """Whether denominator ``d`` reproduces all the published shares."""
        return self.low < d <= self.high


def feasible_denominator(
    values: Mapping[str, float], published: Mapping[str, float], decimals: int
) -> DenominatorFit | None:
    """Interval of denominators D with round(values[r] / D) == published[r] for every r.

    Only regions with both a value and a published share > 0 constrain D. ``None`` when the
    published shares are mutually inconsistent (no single denominator fits them all).

    Examples
    --------
    >>> fit = feasible_denominator({"a": 3.0, "b": 1.0}, {"a": 0.75, "b": 0.25}, 2)
    >>> fit.contains(4.0), fit.contains(5.0)
    (True, False)
    """
    half = 0.5 * 10.0**-decimals
    lo, hi, n = 0.0, math.inf, 0
    for r, p in published.items():
        x = values.get(r)
        if x is None or p is None or x <= 0:
            continue
        n += 1
        lo = max(lo, x / (p + half))
        if p - half > 0:
            hi = min(hi, x / (p - half))
    if n == 0 or lo >= hi:
        return None
    return DenominatorFit(lo, hi, n)


def omitted_regions(
    values: Mapping[str, float],
    target: DenominatorFit | tuple[float, float],
    *,
    max_omitted: int = 3,
    prefer: Sequence[str] = (),
) -> list[tuple[str, ...]]:
    """Sets of regions whose omission from the sum puts it inside ``target``.

    Smallest sets first; among sets of equal size, those made only of ``prefer`` regions
    (e.g. regions the paper shows as a dash) come first.

    Examples
    --------
    >>> omitted_regions({"a": 10.0, "b": 5.0, "c": 1.0}, (14.5, 15.5))
    [('c',)]
    """
    lo, hi = (target.low, target.high) if isinstance(target, DenominatorFit) else target
    present = {r: v for r, v in values.items() if v is not None}
    total = sum(present.values())
    found: list[tuple[str, ...]] = []
    if lo < total <= hi:
        return [()]
    for k in range(1, max_omitted + 1):
        hits = [
            sub
            for sub in itertools.combinations(sorted(present), k)
            if lo < total - sum(present[r] for r in sub) <= hi
        ]
        hits.sort(key=lambda s: (not all(r in prefer for r in s), s))
        found += hits
        if found:
            break
    return found
