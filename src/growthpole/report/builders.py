"""Report builders: the paper preset, a rating of the user's data, or a results folder.

Each builder returns the list of :class:`~growthpole.report.html.Section` objects it made
(``*_sections``) or the finished HTML page (``*_report``); ``extra_sections`` appends the
sections of other areas (uncertainty, indices, spatial statistics) before the method and
provenance sections.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from growthpole import datasets
from growthpole.composite import change_since_first
from growthpole.errors import GrowthpoleError, InputError
from growthpole.report import charts
from growthpole.report.html import Section, build_report, escape, figure_html, table_html
from growthpole.specs import IndexSpec

__all__ = [
    "data_report",
    "folder_report",
    "paper_report",
    "paper_sections",
    "results_sections",
    "uncertainty_section",
]


# -- pieces ------------------------------------------------------------------------------
def _names(*frames: pl.DataFrame | None) -> pl.DataFrame | None:
    for f in frames:
        if f is not None and {"region", "name"} <= set(f.columns):
            return f.select("region", "name").unique("region", keep="first")
    return None


def _with_names(frame: pl.DataFrame, names: pl.DataFrame | None) -> pl.DataFrame:
    if "name" in frame.columns or names is None:
        return frame
    return frame.join(names, on="region", how="left")


def _summary_section(poles: pl.DataFrame, year: int, rule_text: str) -> Section:
    now = poles.filter(pl.col("year") == year)
    cands = now.filter(pl.col("candidate")).sort("index", descending=True, nulls_last=True)
    label = "name" if "name" in now.columns else "region"
    parts = [
        f'<p class="big">In {year}, <strong>{cands.height} of {now.height}</strong> regions '
        f"are growth-pole candidates under the rule: {escape(rule_text)}.</p>"
    ]
    if cands.height:
        parts.append('<div class="cards">')
        for r in cands.iter_rows(named=True):
            share = r.get("share_of_national")
            parts.append(
                '<div class="card">'
                f"<h3>{escape(r[label])}</h3>"
                f"<p>Innovation index <strong>{r['index']:.2f}</strong>, grade "
                f"<strong>{escape(r['grade'])}</strong>; share of national output "
                f"<strong>{'no data' if share is None else f'{share * 100:.1f} %'}</strong>"
                f" ({escape(r['tier'])} tier).</p>"
                f'<p class="note">{escape(r["reason"])}</p></div>'
            )
        parts.append("</div>")
    else:
        parts.append("<p>No region meets both conditions.</p>")
    cols = [
        c
        for c in (label, "index", "grade", "share_of_national", "tier", "candidate", "reason")
        if c in now.columns
    ]
    parts.append("<h3>Every region's verdict</h3>")
    parts.append(
        table_html(
            now.sort(["candidate", "index"], descending=True, nulls_last=True),
            columns=cols,
            highlight="candidate",
            caption=f"Verdicts for {year}; candidates highlighted. Click a header to sort.",
        )
    )
    return Section("Summary: growth-pole candidates and why", "".join(parts), id="summary")


def _map_or_note(data: pl.DataFrame, value: str, year: int, boundaries: Any, caption: str) -> str:
    try:
        fig = charts.choropleth(data, value, year=year, boundaries=boundaries)
    except InputError as exc:
        if boundaries is not None:
            raise
        return (
            f'<p class="note">No map of {escape(value)}: the regions do not match the '
            f"embedded Kazakhstan boundaries ({escape(exc.message)}). Pass a boundaries file "
            "(GeoJSON or GeoPackage) to draw one.</p>"
        )
    return figure_html(fig, caption, alt=f"map of {value} by region, {year}")


def _maps_section(
    ratings: pl.DataFrame,
    specialisation: pl.DataFrame | None,
    year: int,
    boundaries: Any,
) -> Section:
    parts = [
        _map_or_note(
            ratings,
            "grade",
            year,
            boundaries,
            "Grades ordered from the top grade (darkest) to the lowest (lightest); cities "
            "are also drawn as dots. Hover a region for its value.",
        )
    ]
    if specialisation is not None and specialisation.filter(pl.col("year") == year).height:
        parts.append(
            _map_or_note(
                specialisation,
                "share_of_national",
                year,
                boundaries,
                "Hatched grey: no output reported (never read as zero).",
            )
        )
    if (
        "rank_change" in ratings.columns
        and ratings.filter((pl.col("year") == year) & pl.col("rank_change").is_not_null()).height
    ):
        parts.append(
            _map_or_note(
                ratings,
                "rank_change",
                year,
                boundaries,
                "Places gained (purple) or lost (orange) in the innovation ranking since the "
                "first year.",
            )
        )
    return Section("Maps", "".join(parts), id="maps")


def _charts_section(
    ratings: pl.DataFrame,
    poles: pl.DataFrame | None,
    spec: IndexSpec | None,
    years: list[int],
) -> Section:
    year = years[-1]
    parts = []
    if poles is not None:
        rule = spec.poles if spec else None
        scale = spec.scale if spec else None
        parts.append(
            figure_html(
                charts.quadrant(poles, year=year, rule=rule, scale=scale),
                "Top right: innovative and specialised. Candidates are the vermillion "
                "diamonds; dashed lines are the pole rule's thresholds.",
                alt=f"growth-pole quadrant {year}",
            )
        )
    if len(years) > 1 and "rank" in ratings.columns:
        parts.append(
            figure_html(
                charts.rank_slope(ratings, year_from=years[0], year_to=year),
                f"Innovation rank in {years[0]} and {year}.",
                alt="rank slope chart",
            )
        )
    if spec is not None:
        groups = [
            g.name for g in spec.groups if g.parent == spec.index_name and g.name in ratings.columns
        ]
        if groups:
            names = {g.name: g.label or g.name.replace("_", " ") for g in spec.groups}
            parts.append(
                figure_html(
                    charts.subindices(ratings, groups, year=year, names=names),
                    "Each region's index with the sub-indices it averages.",
                    alt="index and sub-indices",
                )
            )
    return Section("Charts", "".join(parts), id="charts")


def _tables_section(
    ratings: pl.DataFrame,
    specialisation: pl.DataFrame | None,
    poles: pl.DataFrame | None,
    value_header: str,
) -> Section:
    parts = ["<h3>Innovation ratings</h3>", table_html(ratings)]
    if specialisation is not None:
        parts += [
            "<h3>Specialisation</h3>",
            table_html(specialisation, headers={"value": value_header}),
        ]
    if poles is not None:
        parts += ["<h3>Growth-pole verdicts</h3>", table_html(poles, highlight="candidate")]
    return Section("Tables", "".join(parts), id="tables")


def _method_section(spec: IndexSpec, has_share: bool) -> Section:
    frac = (
        '<math display="block"><mrow><msub><mi>s</mi><mrow><mi>r</mi><mi>j</mi></mrow></msub>'
        "<mo>=</mo><mn>100</mn><mo>·</mo><mfrac><msub><mi>x</mi><mrow><mi>r</mi><mi>j</mi>"
        "</mrow></msub><mrow><msub><mo>max</mo><mi>q</mi></msub><msub><mi>x</mi><mrow>"
        "<mi>q</mi><mi>j</mi></mrow></msub></mrow></mfrac></mrow></math>"
    )
    low = (
        '<math display="block"><mrow><msub><mi>s</mi><mrow><mi>r</mi><mi>j</mi></mrow></msub>'
        "<mo>=</mo><mn>100</mn><mo>·</mo><mfrac><mrow><msub><mo>min</mo><mi>q</mi></msub>"
        "<msub><mi>x</mi><mrow><mi>q</mi><mi>j</mi></mrow></msub></mrow><msub><mi>x</mi><mrow>"
        "<mi>r</mi><mi>j</mi></mrow></msub></mfrac></mrow></math>"
    )
    agg = (
        '<math display="block"><mrow><msub><mi>G</mi><mrow><mi>r</mi><mi>g</mi></mrow></msub>'
        "<mo>=</mo><mfrac><mrow><msub><mo>∑</mo><mrow><mi>j</mi><mo>∈</mo><mi>g</mi></mrow>"
        "</msub><msub><mi>w</mi><mi>j</mi></msub><msub><mi>s</mi><mrow><mi>r</mi><mi>j</mi>"
        "</mrow></msub></mrow><mrow><msub><mo>∑</mo><mrow><mi>j</mi><mo>∈</mo><mi>g</mi></mrow>"
        "</msub><msub><mi>w</mi><mi>j</mi></msub></mrow></mfrac></mrow></math>"
    )
    share = (
        '<math display="block"><mrow><msub><mi>S</mi><mi>r</mi></msub><mo>=</mo><mfrac>'
        "<msub><mi>R</mi><mi>r</mi></msub><mrow><msub><mo>∑</mo><mi>q</mi></msub><msub>"
        "<mi>R</mi><mi>q</mi></msub></mrow></mfrac></mrow></math>"
    )
    parts = [
        "<h3>1. Normalisation: fraction of the leader (formula 1)</h3>",
        "<p>Each indicator <em>j</em> of region <em>r</em> becomes a score out of 100 "
        "against the leading region of the same year:</p>",
        f'<div class="formula">{frac}</div>',
        "<p>For an indicator where lower is better the ratio is turned round:</p>",
        f'<div class="formula">{low}</div>',
        "<h3>2. Sub-indices and the index (formulas 2–4)</h3>",
        "<p>Each group is the weighted mean of its members' scores; the index is the "
        "weighted mean of the top-level groups (weights re-normalised to sum to 1):</p>",
        f'<div class="formula">{agg}</div>',
    ]
    rows = [
        {
            "indicator": i.name,
            "label": i.label,
            "group": i.group,
            "direction": i.direction,
            "weight": i.weight,
        }
        for i in spec.indicators
    ]
    parts.append(table_html(pl.DataFrame(rows), caption="Indicators of the spec"))
    grows = [
        {"group": g.name, "label": g.label, "parent": g.parent, "weight": g.weight}
        for g in spec.groups
    ]
    parts.append(table_html(pl.DataFrame(grows), caption="Groups (sub-indices)"))
    bands = spec.scale.bands
    scale_text = " ".join(
        f"{escape(b.label)}" + (f" &lt; {bands[k + 1].lower:g} ≤" if k + 1 < len(bands) else "")
        for k, b in enumerate(bands)
    )
    parts.append(
        f"<h3>3. Letter scale</h3><p>Scale <code>{escape(spec.scale.name)}</code>: "
        f"{scale_text} (lower bounds inclusive).</p>"
    )
    if has_share:
        parts += [
            "<h3>4. Specialisation: share of national output (formula 5)</h3>",
            "<p>The paper's “modified Krugman index” is a region's share of the national "
            "output of the industry; growthpole calls it <code>share_of_national</code>. "
            "Missing output is missing, never zero, and does not count in the total.</p>",
            f'<div class="formula">{share}</div>',
        ]
    rule = spec.poles
    tiers = ", ".join(f"{escape(t.name)} ≥ {t.lower * 100:g} %" for t in rule.tiers)
    parts.append(
        "<h3>5. Growth-pole rule</h3>"
        f"<p>A region is a candidate when its grade is at least <strong>"
        f"{escape(rule.min_grade)}</strong> AND its share of national output is in the "
        f"tier(s) <strong>{escape(', '.join(rule.top_tiers))}</strong> (tiers: {tiers}). "
        "A missing grade or share gives “no data”, never a silent “no”.</p>"
    )
    return Section("Method and formulas", "".join(parts), id="method")


def _rule_text(spec: IndexSpec | None) -> str:
    if spec is None:
        return "the rule recorded with the results"
    rule = spec.poles
    lows = [t.lower for t in rule.tiers if t.name in rule.top_tiers]
    return (
        f"grade {rule.min_grade} or better AND share of national output in the "
        f"{'/'.join(rule.top_tiers)} tier (≥ {min(lows) * 100:g} %)"
    )


def _spec_section(spec: IndexSpec) -> Section:
    return Section(
        "Spec used (TOML)",
        "<p>Save this as <code>spec.toml</code> and run "
        "<code>growthpole report DATA --spec spec.toml</code> to repeat the analysis on other "
        f"data.</p><pre><code>{escape(spec.to_toml())}</code></pre>",
        id="spec",
    )


def _provenance_section(items: Sequence[tuple[str, str, str, str]], note: str = "") -> Section:
    rows = [{"data": a, "source": b, "licence": c, "caveats": d} for a, b, c, d in items]
    body = table_html(pl.DataFrame(rows)) + (f'<p class="note">{escape(note)}</p>' if note else "")
    return Section("Data provenance", body, id="provenance")


def _dataset_item(name: str) -> tuple[str, str, str, str]:
    d = datasets.info(name)
    return (f"{d.name}: {d.description}", d.source, d.licence, d.caveats)


def _file_item(path: Path, what: str) -> tuple[str, str, str, str]:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return (
        f"{what}: {path.name}",
        f"user file {path} (sha256 {digest}…)",
        "as given by the user",
        "read as data only (never executed)",
    )


def _audit_section(audit: pl.DataFrame, summary: str) -> Section:
    counts = audit.group_by("status").len().sort("status")
    badge = ", ".join(f"{r['status']}: {r['len']}" for r in counts.iter_rows(named=True))
    differs = audit.filter(pl.col("status") == "differs")
    parts = [
        f'<p class="big"><strong>{escape(summary)}</strong></p>',
        f"<p>Every published number beside its recomputation ({escape(badge)}). A "
        "difference is <em>explained</em> when a stated cause (an omitted region, another "
        "denominator) reproduces the published figure.</p>",
        "<h3>Differences</h3>",
        table_html(differs),
        "<details><summary>All checks</summary>",
        table_html(audit),
        "</details>",
    ]
    return Section("Reproduction audit", "".join(parts), id="audit")


def uncertainty_section(summary: Any, *, n: int | None = None, year: int | None = None) -> Section:
    """A section for a composite uncertainty analysis (:func:`growthpole.composite.uncertainty`).

    ``summary`` has ``region, year, rank, rank_median, rank_p05, rank_p95`` and optionally
    ``grade_<label>`` and ``candidate`` shares; the chart is the median rank with its
    5–95 % interval for ``year`` (default: the latest).
    """
    df = _polars(summary)
    if "year" in df.columns:
        years = sorted(int(y) for y in df["year"].drop_nulls().unique().to_list())
        year = year if year is not None else (years[-1] if years else None)
        now = df.filter(pl.col("year") == year) if year is not None else df
    else:
        now = df
    fig = charts.rank_interval(
        now,
        year_col="__filtered__",
        title=f"Median rank with its 5–95 % interval{'' if year is None else f', {year}'}",
    )
    shares = [c for c in now.columns if c.startswith("grade_") or c == "candidate"]
    fmt: dict[str, Any] = {
        c: (lambda v: "no data" if v is None else f"{v * 100:.0f} %") for c in shares
    }
    for c in ("rank_median", "rank_p05", "rank_p95"):
        fmt[c] = lambda v: "no data" if v is None else f"{v:.1f}".rstrip("0").rstrip(".")
    heads = {c: f"P(grade {c[6:]})" for c in shares if c.startswith("grade_")}
    heads.update(
        {
            "candidate": "P(candidate)",
            "rank_median": "Median rank",
            "rank_p05": "Rank, 5 %",
            "rank_p95": "Rank, 95 %",
        }
    )
    cols = [
        c
        for c in ("name", "region", "index", "grade", "rank", "rank_median", "rank_p05", "rank_p95")
        if c in now.columns
    ] + shares
    if "name" in cols:
        cols.remove("region")
    runs = f"{n} Monte Carlo replications" if n else "Monte Carlo replications"
    body = (
        f"<p>How much do the ranks depend on the method's uncertain choices? {escape(runs)} "
        "of the weights (and the other uncertain inputs of the analysis) give each region a "
        "distribution of ranks; a long bar means the region's place is not settled.</p>"
        + figure_html(fig, "Regions sorted by median rank.", alt="median rank and interval")
        + table_html(now.sort("rank_median"), columns=cols, headers=heads, formats=fmt)
    )
    return Section("Composite uncertainty", body, id="uncertainty")


# -- assembled ---------------------------------------------------------------------------
def results_sections(
    *,
    ratings: Any,
    specialisation: Any = None,
    poles: Any = None,
    spec: IndexSpec | None = None,
    audit: Any = None,
    audit_summary: str = "",
    provenance: Sequence[tuple[str, str, str, str]] = (),
    provenance_note: str = "",
    boundaries: Any = None,
    value_header: str = "Output",
    extra_sections: Sequence[Section] = (),
) -> list[Section]:
    """Sections of a results report: summary, maps, charts, tables, method, spec, provenance.

    Frames are tidy: ``ratings`` (region, year, index, grade, [rank, rank_change, groups]),
    ``specialisation`` (region, year, value, share_of_national, ...), ``poles`` (the
    output of :func:`growthpole.growth_poles`), ``audit`` (a reproduction audit).
    """
    r = _polars(ratings)
    sp = _polars(specialisation)
    po = _polars(poles)
    names = _names(r, sp, po)
    r = _with_names(r, names)
    sp = _with_names(sp, names) if sp is not None else None
    po = _with_names(po, names) if po is not None else None
    years = sorted(int(y) for y in r["year"].drop_nulls().unique().to_list())
    if not years:
        raise InputError("the ratings have no year", source="ratings", column="year")
    year = years[-1]
    out: list[Section] = []
    if po is not None:
        out.append(_summary_section(po, year, _rule_text(spec)))
    out.append(_maps_section(r, sp, year, boundaries))
    out.append(_charts_section(r, po, spec, years))
    out.append(_tables_section(r, sp, po, value_header))
    out.extend(extra_sections)
    if spec is not None:
        out.append(_method_section(spec, sp is not None))
        out.append(_spec_section(spec))
    if audit is not None:
        out.append(_audit_section(_polars(audit), audit_summary))
    if provenance:
        out.append(_provenance_section(provenance, provenance_note))
    return out


def _polars(frame: Any) -> Any:
    if frame is None or isinstance(frame, pl.DataFrame):
        return frame
    from growthpole._frames import as_narwhals, collect_polars

    return collect_polars(as_narwhals(frame))


def paper_sections(
    res: Any = None, *, extra_sections: Sequence[Section] = (), spatial: bool = True
) -> list[Section]:
    """Sections of the paper preset's report (Kireyeva et al. 2018 on its own data).

    With ``spatial`` (default) the report adds the spatial layer (neighbours, hot spots,
    pole verdicts) when the optional ``spatial`` extra is installed, else a note on it.
    """
    from growthpole.methods import kireyeva2018
    from growthpole.report._spatial import paper_spatial_section

    res = res or kireyeva2018.paper_results()
    if spatial:
        extra_sections = [*extra_sections, paper_spatial_section(res)]
    return results_sections(
        ratings=res.ratings,
        specialisation=res.specialisation.filter(
            pl.col("year").is_in(res.ratings["year"].unique().to_list())
        ),
        poles=res.poles,
        spec=res.spec,
        audit=res.audit,
        audit_summary=res.summary,
        provenance=[
            _dataset_item("kireyeva2018_table1"),
            _dataset_item("kireyeva2018_table2"),
            _dataset_item("kireyeva2018_table3"),
            _dataset_item("kaz_boundaries"),
        ],
        provenance_note=(
            "The paper publishes Table 1's index but not the six raw indicators behind it: "
            "grades, ranks and candidates are recomputed from the published index; shares "
            "from Table 2's IT output."
        ),
        value_header="IT output (mln KZT)",
        extra_sections=extra_sections,
    )


def paper_report(
    res: Any = None, *, extra_sections: Sequence[Section] = (), spatial: bool = True
) -> str:
    """The paper preset's report as one self-contained HTML page."""
    from growthpole.methods import kireyeva2018

    return build_report(
        paper_sections(res, extra_sections=extra_sections, spatial=spatial),
        title="Where can Kazakhstan grow an IT cluster?",
        subtitle=(
            "Innovation grades, IT specialisation and growth-pole candidates for 16 regions, "
            "2010 and 2016 — " + kireyeva2018.PAPER
        ),
    )


