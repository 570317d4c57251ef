"""``growthpole spatial``: spatial clusters, hot spots and spillovers of region-level results."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer

from growthpole.cli._app import app, console
from growthpole.errors import DataWarning, InputError


@app.command("spatial")
def spatial(
    results: Annotated[Path, typer.Argument(help="Region-level results (CSV, XLSX or Parquet).")],
    value: Annotated[str, typer.Option("--value", help="Column to analyse, e.g. index.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the output files.")],
    boundaries: Annotated[
        Path | None,
        typer.Option(
            "--boundaries",
            help="GeoJSON/GeoPackage of the regions (default: the embedded 16 Kazakhstan regions).",
        ),
    ] = None,
    graph: Annotated[
        str, typer.Option("--graph", help="queen | rook | knn:K | band:KM (great-circle km).")
    ] = "queen",
    edges: Annotated[
        Path | None,
        typer.Option(
            "--edges",
            help="User edge list (CSV with focal, neighbour[, weight]) instead of boundaries.",
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--key", help="Boundary property holding the region id or name (default: found)."
        ),
    ] = None,
    region: Annotated[str, typer.Option("--region", help="Region column.")] = "region",
    year: Annotated[
        str | None, typer.Option("--year-col", help="Year column ('' for a single cross-section).")
    ] = "year",
    transform: Annotated[
        str, typer.Option("--transform", help="r (row-standardised) or b (binary).")
    ] = "r",
    alpha: Annotated[
        float, typer.Option("--alpha", help="Significance level / false-discovery rate.")
    ] = 0.05,
    permutations: Annotated[int, typer.Option("--permutations", help="Random permutations.")] = 999,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the permutations.")] = 0,
    correction: Annotated[
        str, typer.Option("--correction", help="fdr_bh (Benjamini-Hochberg) or none.")
    ] = "fdr_bh",
    candidates: Annotated[
        str | None,
        typer.Option(
            "--candidates", help="true/false column marking the pole candidates (default: all)."
        ),
    ] = None,
    plot: Annotated[
        bool, typer.Option("--plot/--no-plot", help="Also write spatial_map.png.")
    ] = True,
) -> None:
    """Global Moran's I and Geary's C, Local Moran clusters, Gi* hot spots, pole verdicts.

    Writes OUT/spatial_global.csv and OUT/spatial_local.csv, plus OUT/spatial_panel.csv
    (persistent, emerging and fading hot spots) when there are several years, and
    OUT/spatial_map.png (cluster maps) when there are boundaries.
    """
    from growthpole.io import read_table, write_csv
    from growthpole.spatial import graph_from_edges, spatial_analysis

    src = str(results)
    data = read_table(results)
    year_col = year or None
    if year_col is not None and year_col not in data.columns:
        if year == "year":  # the default: a table without years is one cross-section
            year_col = None
        else:
            raise InputError(
                f"missing column; the table has {data.columns}", source=src, column=year
            )
    g: object = graph
    if edges is not None:
        if boundaries is not None:
            raise InputError("give either --edges or --boundaries, not both")
        regions = (
            sorted({str(r) for r in data.get_column(region).drop_nulls().to_list()})
            if region in data.columns
            else None
        )
        g = graph_from_edges(edges, regions=regions, transform=transform)  # type: ignore[arg-type]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataWarning)
        with console.status("spatial statistics (permutations)...", spinner="dots"):
            res = spatial_analysis(
                data,
                g,  # type: ignore[arg-type]
                value=value,
                region=region,
                year=year_col,
                boundaries=boundaries,
                key=key,
                transform=transform,
                alpha=alpha,
                permutations=permutations,
                seed=seed,
                correction=correction,
                candidates=candidates,
                source=src,
            )
    for w in caught:
        if issubclass(w.category, DataWarning):
            warnings.warn(str(w.message), DataWarning, stacklevel=1)
    tables = res.to_dict()
    written = [
        write_csv(tables["spatial_global"], out / "spatial_global.csv"),
        write_csv(tables["spatial_local"], out / "spatial_local.csv"),
    ]
    if tables["spatial_panel"].height:
        written.append(write_csv(tables["spatial_panel"], out / "spatial_panel.csv"))
    if plot and res.graph.geometry is not None:
        from growthpole.report.charts import save

        written.append(save(res.plot(), out / "spatial_map.png", dpi=120))
    console.print(res.summary(), highlight=False, soft_wrap=True)
    for p in written:
        console.print(f"wrote {p}", highlight=False)
