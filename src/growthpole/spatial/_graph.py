"""Region graphs (who neighbours whom) on top of libpysal's :class:`~libpysal.graph.Graph`.

Contiguity (queen, rook) comes from the boundaries' shared edges and corners;
k-nearest neighbours and distance bands use great-circle distances between the regions'
representative points (a point guaranteed to lie inside each region); a user edge list is
taken as given. Islands (regions without neighbours) and disconnected components are
reported, never hidden.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import polars as pl

from growthpole._frames import as_narwhals, collect_polars, require_columns
from growthpole.errors import InputError, MissingExtraError
from growthpole.specs import check_literal

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    from libpysal.graph import Graph

__all__ = [
    "EARTH_RADIUS_KM",
    "GraphSpec",
    "RegionGraph",
    "graph_from_edges",
    "great_circle_km",
    "read_boundaries",
    "region_graph",
]

GraphKind = Literal["queen", "rook", "knn", "band", "edges"]
Transform = Literal["r", "b"]

#: Mean Earth radius (IUGG), km, used for great-circle distances.
EARTH_RADIUS_KM = 6371.0088


def _first(flags: Any) -> int:
    """1-based row of the first true value of a boolean Polars series."""
    return int(flags.arg_true()[0]) + 1


def _need(module: str) -> Any:
    """Import an optional spatial dependency with a message that gives the pip install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise MissingExtraError(module.split(".")[0], "spatial") from exc


@dataclass(frozen=True)
class GraphSpec:
    """How to build a region graph: ``queen``, ``rook``, ``knn:K`` or ``band:KM``.

    Parameters
    ----------
    kind
        ``"queen"`` (shared edge or corner), ``"rook"`` (shared edge), ``"knn"`` (the ``k``
        nearest representative points), ``"band"`` (all regions within ``threshold_km`` of
        each other, great-circle) or ``"edges"`` (a user edge list).
    k
        Number of neighbours for ``knn``.
    threshold_km
        Distance band in kilometres for ``band``.

    Examples
    --------
    >>> GraphSpec.parse("knn:4")
    GraphSpec(kind='knn', k=4, threshold_km=None)
    >>> str(GraphSpec.parse("band:750"))
    'band:750'
    """

    kind: GraphKind = "queen"
    k: int | None = None
    threshold_km: float | None = None

    def __post_init__(self) -> None:
        check_literal(self.kind, GraphKind, "graph kind")
        if self.kind == "knn" and (self.k is None or int(self.k) < 1):
            raise InputError(f"knn needs a number of neighbours k >= 1; {self.k!r} was given")
        if self.kind == "band" and (
            self.threshold_km is None
            or not np.isfinite(self.threshold_km)
            or self.threshold_km <= 0
        ):
            raise InputError(
                f"a distance band needs a positive threshold in km; {self.threshold_km!r} was given"
            )

    @classmethod
    def parse(cls, text: str | GraphSpec) -> GraphSpec:
        """Read ``queen``, ``rook``, ``knn:K`` or ``band:KM`` (as on the command line)."""
        if isinstance(text, GraphSpec):
            return text
        raw = str(text).strip().lower()
        kind, _, arg = raw.partition(":")
        expected = "expected queen, rook, knn:K (e.g. knn:4) or band:KM (e.g. band:750)"
        if kind in ("queen", "rook", "edges") and not arg:
            return cls(kind)  # type: ignore[arg-type]
        if kind == "knn" and arg:
            try:
                return cls("knn", k=int(arg))
            except ValueError:
                pass
        if kind == "band" and arg:
            try:
                return cls("band", threshold_km=float(arg.removesuffix("km")))
            except ValueError:
                pass
        raise InputError(f"unknown graph {text!r}; {expected}", column="graph")

    def __str__(self) -> str:
        if self.kind == "knn":
            return f"knn:{self.k}"
        if self.kind == "band":
            return f"band:{self.threshold_km:g}"
        return self.kind


