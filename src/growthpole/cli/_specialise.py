"""``growthpole specialise``: share of national (0.1) and the family of indices (issue 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.table import Table

from growthpole import indices as ix
from growthpole.cli._app import app, console
from growthpole.errors import InputError
from growthpole.io import check_numeric, check_unique, check_year, read_table, write_csv

#: Everything ``--indices all`` computes, by output file (the first four are always there).
RI_BASE = ("share_of_national", "share_of_region", "lq", "rca_binary")
RI_EXTRA = ("density", "cog", "growth", "entry", "exit")
REGION_EXTRA = (
    "eci",
    "coi",
    "entries",
    "exits",
    "national_share",
    "industry_mix",
    "regional_shift",
)
INDUSTRY_EXTRA = ("pci",)
ALL_INDICES = (
    *ix.REGION_INDICES,
    *REGION_EXTRA,
    *ix.INDUSTRY_INDICES,
    *INDUSTRY_EXTRA,
    *RI_EXTRA,
    *RI_BASE,
)


def _load(data: str) -> tuple[pl.DataFrame, str]:
    p = Path(data)
    if not p.exists():
        from growthpole import datasets

        if data in set(datasets.list_datasets()["name"].to_list()):
            return datasets.load(data), f"dataset {data}"
    return read_table(p), str(p)


def _parse_indices(text: str | None) -> list[str]:
    if text is None or text.strip().lower() == "all":
        return list(ALL_INDICES)
    chosen = [t.strip() for t in text.split(",") if t.strip()]
    unknown = [t for t in chosen if t not in ALL_INDICES]
    if unknown:
        raise InputError(
            f"unknown index {unknown}; --indices takes 'all' or a comma list of "
            f"{', '.join(ALL_INDICES)}"
        )
    return chosen


def _check_roles(
    frame: pl.DataFrame, src: str, cols: dict[str, str | None], *, allow_null: bool
) -> pl.DataFrame:
    for role, col in cols.items():
        if col is not None and col not in frame.columns:
            raise InputError(
                f"missing column for the {role}; the table has {frame.columns} "
                f"(name it with --{role.replace('_', '-')})",
                source=src,
                column=col,
            )
    value = cols["value"]
    assert value is not None
    frame = check_numeric(frame, value, source=src)
    v = frame.get_column(value)
    if not allow_null and v.null_count():
        row = int(v.is_null().arg_max() or 0) + 1
        raise InputError(
            "missing value; the indices need every value (an absent row counts as zero, "
            "a missing one is unknown): drop the row or fill it",
            source=src,
            column=value,
            row=row,
        )
    if (v < 0).any():
        row = int((v < 0).arg_max() or 0) + 1
        raise InputError(f"negative value {v[row - 1]}", source=src, column=value, row=row)
    for role in ("region", "industry"):
        col = cols.get(role)
        if col is not None and frame.get_column(col).null_count():
            row = int(frame.get_column(col).is_null().arg_max() or 0) + 1
            raise InputError(f"empty {role}", source=src, column=col, row=row)
    year = cols.get("year")
    if year is not None:
        frame = check_year(frame, year, source=src)
    return frame


@app.command("specialise")
def specialise_cmd(
    data: Annotated[
        str, typer.Argument(help="CSV, XLSX or Parquet file (or an embedded dataset name).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the output files.")] = Path(
        "growthpole-out"
    ),
    industry: Annotated[
        str | None,
        typer.Option("--industry", help="Only this industry (or cluster) for specialisation.csv."),
    ] = None,
    indices: Annotated[
        str | None,
        typer.Option("--indices", help="'all' or a comma list; writes the four index tables."),
    ] = None,
    clusters: Annotated[
        Path | None,
        typer.Option(
            "--clusters",
            help="Map (cluster, industry) aggregating industries first; "
            "'5415xx' or '5415*' match a code prefix.",
        ),
    ] = None,
    region_col: Annotated[str, typer.Option("--region", help="Region column.")] = "region",
    industry_col: Annotated[
        str, typer.Option("--industry-col", help="Industry column.")
    ] = "industry",
    year_col: Annotated[str, typer.Option("--year-col", help="Year column (optional).")] = "year",
    value_col: Annotated[str, typer.Option("--value", help="Value column (e.g. employment).")] = (
        "value"
    ),
    establishments: Annotated[
        str | None,
        typer.Option("--establishments", help="Establishments column for the strong-cluster rule."),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", help="LQ at or above which a region has an industry.")
    ] = 1.0,
) -> None:
    """Specialisation of regions: share of national (0.1) or the full family of indices.

    Without --indices/--clusters: DIR/specialisation.csv (region, [industry,] year, value,
    share_of_national, rank). With them: region_industry.csv, regions.csv, industries.csv
    and clusters.csv (plus specialisation.csv when --industry is given).
    """
    frame, src = _load(data)
    year: str | None = year_col if year_col in frame.columns else None
    if year is None and year_col != "year":
        raise InputError(
            f"missing column; the table has {frame.columns}", source=src, column=year_col
        )
    has_industry = industry_col in frame.columns
    full = indices is not None or clusters is not None
    if (full or industry is not None) and not has_industry:
        raise InputError(
            f"missing column for the industry; the table has {frame.columns} "
            "(name it with --industry-col)",
            source=src,
            column=industry_col,
        )
    cols = {
        "region": region_col,
        "industry": industry_col if has_industry else None,
        "year": year,
        "value": value_col,
    }
    frame = _check_roles(frame, src, cols, allow_null=not full)
    check_unique(
        frame,
        [c for c in (region_col, industry_col if has_industry else None, year) if c],
        source=src,
    )
    if establishments is not None:
        if establishments not in frame.columns:
            raise InputError(
                f"missing column; the table has {frame.columns}", source=src, column=establishments
            )
        frame = check_numeric(frame, establishments, source=src)
    results: dict[str, Any] = {}
    if not full:
        results["specialisation.csv"] = _share_table(frame, cols, industry, src)
    else:
        chosen = _parse_indices(indices)
        with console.status("computing indices…"):
            results.update(_full(frame, cols, chosen, clusters, establishments, threshold, src))
        if industry is not None:
            agg = results.pop("_aggregated")
            results["specialisation.csv"] = _share_table(agg, cols, industry, src)
        results.pop("_aggregated", None)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_csv(table, out / name) for name, table in results.items()]
    if "clusters.csv" in results:
        console.print(_cluster_table(results["clusters.csv"], cols))
    for path in written:
        console.print(f"wrote {path}")


def _share_table(
    frame: pl.DataFrame, cols: dict[str, str | None], industry: str | None, src: str
) -> pl.DataFrame:
    region, ind, year, value = cols["region"], cols["industry"], cols["year"], cols["value"]
    assert region is not None
    assert value is not None
    if ind is not None and industry is not None:
        codes = frame.get_column(ind).cast(pl.String)
        if industry not in set(codes.to_list()):
            sample = sorted(set(codes.to_list()))[:10]
            raise InputError(
                f"industry {industry!r} is not in the data (e.g. {sample})", source=src, column=ind
            )
        frame = frame.filter(codes == industry)
        ind = None
    if ind is not None and frame.get_column(ind).n_unique() == 1:
        ind = None
    keep = [c for c in (region, ind, year, value) if c]
    out = ix.share_of_national(
        frame.select(keep), region=region, industry=ind, year=year, value=value, source=src
    )
    return out.select(*keep, "share_of_national", "rank")


def _full(
    frame: pl.DataFrame,
    cols: dict[str, str | None],
    chosen: list[str],
    clusters: Path | None,
    establishments: str | None,
    threshold: float,
    src: str,
) -> dict[str, Any]:
    region, ind, year, value = cols["region"], cols["industry"], cols["year"], cols["value"]
    assert region is not None
    assert ind is not None
    assert value is not None
    roles: dict[str, Any] = {
        "region": region,
        "industry": ind,
        "year": year,
        "value": value,
        "source": src,
    }
    keep = [c for c in (region, ind, year, value, establishments) if c]
    frame = frame.select(keep).with_columns(pl.col(ind).cast(pl.String))
    cluster_names: list[str] | None = None
    if clusters is not None:
        mapping = ix.read_cluster_map(str(clusters))
        cluster_names = sorted({c for c, _ in mapping})
        frame = ix.aggregate_clusters(frame, mapping, establishments=establishments, **roles)
    out: dict[str, Any] = {"_aggregated": frame}
    years = frame.get_column(year).n_unique() if year else 1

    ri = ix.location_quotient(frame, threshold=threshold, **roles)
    keys_ri = [k for k in (region, ind, year) if k]
    want_cx = any(c in chosen for c in ("density", "cog", "eci", "coi", "pci"))
    cx = None
    extra: list[str]
    if want_cx:
        outlook = "coi" in chosen or "cog" in chosen
        cx = ix.complexity(frame, threshold=threshold, outlook=outlook, pairs=True, **roles)
        extra = [c for c in ("density", "cog") if c in chosen]
        if extra:
            ri = ri.join(cx.pairs.select(*keys_ri, *extra), on=keys_ri, how="left")
    if years > 1 and any(c in chosen for c in ("growth", "entry", "exit", "entries", "exits")):
        dyn = ix.dynamics(frame, threshold=threshold, **roles)
        extra = [c for c in ("growth", "entry", "exit") if c in chosen]
        if extra:
            ri = ri.join(dyn.select(*keys_ri, *extra), on=keys_ri, how="left")
    out["region_industry.csv"] = ri

    reg_keys = [k for k in (region, year) if k]
    reg_idx = [c for c in ix.REGION_INDICES if c in chosen]
    regions = ix.specialisation(frame, threshold=threshold, indices=reg_idx, **roles)
    if cx is not None:
        extra = [c for c in ("eci", "coi") if c in chosen]
        if extra:
            regions = regions.join(cx.regions.select(*reg_keys, *extra), on=reg_keys, how="left")
    if years > 1:
        dyn_cols = [c for c in ("entries", "exits") if c in chosen]
        if dyn_cols:
            counts = dyn.group_by(reg_keys).agg(
                pl.col("entry").sum().alias("entries"), pl.col("exit").sum().alias("exits")
            )
            regions = regions.join(counts.select(*reg_keys, *dyn_cols), on=reg_keys, how="left")
        ss_cols = [c for c in ("national_share", "industry_mix", "regional_shift") if c in chosen]
        if ss_cols:
            ss = ix.shift_share(frame, method="dynamic", **roles)
            regions = regions.join(ss.select(*reg_keys, *ss_cols), on=reg_keys, how="left")
    out["regions.csv"] = regions

    ind_keys = [k for k in (ind, year) if k]
    ind_idx = [c for c in ix.INDUSTRY_INDICES if c in chosen]
    industries = ix.concentration(frame, threshold=threshold, indices=ind_idx, **roles)
    if cx is not None and "pci" in chosen:
        industries = industries.join(
            cx.industries.select(*ind_keys, "pci"), on=ind_keys, how="left"
        )
    out["industries.csv"] = industries

    strong = ix.strong_clusters(frame, establishments=establishments, **roles)
    stars = ix.cluster_stars(frame, **roles)
    keys = [k for k in (region, ind, year) if k]
    verdicts = strong.select(*keys, value, "lq", "strong").join(
        stars.select(*keys, "size_star", "specialisation_star", "focus_star", "stars"),
        on=keys,
        how="left",
    )
    if cluster_names is not None:
        verdicts = verdicts.filter(pl.col(ind).is_in(cluster_names))
    out["clusters.csv"] = verdicts.sort(
        [k for k in (year, ind) if k] + ["lq"], descending=[False] * (len(keys) - 1) + [True]
    )
    return out


def _cluster_table(verdicts: pl.DataFrame, cols: dict[str, str | None]) -> Table:
    region, ind = str(cols["region"]), str(cols["industry"])
    candidates = verdicts.filter(pl.col("strong") | (pl.col("stars") >= 2))
    top = candidates.sort(["stars", "lq"], descending=True).head(15)
    table = Table(
        title=f"cluster candidates (US strong cluster, or ≥ 2 European stars): "
        f"{candidates.height} of {verdicts.height} region-clusters"
        + (f", top {top.height}" if top.height < candidates.height else "")
    )
    for c in (region, ind, "lq", "strong", "stars"):
        table.add_column(str(c))
    for r in top.iter_rows(named=True):
        table.add_row(
            str(r[region]),
            str(r[ind]),
            f"{r['lq']:.2f}",
            "yes" if r["strong"] else "",
            "★" * int(r["stars"]),
        )
    return table
