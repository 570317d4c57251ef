"""``growthpole report`` (the self-contained HTML report) and ``growthpole app`` (the dashboard)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from growthpole.cli._app import app, console
from growthpole.errors import InputError, MissingExtraError


@app.command("report")
def report_cmd(
    source: Annotated[
        Path | None,
        typer.Argument(
            help="DATA file (CSV/XLSX/Parquet, long or wide; needs --spec) or a results "
            "folder (ratings.csv, specialisation.csv, poles.csv, audit.csv). Omit with --demo.",
            show_default=False,
        ),
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="The paper preset on the embedded data.")
    ] = False,
    spec: Annotated[
        Path | None, typer.Option("--spec", help="TOML spec (growthpole init-spec ...).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="Industry output table (region, year, value) for specialisation and candidates.",
        ),
    ] = None,
    boundaries: Annotated[
        Path | None,
        typer.Option("--boundaries", help="GeoJSON or GeoPackage of the regions (lon/lat)."),
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="Rate only this year.")] = None,
    uncertainty: Annotated[
        int,
        typer.Option(
            "--uncertainty",
            help="Add a Monte Carlo uncertainty analysis with N replications (DATA only).",
        ),
    ] = 0,
    region: Annotated[str, typer.Option("--region", help="Region column.")] = "region",
    year_col: Annotated[str, typer.Option("--year-col", help="Year column.")] = "year",
    indicator: Annotated[str, typer.Option("--indicator", help="Indicator column.")] = "indicator",
    value: Annotated[str, typer.Option("--value", help="Value column.")] = "value",
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")] = Path(
        "report.html"
    ),
) -> None:
    """Write ONE self-contained HTML report (works offline: every chart and datum inline)."""
    from growthpole.io import write_text
    from growthpole.report import folder_report, paper_report

    if uncertainty < 0:
        raise InputError(f"--uncertainty needs a number of replications >= 0; got {uncertainty}")
    if demo and source is not None:
        raise InputError("give either --demo or a DATA file / results folder, not both")
    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError(
            "the report is an HTML file; give --out a name ending in .html", source=str(out)
        )
    with console.status("building the report"):
        if demo:
            page = paper_report()
        elif source is None:
            raise InputError(
                "nothing to report: give --demo, a DATA file with --spec, or a results folder"
            )
        elif source.is_dir():
            page = folder_report(source)
        else:
            page = _data_page(
                source,
                spec,
                output,
                boundaries,
                year,
                region,
                year_col,
                indicator,
                value,
                uncertainty,
            )
    write_text(page, out)
    size = len(page.encode("utf-8"))
    console.print(f"written: {out} ({size / 1024:.0f} KiB, self-contained)", highlight=False)


def _data_page(
    source: Path,
    spec_path: Path | None,
    output: Path | None,
    boundaries: Path | None,
    year: int | None,
    region: str,
    year_col: str,
    indicator: str,
    value: str,
    uncertainty: int = 0,
) -> str:
    from growthpole.io import read_table, to_long
    from growthpole.report import data_report
    from growthpole.report.builders import _file_item
    from growthpole.specs import IndexSpec

    if spec_path is None:
        raise InputError(
            "a DATA file needs --spec SPEC.toml (write one with: growthpole init-spec "
            "kireyeva2018 > spec.toml)",
            source=str(source),
        )
    spec = IndexSpec.load(spec_path)
    raw = read_table(source)
    long = to_long(
        raw,
        region=region,
        year=year_col,
        indicator=indicator,
        value=value,
        indicators=spec.indicator_names,
        source=str(source),
    )
    if "name" in raw.columns and region in raw.columns:
        import polars as pl

        names = raw.select(
            pl.col(region).cast(pl.String).alias("region"), pl.col("name").cast(pl.String)
        ).unique("region", keep="first")
        long = long.with_columns(pl.col("region").cast(pl.String)).join(
            names, on="region", how="left"
        )
    out_frame = None
    sources = [_file_item(source, "indicator data"), _file_item(spec_path, "spec")]
    if output is not None:
        out_frame = read_table(output)
        for col in (region, year_col, value):
            if col not in out_frame.columns:
                raise InputError(
                    f"missing column; the table has {out_frame.columns}",
                    source=str(output),
                    column=col,
                )
        out_frame = out_frame.rename(
            {c: r for c, r in ((region, "region"), (year_col, "year"), (value, "value")) if c != r}
        )
        sources.append(_file_item(output, "industry output"))
    if boundaries is not None:
        sources.append(_file_item(boundaries, "boundaries"))
    return data_report(
        long,
        spec,
        output=out_frame,
        year=year,
        boundaries=boundaries,
        sources=sources,
        title=f"Growth-pole analysis of {source.name}",
        uncertainty=uncertainty,
    )


@app.command("app")
def app_cmd(
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8501,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to bind (default: this machine only). 0.0.0.0 exposes it."
        ),
    ] = "127.0.0.1",
) -> None:
    """Start the local web dashboard (Streamlit) at http://HOST:PORT."""
    if importlib.util.find_spec("streamlit") is None:
        raise MissingExtraError("streamlit", "app")
    script = Path(__file__).resolve().parents[1] / "app" / "dashboard.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), *streamlit_flags(host, port)]
    console.print(f"growthpole dashboard on http://{host}:{port} (Ctrl+C to stop)", highlight=False)
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    sys.stdout.flush()
    if os.name == "posix":  # become the server: one process, Ctrl+C and kill reach it
        os.execve(sys.executable, cmd, env)
    try:  # pragma: no cover - Windows
        raise SystemExit(subprocess.call(cmd, env=env))
    except KeyboardInterrupt:  # pragma: no cover - interactive
        raise SystemExit(130) from None


def streamlit_flags(host: str, port: int) -> list[str]:
    """Command-line flags that make Streamlit local, headless and quiet."""
    return [
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        "--server.fileWatcherType",
        "none",
        "--client.toolbarMode",
        "minimal",
    ]
