"""Economic complexity: ECI/PCI, proximity, relatedness density, complexity outlook.

The binary region x industry matrix ``M`` (1 where the location quotient is at least the
threshold) is built by the engine, collected (it is small: regions x industries per year)
and the linear algebra runs in NumPy/SciPy.

Standard definitions (Hidalgo & Hausmann 2009; Hausmann et al. 2014, *The Atlas of
Economic Complexity*):

- diversity ``k_r = Σ_i M_ri``, ubiquity ``k_i = Σ_r M_ri``;
- ECI: the eigenvector of the second largest eigenvalue of the region transition matrix
  ``D⁻¹ M U⁻¹ Mᵀ`` (D, U the diagonal matrices of diversity and ubiquity), z-scored with
  the population standard deviation, its sign chosen so that ECI correlates positively
  with diversity. PCI: the same for ``U⁻¹ Mᵀ D⁻¹ M``, with the sign that makes a region's
  ECI proportional to the mean PCI of its industries. Computed through the symmetric
  matrix ``A = D^-½ M U^-½`` (the two eigenproblems are the singular vectors of A).
- method of reflections: ``k_r,N = Σ_i M_ri k_i,N-1 / k_r``, ``k_i,N = Σ_r M_ri k_r,N-1 / k_i``,
  one chain from ``k_r,0`` = diversity; ECI is the last even region step and PCI the
  last industry step (``iterations = 20`` gives ``k_r,18`` and ``k_i,19``, as R's
  economiccomplexity does), then z-scored and signed the same way. Long chains converge
  to a constant vector and lose precision: keep ``iterations`` around 20.
- proximity ``φ_ij = Σ_r M_ri M_rj / max(k_i, k_j)``;
- relatedness density ``ω_ri = Σ_j M_rj φ_ij / Σ_j φ_ij``;
- complexity outlook index ``COI_r = Σ_i (1 − ω_ri)(1 − M_ri) PCI_i``;
- complexity outlook gain ``COG_ri = (1 − M_ri) [Σ_j (φ_ij / Σ_k φ_kj)(1 − M_rj) PCI_j
  − (1 − ω_ri) PCI_i]`` (zero where the region already has the industry).

Regions with diversity 0 and industries with ubiquity 0 have no ECI/PCI (null).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl
import scipy.linalg

from growthpole.indices._core import I, R, Roles, V, Y, back_like, prepare, to_polars
from growthpole.indices._dense import year_matrices
from growthpole.specs import check_literal

__all__ = ["Complexity", "complexity", "proximity", "relatedness"]

Method = Literal["eigenvector", "reflections"]


@dataclass(frozen=True)
class Complexity:
    """Results of :func:`complexity`: one frame per region and one per industry.

    Attributes
    ----------
    regions
        ``region, year, diversity, eci, coi`` (same kind as the input).
    industries
        ``industry, year, ubiquity, pci``.
    pairs
        With ``pairs=True``: every (region, industry) of the year, absent pairs included,
        ``region, industry, year, rca_binary, density[, cog]`` (see :func:`relatedness`);
        else None.
    """

    regions: Any
    industries: Any
    pairs: Any = None


@dataclass
class _YearResult:
    year: Any
    regions: list[Any]
    industries: list[Any]
    M: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    eci: np.ndarray | None = None
    pci: np.ndarray | None = None
    phi: np.ndarray | None = None
    density: np.ndarray | None = None
    coi: np.ndarray | None = None
    cog: np.ndarray | None = None


def _binary(
    data: Any, roles: Roles, threshold: float, source: str
) -> list[tuple[Any, list[Any], list[Any], np.ndarray]]:
    """Collect each year's binary RCA matrix (rows: regions, columns: industries).

    The long table is collected once (region, industry, year, value), scattered into one
    dense matrix per year (:func:`~growthpole.indices._dense.year_matrices`) and the
    location quotients ``(x / X_r) / (X_i / X)`` are computed on it.
    """
    frame, _ = prepare(data, roles, source=source)
    table = to_polars(frame.select(Y, R, I, V))
    out = []
    for yr, regions, industries, X in year_matrices(table):
        xr, xi = X.sum(axis=1), X.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            lq = X / xr[:, None]
            lq /= (xi / xi.sum())[None, :]
        has = np.greater_equal(lq, threshold)
        has &= np.isfinite(lq)
        del lq
        M = has.astype(np.float64)
        out.append((yr, regions.to_list(), industries.to_list(), M))
    return out


def _zscore(x: np.ndarray, ddof: int) -> np.ndarray:
    sd = x.std(ddof=ddof) if x.size > ddof else np.nan
    if not np.isfinite(sd) or sd == 0:
        return np.full_like(x, np.nan)
    return (x - x.mean()) / sd


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    if not (np.isfinite(a).all() and np.isfinite(b).all()) or a.std() == 0 or b.std() == 0:
        return 1.0
    return float(np.corrcoef(a, b)[0, 1])


def _eigen(M: np.ndarray, d: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Raw (unscaled) ECI and PCI vectors from the symmetric form of the problem.

    With ``A = D^-½ M U^-½`` the PCI problem is the eigenproblem of ``A^T A =
    U^-½ (M^T D^-1 M) U^-½`` and the ECI one that of ``A A^T``; the Gram matrix of the
    smaller side is formed by one BLAS call.
    """
    n_r, n_i = M.shape
    if min(n_r, n_i) < 2:
        return np.full(n_r, np.nan), np.full(n_i, np.nan)
    A = M / np.sqrt(d)[:, None]
    A /= np.sqrt(u)[None, :]
    if n_i <= n_r:
        G = A.T @ A
        del A
        pci = _second_eigenvector(G) / np.sqrt(u)
        eci = (M @ pci) / d
    else:
        G = A @ A.T
        del A
        eci = _second_eigenvector(G) / np.sqrt(d)
        pci = (M.T @ eci) / u
    return eci, pci


