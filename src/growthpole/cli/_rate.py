"""``growthpole rate``: a composite indicator on the user's file, with its robustness.

Everything is computed first and written only at the end (each file atomically), so a
failure leaves nothing behind.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.table import Table

from growthpole.cli._app import app, console
from growthpole.errors import InputError, SpecError
from growthpole.specs import IndexSpec

_OUT = typer.Option("--out", "-o", help="Folder for the output files (created if missing).")


def _load_spec(spec: str) -> IndexSpec:
    path = Path(spec)
    if path.exists() or path.suffix:
        return IndexSpec.load(path)
    try:
        presets = importlib.import_module("growthpole.methods").PRESETS
    except (ImportError, AttributeError):
        presets = {}
    if spec in presets:
        return presets[spec].spec()
    raise SpecError(
        f"{spec}: no such spec file (and not a preset: {sorted(presets) or 'none known'})"
    )


def _read(
    data: Path,
    spec: IndexSpec,
    *,
    region: str,
    year_col: str,
    indicator: str,
    value: str,
    sheet: str | None,
) -> pl.DataFrame:
    from growthpole.io import read_table, to_long

    frame = read_table(data, sheet=sheet)
    return to_long(
        frame,
        region=region,
        year=year_col,
        indicator=indicator,
        value=value,
        indicators=[*spec.indicator_names, *spec.auxiliary_names],
        source=str(data),
    )


def _shares(path: Path) -> pl.DataFrame:
    from growthpole.io import read_table

    frame = read_table(path)
    if "share_of_national" in frame.columns:
        return frame
    if "value" in frame.columns:
        from growthpole.indices.share import share_of_national

        return share_of_national(frame)
    raise InputError(
        "expected a column 'share_of_national' (or 'value' to compute it from); "
        f"the table has {frame.columns}",
        source=str(path),
    )


def _add_auxiliary(long: pl.DataFrame, item: str) -> pl.DataFrame:
    from growthpole import datasets
    from growthpole.composite import with_auxiliary
    from growthpole.io import read_table

    name, sep, src = item.partition("=")
    if not sep or not name or not src:
        raise InputError(
            f"--auxiliary needs NAME=SOURCE (e.g. population=kaz_population); got {item!r}"
        )
    if Path(src).suffix:
        frame = read_table(src)
    else:
        known = datasets.list_datasets()["name"].to_list()
        if src not in known:
            raise InputError(f"--auxiliary: {src!r} is neither a file nor a dataset {known}")
        frame = datasets.load(src)
    if name in set(long["indicator"].unique().to_list()):
        raise InputError(f"--auxiliary: the data already has a variable {name!r}")
    return with_auxiliary(long, name, frame)


def _weights(comp: Any, how: str) -> IndexSpec:
    from growthpole.composite import equal_weights, optimise_weights, pca_weights

    if how == "equal":
        return equal_weights(comp.spec)
    if how == "pca":
        return pca_weights(comp)
    if how in ("balance", "max"):
        return optimise_weights(comp, how)  # type: ignore[arg-type]
    raise InputError(
        f"--weights needs to be one of ['spec', 'equal', 'pca', 'balance', 'max']; {how!r} was given"
    )


def _split(values: list[str]) -> list[Any]:
    """``"a,b"`` or ``"min_max:low=1:high=100"`` (method with params) → alternatives."""
    out: list[Any] = []
    for item in values:
        if ":" not in item:
            out += [v.strip() for v in item.split(",") if v.strip()]
            continue
        name, *pairs = item.split(":")
        params: dict[str, Any] = {}
        for pair in pairs:
            key, sep, val = pair.partition("=")
            if not sep:
                raise InputError(f"expected METHOD:KEY=VALUE[:KEY=VALUE]; got {item!r}")
            try:
                params[key.strip()] = float(val)
            except ValueError:
                params[key.strip()] = val.strip()
        out.append((name.strip(), params))
    return out


def _table(ratings: pl.DataFrame, idx: str, mc: bool) -> Table:
    table = Table(title="Composite indicator", title_justify="left")
    cols = ["region", "year", idx, "grade", "rank"]
    if mc:
        cols += ["rank_p05", "rank_median", "rank_p95"]
    if "candidate" in ratings.columns:
        cols.append("candidate")
    for c in cols:
        table.add_column(c, justify="left" if c in ("region", "grade") else "right")
    for r in ratings.head(40).iter_rows(named=True):
        cells = []
        for c in cols:
            v = r.get(c)
            if v is None:
                cells.append("")
            elif c == idx:
                cells.append(f"{v:.2f}")
            elif c == "candidate":
                cells.append(f"{v:.0%}")
            elif isinstance(v, float):
                cells.append(f"{v:g}")
            else:
                cells.append(str(v))
        table.add_row(*cells)
    if ratings.height > 40:
        table.caption = f"first 40 of {ratings.height} rows; all in ratings.csv"
    return table


@app.command("rate")
def rate_cmd(
    data: Annotated[Path, typer.Argument(help="CSV, XLSX or Parquet, long or wide.")],
    spec: Annotated[str, typer.Option("--spec", "-s", help="TOML spec file (or a preset name).")],
    out: Annotated[Path, _OUT] = Path("growthpole-out"),
    year: Annotated[int | None, typer.Option("--year", help="Rate this year only.")] = None,
    region: Annotated[str, typer.Option("--region", help="Region column.")] = "region",
    year_col: Annotated[str, typer.Option("--year-col", help="Year column.")] = "year",
    indicator: Annotated[
        str, typer.Option("--indicator", help="Indicator column (long tables).")
    ] = "indicator",
    value: Annotated[str, typer.Option("--value", help="Value column (long tables).")] = "value",
    sheet: Annotated[str | None, typer.Option("--sheet", help="Excel sheet name.")] = None,
    uncertainty: Annotated[
        int, typer.Option("--uncertainty", help="Monte Carlo replications (0 = none).")
    ] = 0,
    sensitivity: Annotated[
        int,
        typer.Option("--sensitivity", help="Base sample of the Sobol analysis (0 = none)."),
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    noise: Annotated[
        float, typer.Option("--noise", help="Weight noise: factors in [1-noise, 1+noise].")
    ] = 0.25,
    normalisations: Annotated[
        list[str] | None,
        typer.Option(
            "--alt-normalisation",
            help="Alternative normalisation(s): rank,percentile_rank or min_max:low=1:high=100.",
        ),
    ] = None,
    aggregations: Annotated[
        list[str] | None,
        typer.Option("--alt-aggregation", help="Alternative aggregation(s) [geometric]."),
    ] = None,
    exclude: Annotated[
        bool, typer.Option("--exclude/--no-exclude", help="Leave one indicator out at random.")
    ] = True,
    vary_treatment: Annotated[
        bool,
        typer.Option("--vary-treatment/--fixed-treatment", help="Switch outlier treatment."),
    ] = True,
    vary_imputation: Annotated[
        bool,
        typer.Option("--vary-imputation/--fixed-imputation", help="Switch imputation off."),
    ] = True,
    shares: Annotated[
        Path | None,
        typer.Option("--shares", help="region, year, share_of_national (or value): candidates."),
    ] = None,
    weights: Annotated[
        str,
        typer.Option(
            "--weights",
            help="Weights: spec (as written), equal, pca, balance or max (optimised "
            "correlations with the parent); the spec used is written as spec.toml.",
        ),
    ] = "spec",
    auxiliary: Annotated[
        list[str] | None,
        typer.Option(
            "--auxiliary",
            help="NAME=SOURCE: add a variable for denominators from an embedded dataset "
            "(e.g. population=kaz_population) or a file with region, year, value.",
        ),
    ] = None,
) -> None:
    """Rate regions on a composite indicator; optionally test how robust the ranks are.

    Writes ratings.csv, diagnostics.csv, results.xlsx and, with --uncertainty /
    --sensitivity, uncertainty.csv and sensitivity.csv.
    """
    from growthpole.composite import (
        Composite,
        Uncertainties,
        diagnostics,
        leave_one_out,
    )
    from growthpole.composite import sensitivity as sobol
    from growthpole.composite import uncertainty as monte_carlo

    if uncertainty < 0 or sensitivity < 0:
        raise InputError("--uncertainty and --sensitivity need a number >= 0")
    s = _load_spec(spec)
    long = _read(
        data, s, region=region, year_col=year_col, indicator=indicator, value=value, sheet=sheet
    )
    for item in auxiliary or []:
        long = _add_auxiliary(long, item)
    if year is not None:
        years = sorted(y for y in long["year"].unique().to_list() if y is not None)
        long = long.filter(pl.col("year") == year)
        if long.height == 0:
            raise InputError(
                f"no rows for year {year}; the data has years {years}",
                source=str(data),
                column=year_col,
            )
    comp = Composite.build(long, s, source=str(data))
    if weights != "spec":
        comp = comp.with_spec(_weights(comp, weights))
        s = comp.spec
    comp.warn()
    idx = s.index_name
    ratings = comp.ratings
    files: dict[str, pl.DataFrame] = {}
    diag = diagnostics(comp)
    share_frame = _shares(shares) if shares is not None else None
    sheets: dict[str, Any] = {}
    mc = uncertainty > 0 or sensitivity > 0
    settings = None
    if mc:
        alt_n = _split(normalisations or [])
        alt_a = _split(aggregations if aggregations is not None else ["geometric"])
        treat = (("coinr" if s.treatment == "none" else "none"),) if vary_treatment else ()
        imp = ("none",) if vary_imputation and s.imputation != "none" else ()
        settings = Uncertainties(
            weight_noise=noise,
            normalisations=tuple(alt_n),
            aggregations=tuple(alt_a),
            imputations=imp,
            treatments=treat,
            exclude=exclude,
        )
    if uncertainty > 0:
        res = monte_carlo(
            comp, uncertainty, settings=settings, seed=seed, shares=share_frame, progress=None
        )
        extra = res.summary.drop(idx, "grade", "rank")
        ratings = ratings.join(extra, on=["region", "year"], how="left", nulls_equal=True)
        draws = res.draws
        if res.ranks is not None:
            nominal = comp.core.rank[0]
            import numpy as np

            shift = np.nanmean(np.abs(res.ranks - np.nan_to_num(nominal)[None, :]), axis=1)
            draws = draws.with_columns(pl.Series("mean_abs_rank_shift", shift))
        files["uncertainty.csv"] = draws
    if sensitivity > 0:
        sres = sobol(comp, sensitivity, settings=settings, seed=seed, progress=None)
        loo = leave_one_out(comp)
        loo_sum = loo.group_by("indicator", maintain_order=True).agg(
            pl.col("shift").abs().mean().alias("mean_abs_shift"),
            pl.col("shift").abs().max().cast(pl.Float64).alias("max_abs_shift"),
        )
        sens = pl.concat(
            [
                sres.indices.unpivot(index="factor", variable_name="statistic").select(
                    pl.lit("sobol").alias("analysis"), "factor", "statistic", "value"
                ),
                loo_sum.unpivot(index="indicator", variable_name="statistic").select(
                    pl.lit("leave_one_out").alias("analysis"),
                    pl.col("indicator").alias("factor"),
                    "statistic",
                    "value",
                ),
            ]
        )
        files["sensitivity.csv"] = sens
        sheets["leave_one_out"] = loo
    files = {"ratings.csv": ratings, "diagnostics.csv": diag, **files}
    if len(comp.prepared.year_blocks) > 1:
        from growthpole.composite import trends

        rank_tr = trends(comp.ratings, "rank").select(
            "region", (pl.col("start") - pl.col("end")).cast(pl.Int64).alias("rank_change")
        )
        files["trends.csv"] = trends(comp.ratings, idx).join(rank_tr, on="region", how="left")
    if comp.report.height:
        files["changes.csv"] = comp.report

    from growthpole.io import write_csv, write_excel

    written = [write_csv(frame, out / name) for name, frame in files.items()]
    book = {name.removesuffix(".csv"): frame for name, frame in files.items()} | sheets
    book["spec"] = pl.DataFrame({"spec.toml": s.to_toml().splitlines()})
    written.append(write_excel(book, out / "results.xlsx"))
    from growthpole.io import write_text

    written.append(write_text(s.to_toml(), out / "spec.toml"))
    if uncertainty > 0:
        try:
            from growthpole.composite._plot import plot_rank_intervals

            plot_rank_intervals(
                ratings,
                out / "uncertainty.png",
                sobol=sres.indices if sensitivity > 0 else None,
            )
            written.append(out / "uncertainty.png")
        except ImportError:
            console.print("(install matplotlib for the picture uncertainty.png)")
    console.print(_table(ratings, idx, uncertainty > 0))
    if sensitivity > 0:
        console.print(
            "Sobol indices of the mean absolute rank shift (first order, total): "
            + ", ".join(
                f"{f} {a:.2f}/{b:.2f}"
                for f, a, b in sres.indices.select("factor", "first_order", "total").rows()
            ),
            highlight=False,
        )
    console.print("written: " + ", ".join(str(p) for p in written), highlight=False)
