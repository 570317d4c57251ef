"""Spatial growth poles: neighbours, clusters, hot spots and spillovers to the periphery.

Built on PySAL: region graphs are libpysal :class:`~libpysal.graph.Graph` objects, the
statistics are esda's Moran, Geary, Moran_Local and G_Local. Needs the ``spatial`` extra
(``pip install 'growthpole[spatial]'``). Method, formulas and the pole rule:
``docs/spatial.md``.

Examples
--------
>>> import polars as pl
>>> from growthpole import datasets
>>> t1 = datasets.load("kireyeva2018_table1")
>>> res = spatial_analysis(t1, value="index", permutations=99, seed=1)
>>> res.global_table.filter(pl.col("statistic") == "moran_i").select("year", "n").rows()
[(2010, 16), (2016, 16)]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from growthpole._frames import like
from growthpole.spatial._analysis import GLOBAL_COLUMNS, VERDICTS, SpatialSpec, analyse, trend_of
from growthpole.spatial._graph import (
    EARTH_RADIUS_KM,
    GraphSpec,
    RegionGraph,
    graph_from_edges,
    great_circle_km,
    read_boundaries,
    region_graph,
)
from growthpole.spatial._result import SpatialResult
from growthpole.spatial._stats import fdr_bh

__all__ = [
    "EARTH_RADIUS_KM",
    "VERDICTS",
    "GraphSpec",
    "RegionGraph",
    "SpatialResult",
    "SpatialSpec",
    "fdr_bh",
    "global_autocorrelation",
    "graph_from_edges",
    "great_circle_km",
    "local_autocorrelation",
    "read_boundaries",
    "region_graph",
    "spatial_analysis",
    "spillovers",
    "trend_of",
]

_SPILL_COLUMNS = [
    "region", "year", "value", "status", "n_neighbours", "lag", "contrast", "base_year",
    "lag_change", "contrast_change", "lag_z", "lag_z_change", "candidate", "verdict", "reason",
]  # fmt: skip


def spatial_analysis(
    data: Any,
    graph: str | GraphSpec | RegionGraph | None = None,
    *,
    value: str = "value",
    region: str = "region",
    year: str | None = "year",
    boundaries: Any = None,
    key: str | None = None,
    transform: str = "r",
    alpha: float = 0.05,
    permutations: int = 999,
    seed: int | None = 0,
    correction: str = "fdr_bh",
    tolerance: float = 0.25,
    candidates: str | Iterable[str] | None = None,
    source: str = "<frame>",
) -> SpatialResult:
    """Global and local spatial autocorrelation, spillovers and hot-spot trends of a value.

    Parameters
    ----------
    data
        Region-level results: one row per region (and year), any frame Narwhals reads.
    graph
        ``"queen"`` (default), ``"rook"``, ``"knn:K"``, ``"band:KM"``, a :class:`GraphSpec`,
        or a ready :class:`RegionGraph` (e.g. from :func:`graph_from_edges`).
    value, region, year
        Column roles. ``year=None`` for a single cross-section.
    boundaries, key
        Boundaries for the graph (default: the embedded 16 Kazakhstan regions) and the
        property that holds the region id or name (default: found automatically).
    transform
        ``"r"`` row-standardised (default) or ``"b"`` binary weights.
    alpha, permutations, seed, correction
        Significance level, number of permutations, their seed, and the multiple-testing
        correction of the local tests (``"fdr_bh"`` or ``"none"``).
    tolerance
        Change of the neighbours' mean z-score that counts as a rising or falling periphery.
    candidates
        Regions that get a pole verdict: ``None`` (all), a list of region ids, or the name of
        a true/false column of ``data`` (e.g. ``candidate`` from ``growth_poles``).

    Returns
    -------
    SpatialResult
        ``.global_table``, ``.local_table``, ``.panel_table`` (Polars), ``.summary()``,
        ``.plot()``.

    Raises
    ------
    InputError
        Missing columns, non-numeric values, regions without a boundary, a constant
        variable (Moran's I undefined), fewer than 3 regions with data and neighbours.

    Notes
    -----
    Missing values are left out of that year's statistics (never read as zero); a region
    whose neighbours all lack data becomes an island for that year. Both are reported in the
    tables and as :class:`~growthpole.errors.DataWarning`.

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole import datasets
    >>> t1 = datasets.load("kireyeva2018_table1").filter(pl.col("year") == 2016)
    >>> res = spatial_analysis(t1, value="index", permutations=99, seed=1)
    >>> res.local_table.filter(pl.col("region") == "almaty_city").select("verdict").item()
    'isolated pole'
    """
    spec = SpatialSpec(
        graph=str(graph) if isinstance(graph, str | GraphSpec) else "queen",
        transform=transform,  # type: ignore[arg-type]
        alpha=alpha,
        permutations=permutations,
        seed=seed,
        correction=correction,  # type: ignore[arg-type]
        tolerance=tolerance,
    )
    rg, glob, loc, panel, spec = analyse(
        data,
        graph,
        value=value,
        region=region,
        year=year,
        boundaries=boundaries,
        key=key,
        spec=spec,
        candidates=candidates,
        source=source,
    )
    return SpatialResult(rg, glob, loc, panel, spec, value)


def global_autocorrelation(
    data: Any,
    graph: str | GraphSpec | RegionGraph | None = None,
    *,
    value: str = "value",
    region: str = "region",
    year: str | None = "year",
    boundaries: Any = None,
    key: str | None = None,
    transform: str = "r",
    alpha: float = 0.05,
    permutations: int = 999,
    seed: int | None = 0,
    source: str = "<frame>",
) -> Any:
    """Global Moran's I and Geary's C per year, as the same kind of frame as ``data``.

    Columns: ``year, variable, statistic, estimate, expected, z_norm, p_norm, z_sim, p_sim,
    pattern, n, n_no_data, n_islands, permutations, seed, graph, transform``.

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole.spatial import graph_from_edges
    >>> chain = graph_from_edges(pl.DataFrame({"focal": ["a", "b", "c"], "neighbour": ["b", "c", "d"]}))
    >>> t = pl.DataFrame({"region": list("abcd"), "value": [1.0, 2.0, 3.0, 4.0]})
    >>> out = global_autocorrelation(t, chain, year=None, permutations=99)
    >>> out.select("statistic", pl.col("estimate").round(4)).rows()
    [('moran_i', 0.4), ('geary_c', 0.3)]
    """
    spec = SpatialSpec(
        graph=str(graph) if isinstance(graph, str | GraphSpec) else "queen",
        transform=transform,  # type: ignore[arg-type]
        alpha=alpha,
        permutations=permutations,
        seed=seed,
    )
    _, glob, _, _, _ = analyse(
        data, graph, value=value, region=region, year=year, boundaries=boundaries, key=key,
        spec=spec, local=False, source=source,
    )  # fmt: skip
    return like(glob.select(GLOBAL_COLUMNS), data)


def local_autocorrelation(data: Any, graph: Any = None, **kwargs: Any) -> Any:
    """Local Moran and Gi* per region and year, as the same kind of frame as ``data``.

    Takes the arguments of :func:`spatial_analysis` and returns its ``local_table``.

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole import datasets
    >>> t1 = datasets.load("kireyeva2018_table1").filter(pl.col("year") == 2010)
    >>> loc = local_autocorrelation(t1, value="index", permutations=99)
    >>> loc.filter(pl.col("region") == "astana").select("quadrant").item()
    'HL'
    """
    return like(spatial_analysis(data, graph, **kwargs).local_table, data)


def spillovers(data: Any, graph: Any = None, **kwargs: Any) -> Any:
    """Neighbours' mean, core-periphery contrast, its change and the pole verdict.

    Takes the arguments of :func:`spatial_analysis`; returns ``region, year, value, status,
    n_neighbours, lag, contrast, base_year, lag_change, contrast_change, lag_z, lag_z_change,
    candidate, verdict, reason`` as the same kind of frame as ``data``.

    Examples
    --------
    >>> import polars as pl
    >>> from growthpole import datasets
    >>> t1 = datasets.load("kireyeva2018_table1")
    >>> s = spillovers(t1, value="index", permutations=99)
    >>> s.filter(pl.col("region") == "astana", pl.col("year") == 2016).select("verdict").item()
    'pole with a rising periphery'
    """
    res = spatial_analysis(data, graph, **kwargs)
    return like(res.local_table.select(_SPILL_COLUMNS), data)
