"""Boundaries for maps: read GeoJSON or GeoPackage, join them to region-level data.

Internal to :mod:`growthpole.report.charts`. Geometry is drawn straight from the GeoJSON
coordinates (no GeoPandas needed); a GeoPackage is read with ``pyogrio`` + ``shapely``
(the ``spatial`` extra).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from growthpole.errors import InputError, MissingExtraError

__all__ = ["Boundaries", "load_boundaries", "match_regions"]

#: Boundary properties tried, in this order, when no join key is given.
KEY_CANDIDATES = (
    "region_id",
    "region",
    "id",
    "iso_3166_2",
    "kato",
    "code",
    "name",
    "paper_name",
    "name_en",
    "NAME_1",
    "shapeName",
)


@dataclass(frozen=True)
class Boundaries:
    """Features of a boundaries file: their properties and their GeoJSON geometry."""

    source: str
    properties: tuple[Mapping[str, Any], ...]
    geometries: tuple[Mapping[str, Any], ...]

    def keys(self) -> list[str]:
        """Property names present on every feature."""
        if not self.properties:
            return []
        common = set(self.properties[0])
        for p in self.properties[1:]:
            common &= set(p)
        return [k for k in self.properties[0] if k in common]

    def values(self, key: str) -> list[str]:
        """The property ``key`` of each feature, as text."""
        return ["" if p.get(key) is None else str(p.get(key)) for p in self.properties]


def load_boundaries(boundaries: Any = None) -> Boundaries:
    """Read boundaries: ``None`` (the embedded 16 regions), a GeoJSON dict, or a file path.

    A path ending in ``.geojson``/``.json`` is read as GeoJSON, ``.gpkg`` as a GeoPackage
    (first layer; needs ``pyogrio`` and ``shapely``).
    """
    if boundaries is None:
        from growthpole.datasets import geojson, path

        return _from_geojson(geojson("kaz_boundaries"), str(path("kaz_boundaries").name))
    if isinstance(boundaries, Boundaries):
        return boundaries
    if isinstance(boundaries, Mapping):
        return _from_geojson(boundaries, "<GeoJSON>")
    p = Path(boundaries)
    src = str(p)
    if not p.is_file():
        raise InputError("boundaries file not found", source=src)
    suffix = p.suffix.lower()
    if suffix in (".geojson", ".json"):
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"cannot read the file as GeoJSON: {exc}", source=src) from None
        return _from_geojson(data, src)
    if suffix == ".gpkg":
        return _from_gpkg(p)
    raise InputError(
        f"unknown boundaries format {p.suffix or '(no extension)'!r}; expected .geojson, "
        ".json or .gpkg",
        source=src,
    )


def _from_geojson(data: Any, src: str) -> Boundaries:
    if not isinstance(data, Mapping):
        raise InputError("expected a GeoJSON FeatureCollection (a JSON object)", source=src)
    if data.get("type") == "Feature":
        feats: list[Any] = [data]
    elif data.get("type") == "FeatureCollection" and isinstance(data.get("features"), list):
        feats = data["features"]
    else:
        raise InputError(
            "expected a GeoJSON FeatureCollection with a 'features' list; got type "
            f"{data.get('type')!r}",
            source=src,
        )
    props, geoms = [], []
    for i, f in enumerate(feats, start=1):
        geom = f.get("geometry") if isinstance(f, Mapping) else None
        if not isinstance(geom, Mapping) or geom.get("type") not in ("Polygon", "MultiPolygon"):
            kind = geom.get("type") if isinstance(geom, Mapping) else geom
            raise InputError(
                f"feature {i}: expected a Polygon or MultiPolygon geometry, got {kind!r}",
                source=src,
            )
        props.append(dict(f.get("properties") or {}))
        geoms.append(geom)
    if not feats:
        raise InputError("the boundaries have no features", source=src)
    return Boundaries(src, tuple(props), tuple(geoms))


def _from_gpkg(p: Path) -> Boundaries:
    try:
        import pyogrio.raw
        import shapely
    except ImportError:
        raise MissingExtraError("pyogrio", "spatial") from None
    try:
        meta, _fids, geometry, field_data = pyogrio.raw.read(p)
    except Exception as exc:  # GDAL raises its own types
        raise InputError(f"cannot read the file as GeoPackage: {exc}", source=str(p)) from None
    names = list(meta["fields"])
    geoms = shapely.from_wkb(geometry)
    crs = str(meta.get("crs") or "")
    if crs and not re.search(r"4326|CRS84|WGS ?84", crs, re.IGNORECASE):
        raise InputError(
            f"expected longitude/latitude (EPSG:4326) coordinates, got CRS {crs}; "
            "reproject the layer first",
            source=str(p),
        )
    props = []
    for i in range(len(geoms)):
        props.append({n: _plain(field_data[j][i]) for j, n in enumerate(names)})
    mapped = tuple(shapely.geometry.mapping(g) for g in geoms)
    return _from_geojson(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": pr, "geometry": g}
                for pr, g in zip(props, mapped, strict=True)
            ],
        },
        str(p),
    )


def _plain(v: Any) -> Any:
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def match_regions(
    bounds: Boundaries,
    data_keys: Mapping[str, Sequence[Any]],
    key: str | None = None,
) -> tuple[str, str, dict[str, int]]:
    """Join data regions to features.

    ``data_keys`` maps a data column (e.g. ``region``, ``name``) to its values. Returns
    ``(data column, boundary property, {data value: feature position})``. With no ``key``,
    the (column, property) pair that matches the most regions wins. Matching ignores case
    and repeated spaces. Raises InputError listing the data regions that match no feature.
    """
    available = bounds.keys()
    if key is not None and key not in available:
        raise InputError(
            f"boundary property {key!r} not found; the features have {available}",
            source=bounds.source,
        )
    props = [key] if key else [k for k in KEY_CANDIDATES if k in available] or available
    best: tuple[int, str, str, dict[str, int]] | None = None
    for col, values in data_keys.items():
        wanted = [str(v) for v in values if v is not None]
        for prop in props:
            lookup: dict[str, int] = {}
            for pos, val in enumerate(bounds.values(prop)):
                lookup.setdefault(_norm(val), pos)
            hits = {v: lookup[_norm(v)] for v in wanted if _norm(v) in lookup}
            if best is None or len(hits) > best[0]:
                best = (len(hits), col, prop, hits)
    assert best is not None  # data_keys is never empty
    _n, col, prop, hits = best
    wanted = _unique(str(v) for v in data_keys[col] if v is not None)
    unmatched = [v for v in wanted if v not in hits]
    if unmatched:
        sample = sorted(set(bounds.values(prop)))[:20]
        raise InputError(
            f"{len(unmatched)} region(s) of the data match no boundary feature "
            f"(joined data column {col!r} to boundary property {prop!r}): {unmatched}; "
            f"the boundaries have {sample}",
            source=bounds.source,
            column=col,
        )
    return col, prop, hits


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        seen.setdefault(v, None)
    return list(seen)


def rings(geometry: Mapping[str, Any]) -> list[list[list[list[float]]]]:
    """Polygons of a geometry as lists of rings of ``[lon, lat]`` points."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])
