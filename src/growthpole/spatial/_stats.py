"""Global and local spatial autocorrelation of one cross-section (esda under the hood).

Everything here works on one year: a vector ``y`` aligned with the regions of a
:class:`~growthpole.spatial._graph.RegionGraph` that has no islands and no missing values
(the caller drops those and reports them).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from growthpole.errors import InputError
from growthpole.spatial._graph import RegionGraph, _need

__all__ = ["GlobalStats", "LocalStats", "directed_p", "fdr_bh", "global_stats", "local_stats"]

#: Local Moran quadrants as esda numbers them (``geoda_quads=False``).
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def fdr_bh(p: Any) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); missing values stay missing.

    ``q_(i) = min_{j >= i} min(1, m p_(j) / j)`` over the ``m`` non-missing p-values sorted
    ascending. A test is significant at false-discovery rate ``alpha`` when ``q <= alpha``.

    Examples
    --------
    >>> fdr_bh([0.01, 0.04, 0.03, 0.5]).round(3).tolist()
    [0.04, 0.053, 0.053, 0.5]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if not ok.any():
        return out
    if ((p[ok] < 0) | (p[ok] > 1)).any():
        raise InputError("p-values must lie in [0, 1]")
    from scipy.stats import false_discovery_control

    out[ok] = false_discovery_control(p[ok], method="bh")
    return out


def directed_p(observed: Any, simulated: Any) -> tuple[np.ndarray, np.ndarray]:
    """Permutation p-value in the direction of the observed statistic, ties counted on both sides.

    ``p = (min(#{sim >= obs}, #{sim <= obs}) + 1) / (P + 1)`` over the ``P`` permuted
    statistics; also returns the tail (+1 upper, -1 lower). esda's ``directed`` p-value
    (esda 2.9) counts ties only in the upper tail, which makes a region whose statistic is
    the *lowest* possible value, tied with many permutations, look extremely significant
    (e.g. a city with one neighbour that has the smallest value); see docs/spatial.md.

    Examples
    --------
    >>> p, tail = directed_p([1.0], [[1.0, 1.0, 2.0, 3.0]])
    >>> p.tolist(), tail.tolist()
    ([0.6], [-1])
    """
    obs = np.atleast_1d(np.asarray(observed, dtype=float))
    sims = np.atleast_2d(np.asarray(simulated, dtype=float))
    eps = 1e-9 * np.maximum(1.0, np.abs(obs))[:, None]
    ge = (sims >= obs[:, None] - eps).sum(axis=1)
    le = (sims <= obs[:, None] + eps).sum(axis=1)
    tail = np.where(ge <= le, 1, -1)
    return (np.minimum(ge, le) + 1.0) / (sims.shape[1] + 1.0), tail


@contextlib.contextmanager
def _seeded(seed: int | None) -> Iterator[None]:
    """Seed NumPy's global generator (esda's Moran and Geary draw from it), then restore it."""
    state = np.random.get_state()  # noqa: NPY002 - esda uses the legacy global generator
    if seed is not None:
        np.random.seed(seed)  # noqa: NPY002
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002


def _check_y(y: np.ndarray, what: str) -> None:
    if len(y) < 3:
        raise InputError(
            f"{what}: spatial autocorrelation needs at least 3 regions with data and neighbours; "
            f"there are {len(y)}"
        )
    if np.ptp(y) == 0 or np.std(y) <= 1e-12 * max(1.0, float(np.abs(y).max())):
        raise InputError(
            f"{what}: the variable is constant ({y[0]:g} in every region), so Moran's I and "
            "Geary's C are undefined (zero variance)"
        )


@dataclass(frozen=True)
class GlobalStats:
    """Global Moran's I and Geary's C of one cross-section."""

    moran_i: float
    moran_expected: float
    moran_z_norm: float
    moran_p_norm: float
    moran_z_sim: float | None
    moran_p_sim: float | None
    geary_c: float
    geary_expected: float
    geary_z_norm: float
    geary_p_norm: float
    geary_z_sim: float | None
    geary_p_sim: float | None


def global_stats(
    y: Any, graph: RegionGraph, *, permutations: int = 999, seed: int | None = 0, what: str = "data"
) -> GlobalStats:
    """Global Moran's I and Geary's C of ``y`` (aligned with ``graph.regions``).

    Inference: the normal approximation under randomisation (``p_norm``, two-sided for
    Moran, as esda reports it) and ``permutations`` random relabellings seeded by ``seed``
    (``p_sim`` = (number of permuted statistics at least as extreme + 1) / (permutations + 1),
    in the direction of the observed value, so in (0, 1]).
    """
    esda = _need("esda")
    y = np.asarray(y, dtype=float)
    _check_y(y, what)
    w = graph.weighted
    with _seeded(seed), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mi = esda.Moran(y, w, transformation=graph.transform, permutations=permutations)
        gc = esda.Geary(y, w, transformation=graph.transform, permutations=permutations)
    sim = permutations > 0
    if sim:  # esda's p_sim, recounted with ties on both sides (see directed_p)
        mi_p = float(directed_p([mi.I], [mi.sim])[0][0])
        gc_p = float(directed_p([gc.C], [gc.sim])[0][0])
    return GlobalStats(
        moran_i=float(mi.I),
        moran_expected=float(mi.EI),
        moran_z_norm=float(mi.z_norm),
        moran_p_norm=float(mi.p_norm),
        moran_z_sim=float(mi.z_sim) if sim else None,
        moran_p_sim=mi_p if sim else None,
        geary_c=float(gc.C),
        geary_expected=float(gc.EC),
        geary_z_norm=float(gc.z_norm),
        geary_p_norm=float(gc.p_norm),
        geary_z_sim=float(gc.z_sim) if sim else None,
        geary_p_sim=gc_p if sim else None,
    )


@dataclass(frozen=True)
class LocalStats:
    """Local Moran and Getis-Ord Gi* of one cross-section (arrays aligned with the regions)."""

    z: np.ndarray
    lag: np.ndarray
    lag_z: np.ndarray
    local_moran: np.ndarray
    quadrant: list[str]
    moran_p_sim: np.ndarray
    gi_star_z: np.ndarray
    gi_star_tail: np.ndarray
    gi_star_p_sim: np.ndarray


def local_stats(
    y: Any, graph: RegionGraph, *, permutations: int = 999, seed: int | None = 0, what: str = "data"
) -> LocalStats:
    """Local Moran (with its HH/LH/LL/HL quadrant) and Gi* with conditional permutations.

    ``lag`` is the neighbours' weighted mean of ``y`` (row-standardised weights whatever the
    graph's transform); ``z`` is ``y`` standardised over the regions (population standard
    deviation) and ``lag_z`` its neighbours' weighted mean.
    """
    esda = _need("esda")
    y = np.asarray(y, dtype=float)
    _check_y(y, what)
    if permutations < 1:
        raise InputError("local statistics need at least 1 permutation (999 is usual)")
    w = graph.weighted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # esda says how it fills the Gi* self-weight (the row's largest weight) each time
        warnings.filterwarnings("ignore", message="Gi\\* requested", category=UserWarning)
        # esda announces a future change of its default alternative; the current one
        # ("directed", a folded one-sided p-value) is what docs/spatial.md describes
        warnings.filterwarnings(
            "ignore", message="The alternative hypothesis", category=DeprecationWarning
        )
        lm = esda.Moran_Local(
            y, w, transformation=graph.transform, permutations=permutations, seed=seed
        )
        gi = esda.G_Local(
            y,
            graph.graph,
            transform=graph.transform.upper(),
            star=True,
            permutations=permutations,
            seed=seed,
            n_jobs=1,
        )
    m_p, _ = directed_p(lm.Is, lm.rlisas)
    g_p, g_tail = directed_p(gi.Gs, gi.rGs)
    row = graph.graph.transform("r")
    z = (y - y.mean()) / y.std()
    return LocalStats(
        z=z,
        lag=np.asarray(row.lag(y), dtype=float),
        lag_z=np.asarray(row.lag(z), dtype=float),
        local_moran=np.asarray(lm.Is, dtype=float),
        quadrant=[QUADRANTS[int(q)] for q in lm.q],
        moran_p_sim=m_p,
        gi_star_z=np.asarray(gi.Zs, dtype=float),
        gi_star_tail=g_tail,
        gi_star_p_sim=g_p,
    )