@dataclass(frozen=True, eq=False)
class RegionGraph:
    """A region graph: libpysal's ``Graph`` plus what growthpole reports about it.

    Use :func:`region_graph` (from boundaries) or :func:`graph_from_edges` to make one.

    Attributes
    ----------
    graph
        The libpysal graph with its original (binary or user) weights; regions are its ids.
    spec
        How it was built.
    transform
        ``"r"`` (row-standardised: weights of each region sum to 1) or ``"b"`` (binary).
    geometry
        The boundaries (a GeoDataFrame indexed by region) when built from boundaries.
    source
        Where the boundaries or the edge list came from.
    """

    graph: Graph
    spec: GraphSpec
    transform: Transform = "r"
    geometry: Any = None
    source: str = "<graph>"
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_literal(self.transform, Transform, "transform")

    @property
    def regions(self) -> list[str]:
        """Region ids, in the graph's order."""
        if "regions" not in self._cache:
            self._cache["regions"] = [str(i) for i in self.graph.unique_ids]
        return list(self._cache["regions"])

    def n_neighbours(self) -> dict[str, int]:
        """Number of neighbours of every region (0 for an island)."""
        adj = self.graph.adjacency.reset_index()
        adj.columns = ["focal", "neighbor", "weight"]
        real = adj[(adj["focal"] != adj["neighbor"]) & (adj["weight"] != 0)]
        counts = real.groupby("focal").size()
        return {r: int(counts.get(r, 0)) for r in self.regions}

    @property
    def weighted(self) -> Graph:
        """The graph with the chosen transform applied (what the statistics use)."""
        if "weighted" not in self._cache:
            self._cache["weighted"] = self.graph.transform(self.transform)
        return self._cache["weighted"]

    @property
    def islands(self) -> list[str]:
        """Regions without any neighbour."""
        return sorted(str(i) for i in self.graph.isolates)

    @property
    def n_components(self) -> int:
        """Number of connected parts (an island is a part of its own)."""
        return int(self.graph.n_components)

    def components(self) -> list[list[str]]:
        """The connected parts, largest first, each a sorted list of region ids."""
        labels = self.graph.component_labels
        parts: dict[Any, list[str]] = {}
        for rid, lab in zip(labels.index, labels.to_numpy(), strict=True):
            parts.setdefault(lab, []).append(str(rid))
        return sorted((sorted(p) for p in parts.values()), key=lambda p: (-len(p), p))

    def neighbours(self, region: str) -> list[str]:
        """The neighbours of one region (sorted)."""
        if region not in set(self.regions):
            raise InputError(f"region {region!r} is not in the graph")
        adj = self.graph.adjacency
        try:
            nb = adj.loc[region]
        except KeyError:
            return []
        return sorted(str(j) for j, w in nb.items() if j != region and w != 0)

    def edges(self) -> pl.DataFrame:
        """The edge list ``focal, neighbour, weight`` (transformed weights), islands left out."""
        adj = self.weighted.adjacency.reset_index()
        adj.columns = ["focal", "neighbour", "weight"]
        out = pl.from_pandas(adj).with_columns(
            pl.col("focal").cast(pl.String), pl.col("neighbour").cast(pl.String)
        )
        return out.filter(pl.col("focal") != pl.col("neighbour")).sort("focal", "neighbour")

    def table(self) -> pl.DataFrame:
        """One row per region: ``region, n_neighbours, neighbours, component, island``."""
        parts = self.components()
        comp = {r: i + 1 for i, part in enumerate(parts) for r in part}
        rows = []
        for r in self.regions:
            nb = self.neighbours(r)
            rows.append(
                {
                    "region": r,
                    "n_neighbours": len(nb),
                    "neighbours": ";".join(nb),
                    "component": comp[r],
                    "island": not nb,
                }
            )
        return pl.DataFrame(
            rows, schema_overrides={"n_neighbours": pl.Int64, "component": pl.Int64}
        )

    def subgraph(self, regions: Iterable[str]) -> RegionGraph:
        """The graph restricted to ``regions`` (edges to the others are dropped)."""
        keep = [r for r in self.regions if r in set(regions)]
        sub = self.graph.subgraph(keep)
        geom = None if self.geometry is None else self.geometry.loc[keep]
        return RegionGraph(sub, self.spec, self.transform, geom, self.source)

    def describe(self) -> str:
        """One line: kind, size, links, transform, connectivity, islands."""
        n = len(self.regions)
        n_links = len(self.edges())
        links = f"{n_links // 2} links" if self._symmetric() else f"{n_links} directed links"
        transform = "row-standardised" if self.transform == "r" else "binary"
        text = f"{self.spec} graph of {n} regions ({self.source}), {links}, {transform}"
        parts = self.components()
        if len(parts) == 1:
            text += ", connected"
        else:
            text += f", {len(parts)} disconnected parts (sizes {[len(p) for p in parts]})"
        if self.islands:
            text += f"; islands (no neighbours): {', '.join(self.islands)}"
        return text

    def _symmetric(self) -> bool:
        return bool(len(self.graph.asymmetry()) == 0)


