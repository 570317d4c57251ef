"""The spatial layer of the report: neighbours, hot spots and spillovers (issue "spatial").

Kept apart from the other builders because it needs the optional ``spatial`` extra (PySAL);
without it the section says how to get it instead of failing the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from growthpole.report.html import Section, escape, figure_html, table_html

__all__ = ["paper_spatial_results", "spatial_section"]


def spatial_section(
    results: Sequence[Any],
    *,
    title: str = "Spatial growth poles",
    names: pl.DataFrame | None = None,
) -> Section:
    """A report section from one or more :class:`~growthpole.spatial.SpatialResult`.

    For each analysed value: the Local Moran cluster map per year, global Moran's I and
    Geary's C with their permutation p-values, and each candidate's pole verdict.
    ``names`` (columns ``region, name``) shows region names instead of ids.
    """
    parts = [
        "<p>Does a candidate sit in a cluster of strong regions, or is it an island in a weak "
        "periphery? Queen contiguity of the regions' boundaries, row-standardised weights; "
        "permutation inference, Benjamini–Hochberg correction of the local tests. Method: "
        "<code>docs/spatial.md</code>.</p>"
    ]
    for res in results:
        label = escape(_LABELS.get(res.value, res.value))
        glob = res.global_table.select(
            "year", "statistic", "estimate", "expected", "p_sim", "p_norm", "n", "pattern"
        ).with_columns(
            pl.col("statistic").replace({"moran_i": "Moran's I", "geary_c": "Geary's C"}),
            pl.col("estimate").round(3),
            pl.col("expected").round(3),
            pl.col("p_sim").round(3),
            pl.col("p_norm").round(3),
        )
        loc = res.local_table.filter(pl.col("candidate").fill_null(False)).select(
            "region", "year", "value", "cluster", "hot_spot", "verdict", "reason"
        )
        if names is not None:
            loc = loc.join(names.unique("region"), on="region", how="left").select(
                pl.coalesce("name", "region").alias("region"), *loc.columns[1:]
            )
        parts.append(f"<h3>{label}</h3>")
        parts.append(
            figure_html(
                res.plot("cluster"),
                f"{_LABELS.get(res.value, res.value)}: Local Moran clusters by year "
                "(significant after correction in full colour)",
                alt=f"Map of local spatial clusters of {res.value}",
            )
        )
        parts.append(table_html(glob, caption=f"Global spatial autocorrelation of {label}"))
        parts.append(
            table_html(loc, caption=f"Candidates: pole verdicts and local statistics, {label}")
        )
    return Section(title, "\n".join(parts), id="spatial")


_LABELS = {
    "index": "innovation index",
    "share_of_national": "IT share of national output",
}


def paper_spatial_results(res: Any) -> list[Any] | None:
    """Spatial analysis of the paper's index and IT share (None without the spatial extra)."""
    try:
        from growthpole.spatial import spatial_analysis
    except ImportError:
        return None
    years = res.ratings["year"].unique().to_list()
    shares = res.specialisation.filter(pl.col("year").is_in(years))
    poles = res.poles.filter(pl.col("candidate"))["region"].unique().to_list()
    out = []
    for frame, value in ((res.ratings, "index"), (shares, "share_of_national")):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # regions without IT data are reported in the table
            out.append(spatial_analysis(frame, value=value, candidates=poles or None))
    return out


def paper_spatial_section(res: Any) -> Section:
    """The spatial section of the paper's report, or a note on how to get it."""
    results = paper_spatial_results(res)
    if results is None:
        return Section(
            "Spatial growth poles",
            "<p>The spatial layer needs the optional PySAL packages: "
            "<code>pip install 'growthpole[spatial]'</code>.</p>",
            id="spatial",
        )
    return spatial_section(results, names=res.ratings.select("region", "name"))
