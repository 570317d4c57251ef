"""Commands around the paper's method: demo, reproduce, init-spec, datasets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.table import Table

from growthpole import datasets
from growthpole.cli._app import app, console
from growthpole.errors import InputError
from growthpole.io import write_csv, write_excel
from growthpole.methods import PRESETS, kireyeva2018

_OUT = typer.Option("--out", "-o", help="Folder for the output files (created if missing).")


def _preset(name: str):
    try:
        return PRESETS[name]
    except KeyError:
        raise InputError(
            f"method needs to be one of {sorted(PRESETS)}; {name!r} was given instead."
        ) from None


def _audit_table(audit: pl.DataFrame, *, show_all: bool) -> Table:
    table = Table(title="Reproduction audit: published against recomputed", title_justify="left")
    for col in ("check", "region", "year", "published", "recomputed", "status"):
        table.add_column(col, no_wrap=col != "region")
    table.add_column("explanation", overflow="fold", ratio=1)
    style = {"match": "green", "differs": "red", "not recomputable": "dim"}
    for r in audit.iter_rows(named=True):
        if not show_all and r["status"] == "not recomputable":
            continue
        table.add_row(
            r["check"],
            r["region"],
            r["year"],
            r["published"] or "",
            r["recomputed"] or "",
            f"[{style[r['status']]}]{r['status']}[/]",
            r["explanation"] or "",
        )
    return table


@app.command("reproduce")
def reproduce_cmd(
    method: Annotated[str, typer.Argument(help="The method to reproduce: kireyeva2018.")],
    out: Annotated[Path, _OUT] = Path("growthpole-out"),
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list Table 1's indices (not recomputable).")
    ] = False,
) -> None:
    """Recompute every published number of the paper and explain each difference."""
    preset = _preset(method)
    audit = preset.reproduce()
    path = write_csv(audit, out / "audit.csv")
    console.print(_audit_table(audit, show_all=show_all))
    n_unverifiable = audit.filter(pl.col("status") == "not recomputable").height
    console.print(
        f"{n_unverifiable} published figures are not recomputable "
        "(Table 1's indices: the paper does not publish the six indicators behind them)."
    )
    console.print(f"audit written to {path}")
    console.print(preset.summary_line(audit), highlight=False)


def _demo_table(res: kireyeva2018.PaperResults) -> Table:
    years = sorted(res.ratings["year"].unique().to_list())
    first, last = years[0], years[-1]
    table = Table(
        title=f"Kazakhstan's 16 regions, {first} and {last}: innovation rating, IT specialisation, "
        "growth-pole candidates",
        title_justify="left",
    )
    table.add_column("region")
    for y in (first, last):
        table.add_column(f"index {y}", justify="right")
        table.add_column(f"grade {y}", justify="center")
    table.add_column("rank Δ", justify="right")
    for y in (first, last):
        table.add_column(f"IT share {y}", justify="right")
    table.add_column("share Δ (pp)", justify="right")
    table.add_column(f"candidate {last}", justify="center")
    rat = {(r["region"], r["year"]): r for r in res.ratings.iter_rows(named=True)}
    spe = {(r["region"], r["year"]): r for r in res.specialisation.iter_rows(named=True)}
    pol = {(r["region"], r["year"]): r for r in res.poles.iter_rows(named=True)}
    order = res.ratings.filter(pl.col("year") == last).sort("rank")["region"].to_list()

    def share(region: str, year: int) -> str:
        s = spe.get((region, year), {}).get("share_of_national")
        return "—" if s is None else f"{s:.1%}"

    for region in order:
        a, b = rat[(region, first)], rat[(region, last)]
        ch = b["rank_change"]
        s_change = spe.get((region, last), {}).get("share_change")
        cand = pol[(region, last)]["candidate"]
        table.add_row(
            b["name"],
            f"{a['index']:.2f}",
            a["grade"],
            f"{b['index']:.2f}",
            b["grade"],
            "0" if ch == 0 else f"{ch:+d}",
            share(region, first),
            share(region, last),
            "—" if s_change is None else f"{s_change * 100:+.1f}",
            "[bold green]yes[/]" if cand else "no",
            style="bold" if cand else None,
        )
    return table


@app.command("demo")
def demo_cmd(out: Annotated[Path, _OUT] = Path("growthpole-out")) -> None:
    """Run the paper's analysis on the embedded data and write every result to --out."""
    with console.status("recomputing Kireyeva et al. (2018) on its own data"):
        res = kireyeva2018.paper_results()
    console.print(_demo_table(res))
    last = res.poles["year"].max()
    console.print(
        f"\n[bold]Growth-pole candidates, rule:[/] grade >= {res.spec.poles.min_grade} "
        f"AND specialisation tier in {list(res.spec.poles.top_tiers)} "
        f"(tiers from share of national IT output: "
        + ", ".join(f"{t.name} >= {t.lower:g}" for t in res.spec.poles.tiers)
        + ")"
    )
    for r in (
        res.poles.filter(pl.col("year") == last)
        .sort("candidate", "index", descending=True)
        .iter_rows(named=True)
    ):
        mark = "[green]●[/]" if r["candidate"] else "[dim]○[/]"
        console.print(f" {mark} {r['name']}: {r['reason']}", highlight=False)
    out.mkdir(parents=True, exist_ok=True)
    written = [
        write_csv(res.ratings, out / "ratings.csv"),
        write_csv(res.specialisation, out / "specialisation.csv"),
        write_csv(res.poles, out / "poles.csv"),
        write_csv(res.audit, out / "audit.csv"),
        write_excel(
            {
                "ratings": res.ratings,
                "specialisation": res.specialisation,
                "poles": res.poles,
                "audit": res.audit,
            },
            out / "results.xlsx",
        ),
    ]
    written += _extra_outputs(res, out)
    console.print("\nwritten: " + ", ".join(str(p) for p in written), highlight=False)
    console.print(res.summary, highlight=False)


def _extra_outputs(res: kireyeva2018.PaperResults, out: Path) -> list[Path]:
    """Outputs of other areas that the demo also writes: the self-contained HTML report."""
    from growthpole.io import write_text
    from growthpole.report import paper_report

    with console.status("writing the HTML report (maps, charts, spatial layer)"):
        html = paper_report(res)
    return [write_text(html, out / "report.html")]


@app.command("init-spec")
def init_spec_cmd(
    method: Annotated[str, typer.Argument(help="The preset to write: kireyeva2018.")],
) -> None:
    """Print a preset's method as an editable TOML spec (redirect it to a file)."""
    preset = _preset(method)
    header = (
        f"# growthpole spec: {method}. Edit and use with: growthpole rate DATA --spec THIS.toml\n"
        "# indicators: name (as in the data), group, direction (higher|lower is better), weight\n"
        "# groups: weight inside their parent; scale.bands: (label, lower bound), lowest first\n"
        "# poles: min_grade AND a share-of-national tier in top_tiers makes a growth-pole candidate\n\n"
    )
    typer.echo(header + preset.spec().to_toml(), nl=False)


@app.command("datasets")
def datasets_cmd() -> None:
    """List the embedded datasets with their source and licence."""
    table = Table(title="Embedded datasets (growthpole.datasets.load(name))", title_justify="left")
    table.add_column("name", no_wrap=True)
    for col in ("description", "source", "licence"):
        table.add_column(col, overflow="fold")
    for r in datasets.list_datasets().iter_rows(named=True):
        table.add_row(r["name"], r["description"], r["source"], r["licence"])
    console.print(table)