#: Above this size the second eigenvector comes from ARPACK (Lanczos) instead of LAPACK.
DENSE_EIGEN_MAX = 300


def _second_eigenvector(G: np.ndarray) -> np.ndarray:
    """Eigenvector of the second largest eigenvalue of the symmetric matrix ``G`` (n x n).

    Small matrices go to LAPACK, larger ones to ARPACK (Lanczos) on the dense ``G``.
    """
    n = G.shape[0]
    if n <= DENSE_EIGEN_MAX:
        _, vec = scipy.linalg.eigh(G, subset_by_index=[n - 2, n - 1], driver="evr")
        return np.asarray(vec[:, 0])
    from scipy.sparse.linalg import eigsh

    v0 = np.linspace(1.0, 2.0, n)  # deterministic start
    vals, vecs = eigsh(G, k=2, which="LA", v0=v0, tol=0, ncv=20)
    return np.asarray(vecs[:, int(np.argmin(vals))])


def _reflections(
    M: np.ndarray, d: np.ndarray, u: np.ndarray, iterations: int
) -> tuple[np.ndarray, np.ndarray]:
    """One chain of ``iterations - 1`` reflections starting from diversity.

    Region steps are even, industry steps odd: with ``iterations = 20`` the result is
    ``(k_r,18, k_i,19)``, the convention of R's economiccomplexity.
    """
    kr, ki = d.copy(), (M.T @ d) / u
    for step in range(2, max(iterations, 2)):
        if step % 2 == 0:
            kr = (M @ ki) / d
        else:
            ki = (M.T @ kr) / u
    return kr, ki