def data_report(
    data: Any,
    spec: IndexSpec,
    *,
    output: Any = None,
    year: int | None = None,
    boundaries: Any = None,
    region: str = "region",
    year_col: str = "year",
    indicator: str = "indicator",
    value: str = "value",
    industry: str | None = None,
    sources: Sequence[tuple[str, str, str, str]] = (),
    title: str = "Growth-pole analysis",
    uncertainty: int = 0,
    seed: int = 0,
    extra_sections: Sequence[Section] = (),
) -> str:
    """Rate ``data`` with ``spec`` (and find candidates with ``output``) and build the report.

    ``data`` is a long ``region, year, indicator, value`` table (any frame); ``output`` an
    optional ``region, [industry,] year, value`` table of the industry's output for the
    specialisation side. With ``year``, only that year is rated. ``uncertainty=N`` adds a
    Monte Carlo uncertainty analysis of N replications (weights ± 25 %, seeded by ``seed``).
    """
    from growthpole.composite import rate
    from growthpole.indices import share_of_national
    from growthpole.poles import growth_poles

    frame = _polars(data)
    names = None
    if "name" in frame.columns and region in frame.columns:
        names = frame.select(pl.col(region).cast(pl.String).alias("region"), "name").unique(
            "region", keep="first"
        )
        frame = frame.drop("name")
    if year is not None and year_col in frame.columns:
        frame = frame.filter(pl.col(year_col) == year)
        if frame.height == 0:
            raise InputError(f"no rows for year {year}", source="data", column=year_col)
    ratings = rate(frame, spec, region=region, year=year_col, indicator=indicator, value=value)
    ratings = _polars(ratings).rename({region: "region", year_col: "year"})
    ratings = ratings.with_columns(pl.col("region").cast(pl.String))
    shares = poles = None
    if output is not None:
        out = _polars(output)
        if industry and industry in out.columns and out[industry].n_unique() > 1:
            raise InputError(
                f"the output table has several industries {out[industry].unique().to_list()}; "
                "keep one",
                source="output",
                column=industry,
            )
        if names is None and "name" in out.columns:
            names = out.select(pl.col(region).cast(pl.String).alias("region"), "name").unique(
                "region", keep="first"
            )
        keep = [c for c in (region, year_col, value) if c in out.columns]
        shares = _polars(
            share_of_national(out.select(keep), region=region, year=year_col, value=value)
        ).rename({region: "region", year_col: "year"})
        shares = shares.with_columns(pl.col("region").cast(pl.String)).filter(
            pl.col("year").is_in(ratings["year"].unique().to_list())
        )
        poles = growth_poles(ratings, shares, spec.poles, spec.scale)
    extra = list(extra_sections)
    if uncertainty:
        from growthpole.composite import Composite
        from growthpole.composite import uncertainty as run_uncertainty

        comp = Composite.build(
            frame, spec, region=region, year=year_col, indicator=indicator, value=value
        )
        res = run_uncertainty(comp, uncertainty, seed=seed, shares=shares, progress=False)
        summ = res.summary.with_columns(pl.col("region").cast(pl.String))
        extra.insert(0, uncertainty_section(_with_names(summ, names), n=uncertainty))
    if names is not None:
        ratings = _with_names(ratings, names)
    ratings = _rank_change(ratings)
    sections = results_sections(
        ratings=ratings,
        specialisation=shares,
        poles=poles,
        spec=spec,
        provenance=[*sources, _dataset_item("kaz_boundaries")]
        if boundaries is None
        else list(sources),
        boundaries=boundaries,
        extra_sections=extra,
    )
    return build_report(sections, title=title, subtitle=f"Method: {spec.name}")


