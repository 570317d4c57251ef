"""The result object of a spatial analysis: tables, a text summary and a cluster map."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from growthpole.errors import InputError
from growthpole.spatial._analysis import GLOBAL_COLUMNS, SpatialSpec
from growthpole.spatial._graph import RegionGraph

__all__ = ["CLUSTER_COLOURS", "HOT_SPOT_COLOURS", "SpatialResult"]

# Okabe-Ito palette (colour-blind safe), with hatching for the classes that carry no colour.
CLUSTER_COLOURS = {
    "HH": "#D55E00",  # vermillion: high value, high neighbours
    "HL": "#E69F00",  # orange: high value, low neighbours (an isolated high)
    "LH": "#56B4E9",  # sky blue: low value, high neighbours
    "LL": "#0072B2",  # blue: low value, low neighbours
    "HH (not significant)": "#F2CFB3",  # the same hues, pale
    "HL (not significant)": "#F7E0B3",
    "LH (not significant)": "#CCE8F8",
    "LL (not significant)": "#B3D4E8",
    "not significant": "#EEEEEE",
    "no data": "#FFFFFF",
    "island": "#BBBBBB",
}
HOT_SPOT_COLOURS = {
    "hot spot": "#D55E00",
    "cold spot": "#0072B2",
    "not significant": "#EEEEEE",
    "no data": "#FFFFFF",
    "island": "#BBBBBB",
}
_SIGNIFICANT = {"HH", "HL", "LH", "LL", "hot spot", "cold spot"}
_LABELS = {
    "HH": "HH: high, high neighbours",
    "HL": "HL: high, low neighbours",
    "LH": "LH: low, high neighbours",
    "LL": "LL: low, low neighbours",
}

Layer = Literal["cluster", "hot_spot"]


@dataclass(frozen=True, eq=False)
class SpatialResult:
    """What :func:`~growthpole.spatial.spatial_analysis` returns.

    Attributes
    ----------
    graph
        The :class:`~growthpole.spatial.RegionGraph` used.
    global_table
        One row per year and statistic (``moran_i``, ``geary_c``): estimate, expectation,
        normal and permutation z and p, the pattern in words, counts, settings.
    local_table
        One row per region and year: value, neighbours' mean (spatial lag), core-periphery
        contrast, Local Moran with quadrant and cluster, Gi* with hot/cold spot, their
        permutation p-values and Benjamini-Hochberg q-values, changes since the base year,
        the pole verdict and its reason.
    panel_table
        One row per region over the years: persistent / emerging / fading hot spots
        (empty for a single year).
    spec
        The settings used.
    value
        Name of the variable analysed.
    """

    graph: RegionGraph
    global_table: pl.DataFrame
    local_table: pl.DataFrame
    panel_table: pl.DataFrame
    spec: SpatialSpec
    value: str = "value"

    @property
    def years(self) -> list[int | None]:
        """The years analysed (``[None]`` for a single cross-section without a year)."""
        return self.global_table.get_column("year").unique(maintain_order=True).to_list()

    def summary(self) -> str:
        """A few lines in words, built from :attr:`global_table` and :attr:`local_table`."""
        s = self.spec
        lines = [
            f"Spatial analysis of {self.value!r}: {self.graph.describe()}.",
            f"Permutations {s.permutations} (seed {s.seed}), alpha {s.alpha:g}"
            + (
                ", Benjamini-Hochberg FDR over the regions of each year"
                if s.correction == "fdr_bh"
                else ", no multiple-testing correction"
            )
            + ".",
        ]
        for row in self.global_table.iter_rows(named=True):
            when = f"{row['year']}: " if row["year"] is not None else ""
            stat = "Moran's I" if row["statistic"] == "moran_i" else "Geary's C"
            lines.append(
                f"  {when}{stat} = {row['estimate']:.3f} (expected {row['expected']:.3f}), "
                f"p_sim = {row['p_sim']:.3f}, p_norm = {row['p_norm']:.3f}, n = {row['n']} -> {row['pattern']}"
                + (f"; {row['n_no_data']} without data" if row["n_no_data"] else "")
                + (f"; {row['n_islands']} islands" if row["n_islands"] else "")
            )
        loc = self.local_table
        for yr in self.years:
            part = loc.filter(pl.col("year").is_null() if yr is None else pl.col("year") == yr)
            if part.height == 0:
                continue
            clusters = part.filter(pl.col("cluster").is_in(["HH", "HL", "LH", "LL"]))
            hot = part.filter(pl.col("hot_spot").is_in(["hot spot", "cold spot"]))
            poles = part.filter(
                pl.col("verdict").str.contains("pole") & ~pl.col("verdict").str.starts_with("not")
            )
            prefix = f"  {yr}: " if yr is not None else "  "
            lines.append(
                prefix
                + "local clusters: "
                + (
                    ", ".join(
                        f"{r} ({c})" for r, c in clusters.select("region", "cluster").iter_rows()
                    )
                    or "none significant"
                )
                + "; hot/cold spots: "
                + (
                    ", ".join(f"{r} ({h})" for r, h in hot.select("region", "hot_spot").iter_rows())
                    or "none significant"
                )
            )
            if poles.height:
                lines.append(
                    prefix
                    + "poles: "
                    + "; ".join(
                        f"{r}: {v}" for r, v in poles.select("region", "verdict").iter_rows()
                    )
                )
        if self.panel_table.height:
            moving = self.panel_table.filter(pl.col("hot_spot_trend") != "never significant")
            lines.append(
                "  over the years: "
                + (
                    ", ".join(
                        f"{r} ({t})"
                        for r, t in moving.select("region", "hot_spot_trend").iter_rows()
                    )
                    or "no hot or cold spot in any year"
                )
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, pl.DataFrame]:
        """The tables by name (``spatial_global``, ``spatial_local``, ``spatial_panel``)."""
        return {
            "spatial_global": self.global_table.select(GLOBAL_COLUMNS),
            "spatial_local": self.local_table,
            "spatial_panel": self.panel_table,
        }

    def plot(
        self,
        layer: Layer = "cluster",
        *,
        years: list[int] | None = None,
        figsize: tuple[float, float] | None = None,
    ) -> Any:
        """Map of the local clusters (or Gi* hot spots) on the boundaries, one panel a year.

        Colours are the Okabe-Ito colour-blind-safe palette; regions without data are
        hatched. Returns a ``matplotlib.figure.Figure`` (nothing is shown or saved).
        """
        from growthpole.specs import check_literal

        check_literal(layer, Layer, "layer")
        if self.graph.geometry is None:
            raise InputError(
                "this graph was built from an edge list: there are no boundaries to map"
            )
        import shapely
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch

        yrs = years if years is not None else self.years
        missing = [y for y in yrs if y not in self.years]
        if missing:
            raise InputError(f"no results for year(s) {missing}; there are {self.years}")
        colours = CLUSTER_COLOURS if layer == "cluster" else HOT_SPOT_COLOURS
        n = max(len(yrs), 1)
        fig = Figure(figsize=figsize or (6.0 * n, 4.8), layout="constrained")
        axes = fig.subplots(1, n, squeeze=False)[0]
        geom = self.graph.geometry
        for ax, yr in zip(axes, yrs, strict=True):
            part = self.local_table.filter(
                pl.col("year").is_null() if yr is None else pl.col("year") == yr
            )
            cls = {
                r: (c if s == "analysed" else s)
                for r, s, c in part.select("region", "status", layer).iter_rows()
            }
            if layer == "cluster":  # not significant: the quadrant's colour, pale
                quad = dict(part.select("region", "quadrant").iter_rows())
                cls = {
                    r: (
                        f"{quad[r]} (not significant)"
                        if c == "not significant" and quad.get(r)
                        else c
                    )
                    for r, c in cls.items()
                }
            gdf = geom.copy()
            gdf["_class"] = [cls.get(str(r), "no data") for r in gdf.index]
            for label, colour in colours.items():
                sel = gdf[gdf["_class"] == label]
                if len(sel):
                    sel.plot(
                        ax=ax,
                        color=colour,
                        edgecolor="#333333",
                        linewidth=1.4 if label in _SIGNIFICANT else 0.6,
                        hatch="///" if label in ("no data", "island") else None,
                    )
            # small regions (cities) are hard to see: a marker of their class at their point
            area = shapely.area(gdf.geometry.to_numpy())  # relative sizes only: degrees will do
            small = gdf[area < 0.01 * area.sum()]
            if len(small):
                pts = small.geometry.representative_point()
                ax.scatter(
                    pts.x,
                    pts.y,
                    s=60,
                    c=[colours.get(c, "#FFFFFF") for c in small["_class"]],
                    edgecolors="#000000",
                    linewidths=[1.4 if c in _SIGNIFICANT else 0.6 for c in small["_class"]],
                    zorder=3,
                )
            ax.set_axis_off()
            title = "Local Moran clusters" if layer == "cluster" else "Getis-Ord Gi* hot spots"
            ax.set_title(
                f"{self.value}: {title}" + (f", {yr}" if yr is not None else ""), fontsize=10
            )
        lt = self.local_table
        present = {
            c for c in (lt.get_column(layer).to_list() + lt.get_column("status").to_list()) if c
        }
        if layer == "cluster":
            present.discard("not significant")
            present |= {
                f"{q} (not significant)"
                for q, c in lt.select("quadrant", "cluster").iter_rows()
                if q and c == "not significant"
            }
        handles = [
            Patch(
                facecolor=colour,
                edgecolor="#333333",
                hatch="///" if label in ("no data", "island") else None,
                label=_LABELS.get(label, label),
            )
            for label, colour in colours.items()
            if label in present
        ]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 4),
            fontsize=8,
            frameon=False,
        )
        return fig