def _compute_year(
    year: Any,
    regions: list[Any],
    industries: list[Any],
    M: np.ndarray,
    *,
    method: Method,
    iterations: int,
    ddof: int = 1,
    want_eci: bool = True,
    want_density: bool = False,
    want_cog: bool = False,
) -> _YearResult:
    d_all = M.sum(axis=1)
    u_all = M.sum(axis=0)
    res = _YearResult(year, regions, industries, M, d_all, u_all)
    rows = d_all > 0
    cols = u_all > 0
    if want_eci:
        eci = np.full(len(regions), np.nan)
        pci = np.full(len(industries), np.nan)
        whole = bool(rows.all() and cols.all())
        Ms = M if whole else M[np.ix_(rows, cols)]
        d, u = (d_all, u_all) if whole else (Ms.sum(axis=1), Ms.sum(axis=0))
        if Ms.size and rows.sum() >= 2 and cols.sum() >= 2:
            if method == "eigenvector":
                e, p = _eigen(Ms, d, u)
            else:
                e, p = _reflections(Ms, d, u, iterations)
            e, p = _zscore(e, ddof), _zscore(p, ddof)
            sign = -1.0 if _corr(e, d) < 0 else 1.0
            e = sign * e
            # PCI's sign: an industry's PCI rises with the mean ECI of the regions that
            # have it (automatic for the eigenvectors; the reflections' two chains are
            # independent, so it is fixed here)
            p = p if _corr(p, (Ms.T @ e) / u) >= 0 else -p
            eci[rows], pci[cols] = e, p
        res.eci, res.pci = eci, pci
    if want_density:
        phi = _phi(M)
        colsum = phi.sum(axis=0)
        # φ_ij / Σ_k φ_kj (0 for an industry no region has): density = M @ w
        w = phi / np.where(colsum > 0, colsum, 1.0)[None, :]
        density = M @ w
        res.phi, res.density = phi, density
        if want_eci:
            pci0 = np.nan_to_num(res.pci if res.pci is not None else np.zeros(len(industries)))
            absent = 1.0 - M
            unrelated = 1.0 - density  # (in place below: these are full-size matrices)
            unrelated *= absent
            res.coi = unrelated @ pci0
            if want_cog:
                np.subtract(1.0, density, out=unrelated)
                unrelated *= pci0[None, :]
                gain = np.multiply(absent, pci0[None, :]) @ w.T
                gain -= unrelated
                del unrelated
                gain *= absent
                res.cog = gain
    return res


def _run(
    data: Any,
    roles: Roles,
    *,
    threshold: float,
    method: Method,
    iterations: int,
    want_density: bool,
    source: str,
    ddof: int = 1,
    want_eci: bool = True,
    want_cog: bool = False,
) -> list[_YearResult]:
    check_literal(method, Method, "method")
    if int(iterations) < 1:
        from growthpole.errors import InputError

        raise InputError(f"iterations must be at least 1; {iterations!r} was given")
    return [
        _compute_year(
            yr,
            regs,
            inds,
            M,
            method=method,
            iterations=int(iterations),
            ddof=ddof,
            want_eci=want_eci,
            want_density=want_density,
            want_cog=want_cog,
        )
        for yr, regs, inds, M in _binary(data, roles, threshold, source)
    ]


def _null_nan(frame: pl.DataFrame) -> pl.DataFrame:
    floats = [c for c, t in frame.schema.items() if t == pl.Float64]
    return frame.with_columns(pl.col(floats).fill_nan(None)) if floats else frame