def _rank_change(ratings: pl.DataFrame) -> pl.DataFrame:
    if "rank" not in ratings.columns or "rank_change" in ratings.columns:
        return ratings
    out = change_since_first(ratings, "rank", "rank_change", lower_is_better=True)
    return out.with_columns(pl.col("rank_change").cast(pl.Int64))


def folder_report(folder: str | Path, *, extra_sections: Sequence[Section] = ()) -> str:
    """A report from a results folder (as ``growthpole demo --out DIR`` writes it).

    Needs ``ratings.csv``; uses ``specialisation.csv``, ``poles.csv``, ``audit.csv`` and
    ``spec.toml`` when present.
    """
    from growthpole.io import read_table

    d = Path(folder)
    if not d.is_dir():
        raise InputError("results folder not found", source=str(d))
    if not (d / "ratings.csv").is_file():
        raise InputError(
            "a results folder needs ratings.csv (and optionally specialisation.csv, "
            "poles.csv, audit.csv, spec.toml)",
            source=str(d),
        )
    ratings = read_table(d / "ratings.csv")
    for col in ("region", "year", "index", "grade"):
        if col not in ratings.columns:
            raise InputError(
                f"missing column; the table has {ratings.columns}",
                source=str(d / "ratings.csv"),
                column=col,
            )
    opt = {
        n: read_table(d / f"{n}.csv") if (d / f"{n}.csv").is_file() else None
        for n in ("specialisation", "poles", "audit")
    }
    spec = IndexSpec.load(d / "spec.toml") if (d / "spec.toml").is_file() else None
    if spec is None and "labour_productivity_score" not in ratings.columns:
        try:
            from growthpole.methods import kireyeva2018

            if set(ratings["region"].to_list()) <= set(
                datasets.load("kireyeva2018_table1")["region"].to_list()
            ):
                spec = kireyeva2018.spec()
        except GrowthpoleError:  # pragma: no cover - preset always loads
            spec = None
    audit = opt["audit"]
    summary = ""
    if audit is not None and "status" in audit.columns:
        from growthpole.methods.kireyeva2018 import summary_line

        audit = audit.with_columns(pl.col(c).cast(pl.String) for c in audit.columns)
        summary = summary_line(audit)
    provenance = [
        _file_item(d / f"{n}.csv", n)
        for n in ("ratings", "specialisation", "poles", "audit")
        if (d / f"{n}.csv").is_file()
    ]
    sections = results_sections(
        ratings=ratings,
        specialisation=opt["specialisation"],
        poles=opt["poles"],
        spec=spec,
        audit=audit,
        audit_summary=summary,
        provenance=provenance,
        provenance_note=f"Results read from the folder {d}.",
        extra_sections=extra_sections,
    )
    return build_report(sections, title="Growth-pole analysis", subtitle=f"Results from {d}")