# -- great-circle distance -----------------------------------------------------------------
def great_circle_km(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> Any:
    """Great-circle distance in km between points given in degrees (haversine formula).

    ``d = 2 R asin(sqrt(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)))`` with ``R`` =
    :data:`EARTH_RADIUS_KM`. Arrays broadcast.

    Examples
    --------
    >>> round(float(great_circle_km(0.0, 0.0, 0.0, 90.0)), 1)  # a quarter meridian
    10007.6
    """
    lam1, phi1, lam2, phi2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2)
    )
    a = (
        np.sin((phi2 - phi1) / 2) ** 2
        + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


# -- boundaries ----------------------------------------------------------------------------
def _norm_label(x: Any) -> str:
    text = unicodedata.normalize("NFKC", str(x)).casefold().strip()
    return re.sub(r"[\s_\-.]+", " ", text)


def read_boundaries(
    boundaries: Any = None,
    *,
    regions: Sequence[str] | None = None,
    key: str | None = None,
) -> gpd.GeoDataFrame:
    """Read region boundaries and index them by the data's region labels.

    Parameters
    ----------
    boundaries
        ``None`` (the embedded 16 Kazakhstan regions, ``kaz_boundaries``), a path to a
        GeoJSON / GeoPackage / Shapefile, or a GeoDataFrame.
    regions
        The region labels used in the data. Boundaries are matched to them by ``key`` or,
        when no key is given, by whichever property matches them all (ids or names, compared
        without regard to case, spaces, hyphens and underscores); only the matched regions
        are kept. Without ``regions`` every boundary is kept, indexed by ``key`` (default
        ``region_id``, else the first text property).
    key
        The boundary property that holds the region id or name.

    Raises
    ------
    InputError
        The file cannot be read, has no polygons, or some data regions match no boundary
        (the message lists them and the best-matching property).
    """
    gpd = _need("geopandas")
    if boundaries is None:
        from growthpole import datasets

        boundaries = datasets.path("kaz_boundaries")
        src = "kaz_boundaries (embedded)"
    elif isinstance(boundaries, str | Path):
        src = str(boundaries)
    else:
        src = "<boundaries>"
    if isinstance(boundaries, str | Path):
        p = Path(boundaries)
        if not p.exists():
            raise InputError("boundaries file not found", source=src)
        try:
            gdf = gpd.read_file(p)
        except Exception as exc:
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(
                f"cannot read the boundaries (GeoJSON, GeoPackage or Shapefile expected): {msg[:300]}",
                source=src,
            ) from None
    elif isinstance(boundaries, gpd.GeoDataFrame):
        gdf = boundaries.copy()
    else:
        raise InputError(
            f"boundaries need to be a file path or a GeoDataFrame, got {type(boundaries).__name__}",
            source=src,
        )
    if len(gdf) == 0 or gdf.geometry is None:
        raise InputError("the boundaries have no features", source=src)
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    kinds = set(gdf.geom_type)
    if not kinds <= {"Polygon", "MultiPolygon"}:
        raise InputError(
            f"expected polygon boundaries, got geometry types {sorted(kinds)}", source=src
        )
    if gdf.crs is None:
        b = gdf.total_bounds
        if -180 <= b[0] <= b[2] <= 180 and -90 <= b[1] <= b[3] <= 90:
            gdf = gdf.set_crs(4326)
        else:
            raise InputError(
                "the boundaries have no coordinate reference system and are not in degrees",
                source=src,
            )
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        gdf.loc[invalid, gdf.geometry.name] = gdf.geometry[invalid].make_valid()
    text_cols = [
        c
        for c in gdf.columns
        if c != gdf.geometry.name
        and (gdf[c].dtype == object or str(gdf[c].dtype) in ("string", "str"))
    ]
    if key is not None and key not in gdf.columns:
        raise InputError(
            f"no such property in the boundaries; they have {[c for c in gdf.columns if c != gdf.geometry.name]}",
            source=src,
            column=key,
        )
    if regions is None:
        col = key or (
            "region_id" if "region_id" in gdf.columns else (text_cols[0] if text_cols else None)
        )
        if col is None:
            raise InputError("the boundaries have no id property (e.g. region_id)", source=src)
        out = gdf.set_index(gdf[col].astype(str))
    else:
        wanted = [str(r) for r in regions]
        candidates = (
            [key]
            if key
            else (["region_id"] if "region_id" in text_cols else [])
            + [c for c in text_cols if c != "region_id"]
            + [c for c in gdf.columns if c != gdf.geometry.name and c not in text_cols]
        )
        best: tuple[int, str | None, dict[str, Any]] = (-1, None, {})
        for col in candidates:
            lookup: dict[str, Any] = {}
            for idx, v in zip(gdf.index, gdf[col], strict=True):
                if v is not None:
                    lookup.setdefault(_norm_label(v), idx)
            hits = {r: lookup[_norm_label(r)] for r in wanted if _norm_label(r) in lookup}
            if len(hits) > best[0]:
                best = (len(hits), col, hits)
            if len(hits) == len(wanted):
                break
        _, col, hits = best
        unmatched = [r for r in wanted if r not in hits]
        if unmatched:
            where = f"property {col!r}" if col else "any property"
            raise InputError(
                f"{len(unmatched)} region(s) of the data match no boundary by {where}: "
                f"{unmatched}; the boundaries have {sorted(map(str, gdf[col])) if col else []}"
                " (use --key / key= to name the property holding the region id or name)",
                source=src,
                column=col,
            )
        dup = [r for r in wanted if list(hits.values()).count(hits[r]) > 1]
        if dup:
            raise InputError(f"several data regions match the same boundary: {dup}", source=src)
        out = gdf.loc[[hits[r] for r in wanted]].copy()
        out.index = wanted
    out.index.name = "region"
    if out.index.duplicated().any():
        raise InputError(
            f"duplicate region ids in the boundaries: {sorted(set(out.index[out.index.duplicated()]))}",
            source=src,
        )
    out.attrs["source"] = src
    return out


def _points_lonlat(gdf: gpd.GeoDataFrame) -> Any:
    pts = gdf.geometry.representative_point()
    if (gdf.crs is not None and not gdf.crs.is_geographic) or (
        gdf.crs is not None and gdf.crs.to_epsg() not in (4326, None)
    ):
        pts = pts.to_crs(4326)
    return pts


def region_graph(
    boundaries: Any = None,
    graph: str | GraphSpec = "queen",
    *,
    regions: Sequence[str] | None = None,
    key: str | None = None,
    transform: Transform = "r",
) -> RegionGraph:
    """Build a region graph from boundaries (embedded Kazakhstan by default).

    Parameters
    ----------
    boundaries
        ``None`` (embedded ``kaz_boundaries``), a GeoJSON/GeoPackage path or a GeoDataFrame.
    graph
        ``"queen"``, ``"rook"``, ``"knn:K"`` or ``"band:KM"`` (or a :class:`GraphSpec`).
        knn and band use great-circle distances between representative points.
    regions, key
        Match the boundaries to these region labels (see :func:`read_boundaries`).
    transform
        ``"r"`` row-standardised (default) or ``"b"`` binary.

    Examples
    --------
    >>> g = region_graph(graph="queen")
    >>> len(g.regions), g.n_components, g.islands
    (16, 1, [])
    >>> g.neighbours("astana")
    ['akmola']
    """
    check_literal(transform, Transform, "transform")
    spec = GraphSpec.parse(graph)
    if spec.kind == "edges":
        raise InputError("an edge-list graph is made with graph_from_edges()")
    gdf = read_boundaries(boundaries, regions=regions, key=key)
    src = gdf.attrs.get("source", "<boundaries>")
    lps = _need("libpysal.graph")
    n = len(gdf)
    if spec.kind in ("queen", "rook"):
        g = lps.Graph.build_contiguity(gdf.geometry, rook=spec.kind == "rook")
    elif spec.kind == "knn":
        assert spec.k is not None
        if spec.k >= n:
            raise InputError(f"knn:{spec.k} needs more than {spec.k} regions; there are {n}")
        pts = _points_lonlat(gdf)
        # libpysal's haversine k-nearest search (scikit-learn BallTree on lat/lon radians)
        g = lps.Graph.build_knn(pts, k=spec.k, metric="haversine")
    else:
        assert spec.threshold_km is not None
        pts = _points_lonlat(gdf)
        x, y = pts.x.to_numpy(), pts.y.to_numpy()
        d = great_circle_km(x[:, None], y[:, None], x[None, :], y[None, :])
        ids = np.asarray(gdf.index)
        i, j = np.nonzero((d <= spec.threshold_km) & ~np.eye(n, dtype=bool))
        # libpysal's build_distance_band is planar only, and its kernel builder does not
        # convert degrees for the haversine metric (libpysal 4.14): the band is built from
        # the great-circle distances here and handed to libpysal as an adjacency list.
        g = _from_pairs(lps, ids[i], ids[j], np.ones(len(i)), list(ids))
    g = _reorder(lps, g, list(gdf.index))
    return RegionGraph(g, spec, transform, gdf, src)


def _from_pairs(lps: Any, focal: Any, neighbour: Any, weight: Any, ids: Sequence[Any]) -> Graph:
    import pandas as pd

    adj = pd.DataFrame(
        {"focal": list(focal), "neighbor": list(neighbour), "weight": np.asarray(weight, float)}
    )
    linked = set(adj["focal"])
    # islands: a self-loop of weight 0 is libpysal's way to keep a region without neighbours
    isl = [r for r in ids if r not in linked]
    if isl:
        adj = pd.concat(
            [adj, pd.DataFrame({"focal": isl, "neighbor": isl, "weight": 0.0})], ignore_index=True
        )
    order = {r: k for k, r in enumerate(ids)}
    adj = adj.sort_values(["focal", "neighbor"], key=lambda s: s.map(order)).reset_index(drop=True)
    return lps.Graph.from_adjacency(adj)


def _reorder(lps: Any, g: Graph, ids: list[Any]) -> Graph:
    if [str(i) for i in g.unique_ids] == [str(i) for i in ids]:
        return g
    adj = g.adjacency.reset_index()
    adj.columns = ["focal", "neighbor", "weight"]
    return _from_pairs(
        lps,
        adj["focal"][adj["focal"] != adj["neighbor"]],
        adj["neighbor"][adj["focal"] != adj["neighbor"]],
        adj["weight"][adj["focal"] != adj["neighbor"]],
        ids,
    )


def graph_from_edges(
    edges: Any,
    *,
    focal: str = "focal",
    neighbour: str = "neighbour",
    weight: str | None = None,
    regions: Sequence[str] | None = None,
    symmetric: bool = True,
    transform: Transform = "r",
    source: str = "<edges>",
) -> RegionGraph:
    """Build a region graph from a user edge list (any frame, or a CSV/XLSX/Parquet path).

    Parameters
    ----------
    edges
        One row per link: ``focal, neighbour[, weight]``. ``neighbor`` is accepted too.
    weight
        Optional column of positive weights (default: every link weighs 1).
    regions
        All regions of the study; those without a link become islands.
    symmetric
        Add the reverse of every link (default), so that ``a, b`` also makes ``b, a``.
    transform
        ``"r"`` row-standardised (default) or ``"b"`` binary.

    Examples
    --------
    >>> import polars as pl
    >>> e = pl.DataFrame({"focal": ["a", "b"], "neighbour": ["b", "c"]})
    >>> g = graph_from_edges(e, regions=["a", "b", "c", "d"])
    >>> g.neighbours("b"), g.islands
    (['a', 'c'], ['d'])
    """
    check_literal(transform, Transform, "transform")
    if isinstance(edges, str | Path):
        from growthpole.io import read_table

        source = str(edges)
        edges = read_table(edges)
    frame = as_narwhals(edges, source=source)
    cols = frame.collect_schema().names()
    if neighbour not in cols and neighbour == "neighbour" and "neighbor" in cols:
        neighbour = "neighbor"
    require_columns(frame, [focal, neighbour] + ([weight] if weight else []), source=source)
    e = collect_polars(frame.select([focal, neighbour] + ([weight] if weight else [])))
    for c in (focal, neighbour):
        nulls = e.get_column(c).is_null()
        if nulls.any():
            raise InputError("empty region id", source=source, column=c, row=_first(nulls))
    e = e.with_columns(pl.col(focal).cast(pl.String), pl.col(neighbour).cast(pl.String))
    if weight:
        from growthpole.io import check_numeric

        e = check_numeric(e, weight, source=source)
        bad = e.get_column(weight).is_null() | (e.get_column(weight) <= 0)
        if bad.any():
            row = _first(bad)
            raise InputError("expected a positive weight", source=source, column=weight, row=row)
        w = e.get_column(weight).to_numpy()
    else:
        w = np.ones(e.height)
    f, nb = e.get_column(focal).to_list(), e.get_column(neighbour).to_list()
    self_loop = [k for k, (a, b) in enumerate(zip(f, nb, strict=True)) if a == b]
    if self_loop:
        raise InputError(
            f"a region cannot neighbour itself ({f[self_loop[0]]!r})",
            source=source,
            column=neighbour,
            row=self_loop[0] + 1,
        )
    pairs: dict[tuple[str, str], float] = {}
    for a, b, ww in zip(f, nb, w, strict=True):
        if (a, b) in pairs and pairs[(a, b)] != ww:
            raise InputError(
                f"link {a!r} -> {b!r} is listed twice with different weights", source=source
            )
        pairs[(a, b)] = float(ww)
    if symmetric:
        for (a, b), ww in list(pairs.items()):
            if (b, a) in pairs and pairs[(b, a)] != ww:
                raise InputError(
                    f"links {a!r} -> {b!r} and back have different weights; pass symmetric=False "
                    "for a directed graph",
                    source=source,
                )
            pairs.setdefault((b, a), ww)
    seen = sorted({x for ab in pairs for x in ab})
    if regions is None:
        ids = seen
    else:
        ids = [str(r) for r in regions]
        extra = sorted(set(seen) - set(ids))
        if extra:
            raise InputError(
                f"the edge list names regions that are not in the data: {extra}", source=source
            )
    if not ids:
        raise InputError("the edge list is empty", source=source)
    lps = _need("libpysal.graph")
    keys = list(pairs)
    g = _from_pairs(lps, [a for a, _ in keys], [b for _, b in keys], [pairs[k] for k in keys], ids)
    return RegionGraph(g, GraphSpec("edges"), transform, None, source)