def complexity(
    data: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str | None = "year",
    value: str = "value",
    method: Method = "eigenvector",
    iterations: int = 20,
    threshold: float = 1.0,
    outlook: bool = True,
    ddof: int = 1,
    pairs: bool = False,
    source: str = "<frame>",
) -> Complexity:
    """Economic complexity of regions (ECI) and industries (PCI), per year.

    Parameters
    ----------
    data
        Long table ``region, industry, [year,] value`` (any engine); the two results come
        back as the same kind.
    method
        ``"eigenvector"`` (the standard definition) or ``"reflections"`` (Hidalgo &
        Hausmann's method of reflections, ``iterations`` steps).
    threshold
        Location quotient at or above which a region "has" an industry.
    outlook
        Also compute the complexity outlook index ``coi`` per region (and, with
        ``pairs``, the outlook gain ``cog`` per pair).
    pairs
        Also return the relatedness density of every (region, industry) pair — the
        same matrices serve both, so this is cheaper than calling :func:`relatedness`.
    ddof
        Delta degrees of freedom of the standard deviation in the z-score: 1 (default,
        the sample standard deviation as in R's ``sd``, Stata and MATLAB, which the
        economiccomplexity package uses) or 0 (NumPy's default).

    Examples
    --------
    >>> import polars as pl
    >>> rows = [("r1", "a"), ("r1", "b"), ("r1", "c"), ("r2", "a"), ("r2", "b"), ("r3", "a")]
    >>> t = pl.DataFrame({"region": [r for r, _ in rows], "industry": [i for _, i in rows],
    ...                   "value": [1.0] * 6})
    >>> c = complexity(t, year=None, threshold=0.1, outlook=False)
    >>> [round(x, 4) for x in c.regions["eci"]]
    [1.0, 0.0, -1.0]
    >>> [round(x, 4) for x in c.industries["pci"]]
    [-1.0, 0.0, 1.0]
    """
    roles = Roles(region, industry, year, value)
    years = _run(
        data,
        roles,
        threshold=threshold,
        method=method,
        iterations=iterations,
        want_density=outlook or pairs,
        source=source,
        ddof=ddof,
        want_cog=outlook and pairs,
    )
    reg_parts, ind_parts = [], []
    for yr in years:
        reg = {
            R: yr.regions,
            Y: [yr.year] * len(yr.regions),
            "diversity": yr.diversity.astype(np.int64),
            "eci": yr.eci,
        }
        if outlook:
            reg["coi"] = yr.coi
        reg_parts.append(pl.DataFrame(reg, strict=False))
        ind_parts.append(
            pl.DataFrame(
                {
                    I: yr.industries,
                    Y: [yr.year] * len(yr.industries),
                    "ubiquity": yr.ubiquity.astype(np.int64),
                    "pci": yr.pci,
                },
                strict=False,
            )
        )
    regions_pl = _null_nan(pl.concat(reg_parts, how="vertical_relaxed"))
    industries_pl = _null_nan(pl.concat(ind_parts, how="vertical_relaxed"))
    return Complexity(
        regions=back_like(regions_pl, data, roles, sort=(Y, R)),
        industries=back_like(industries_pl, data, roles, sort=(Y, I)),
        pairs=_pairs_frame(years, data, roles, cog=outlook) if pairs else None,
    )


def _pairs_frame(years: list[_YearResult], data: Any, roles: Roles, *, cog: bool) -> Any:
    parts = []
    for yr in years:
        n_r, n_i = yr.M.shape
        assert yr.density is not None
        cols: dict[str, Any] = {
            R: _spread(pl.Series(yr.regions), n_i, repeat=True),
            I: _spread(pl.Series(yr.industries), n_r, repeat=False),
            Y: pl.Series([yr.year]).new_from_index(0, n_r * n_i),
            "rca_binary": yr.M.ravel().astype(np.int8),
            "density": yr.density.ravel(),
        }
        if cog:
            assert yr.cog is not None
            cols["cog"] = yr.cog.ravel()
        parts.append(pl.DataFrame(cols, strict=False))
    # density and cog are finite by construction; built in (year, region, industry) order
    return back_like(pl.concat(parts, how="vertical_relaxed", rechunk=False), data, roles)


def _spread(labels: pl.Series, times: int, *, repeat: bool) -> pl.Series:
    """Each label ``times`` times in a row (``repeat``) or the whole list ``times`` times."""

    def grid(a: np.ndarray) -> np.ndarray:  # a broadcast copy (np.repeat is far slower)
        wide = np.broadcast_to(a[:, None], (a.size, times)) if repeat else a[None, :]
        return np.broadcast_to(wide, wide.shape if repeat else (times, a.size)).ravel()

    if labels.dtype.is_numeric():  # the labels themselves, no index array
        return pl.Series(labels.name, grid(labels.to_numpy()), dtype=labels.dtype)
    return labels.gather(grid(np.arange(labels.len())))


def _phi(M: np.ndarray) -> np.ndarray:
    """Proximity of the columns of a binary matrix: co-occurrence / max(column sums)."""
    k = M.sum(axis=0)
    m32 = M.astype(np.float32)
    co = (m32.T @ m32).astype(np.float64)  # integer counts < 2**24: exact in float32
    big = np.maximum(k[:, None], k[None, :])
    return np.where(big > 0, co / np.where(big > 0, big, 1.0), 0.0)


Between = Literal["industries", "regions"]


def proximity(
    data: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str | None = "year",
    value: str = "value",
    threshold: float = 1.0,
    between: Between = "industries",
    source: str = "<frame>",
) -> Any:
    """Proximity of every pair of industries (or regions), per year.

    Industries: φ_ij = Σ_r M_ri M_rj / max(k_i, k_j), the smaller of the two conditional
    probabilities that a region having one also has the other. Regions
    (``between="regions"``): Σ_i M_ri M_si / max(k_r, k_s). Returns ``industry,
    other_industry, year, proximity`` (or ``region, other_region, ...``) for the pairs
    with a positive proximity, the diagonal (1) included, in the input's kind.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["r1", "r1", "r2"], "industry": ["a", "b", "a"],
    ...                   "value": [1.0, 1.0, 1.0]})
    >>> proximity(t, year=None, threshold=0.5).rows()
    [('a', 'a', 1.0), ('a', 'b', 0.5), ('b', 'a', 0.5), ('b', 'b', 1.0)]
    """
    check_literal(between, Between, "between")
    roles = Roles(region, industry, year, value)
    key, user = (I, roles.industry) if between == "industries" else (R, roles.region)
    parts = []
    for yr, regs, inds, M in _binary(data, roles, threshold, source):
        phi = _phi(M if between == "industries" else M.T)
        a, b = np.nonzero(phi > 0)
        labels = pl.Series(inds if between == "industries" else regs)
        parts.append(
            pl.DataFrame(
                {
                    key: labels.gather(a),
                    "_other": labels.gather(b),
                    Y: pl.Series([yr]).new_from_index(0, len(a)),
                    "proximity": phi[a, b],
                },
                strict=False,
            )
        )
    out = pl.concat(parts, how="vertical_relaxed").sort(Y, key, "_other")
    return back_like(out.rename({"_other": f"other_{user}"}), data, roles)


def relatedness(
    data: Any,
    *,
    region: str = "region",
    industry: str = "industry",
    year: str | None = "year",
    value: str = "value",
    threshold: float = 1.0,
    method: Method = "eigenvector",
    iterations: int = 20,
    ddof: int = 1,
    outlook: bool = True,
    source: str = "<frame>",
) -> Any:
    """Relatedness density and complexity outlook gain for every (region, industry) pair.

    The result is the full grid of the year's regions x industries (absent pairs
    included — they are the opportunities): ``region, industry, year, rca_binary,
    density, cog``. ``density`` is the share of the industry's related industries (by
    proximity) the region already has; ``cog`` is the complexity outlook gain of adding
    the industry (0 where the region already has it), computed with the PCI of
    ``method`` (``outlook=False`` leaves it out and skips the complexity).

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["r1", "r1", "r2"], "industry": ["a", "b", "a"],
    ...                   "value": [1.0, 1.0, 1.0]})
    >>> relatedness(t, year=None, threshold=0.5).select("region", "industry", "density").rows()
    [('r1', 'a', 1.0), ('r1', 'b', 1.0), ('r2', 'a', 0.6666666666666666), ('r2', 'b', 0.3333333333333333)]
    """
    return complexity(
        data,
        region=region,
        industry=industry,
        year=year,
        value=value,
        method=method,
        iterations=iterations,
        threshold=threshold,
        outlook=outlook,
        ddof=ddof,
        pairs=True,
        source=source,
    ).pairs
