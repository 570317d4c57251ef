"""The dashboard's logic, free of Streamlit (so it is tested without a browser).

Uploaded files are written to a private temporary file and parsed by
:func:`growthpole.io.read_table` — read as data, never executed; errors are the same
:class:`~growthpole.errors.InputError` the CLI prints, naming the uploaded file.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from growthpole.errors import GrowthpoleError, InputError, SpecError
from growthpole.specs import Band, Group, IndexSpec, Indicator, PoleRule, Scale, Tier

__all__ = [
    "Analysis",
    "analyse_data",
    "analyse_paper",
    "default_spec",
    "read_upload",
    "spec_from_upload",
    "with_settings",
]

UPLOAD_TYPES = ("csv", "xlsx", "xls", "tsv", "parquet")


@dataclass(frozen=True)
class Analysis:
    """What the dashboard shows: ratings, shares and verdicts for the chosen years."""

    ratings: pl.DataFrame
    shares: pl.DataFrame | None
    poles: pl.DataFrame | None
    spec: IndexSpec
    years: list[int]


def read_upload(name: str, data: bytes) -> pl.DataFrame:
    r"""Parse an uploaded table (CSV/TSV/XLSX/Parquet) as data; InputError names the file.

    Examples
    --------
    >>> read_upload("t.csv", b"region,year,a\nx,2016,1.5\n").shape
    (1, 3)
    """
    from growthpole.io import read_table

    suffix = Path(name).suffix.lower()
    if suffix.lstrip(".") not in UPLOAD_TYPES:
        raise InputError(
            f"unknown file format {suffix or '(no extension)'!r}; expected one of "
            f"{['.' + t for t in UPLOAD_TYPES]}",
            source=name,
        )
    with tempfile.TemporaryDirectory(prefix="growthpole-upload-") as tmp:
        p = Path(tmp) / f"upload{suffix}"
        p.write_bytes(data)
        try:
            return read_table(p)
        except InputError as exc:
            raise exc.at(name) from None


def spec_from_upload(name: str, data: bytes) -> IndexSpec:
    """Parse an uploaded TOML spec (parsed as TOML, never executed)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError(f"{name}: not UTF-8 text") from None
    return IndexSpec.from_toml(text, source=name)


def default_spec(indicators: list[str]) -> IndexSpec:
    """The paper's spec when the data has its six indicators; else one equal-weight group.

    Examples
    --------
    >>> default_spec(["a", "b"]).indicator_names
    ['a', 'b']
    """
    from growthpole.methods import kireyeva2018

    paper = kireyeva2018.spec()
    if set(indicators) == set(paper.indicator_names):
        return paper
    return IndexSpec(
        name="uploaded",
        indicators=tuple(Indicator(i, "all") for i in indicators),
        groups=(Group("all", label="All indicators"),),
    )


def with_settings(
    spec: IndexSpec,
    *,
    weights: dict[str, float] | None = None,
    cutoffs: list[float] | None = None,
    min_grade: str | None = None,
    top_share: float | None = None,
) -> IndexSpec:
    """The spec with the dashboard's weights, scale cut-offs, minimum grade and top tier.

    ``cutoffs`` are the lower bounds of the scale's bands above the first; ``top_share``
    the lower bound of the top specialisation tier (a share, 0-1).
    """
    if weights:
        spec = spec.with_weights(weights)
    if cutoffs is not None:
        labels = spec.scale.labels
        if len(cutoffs) != len(labels) - 1:
            raise SpecError(
                f"the scale {labels} needs {len(labels) - 1} cut-offs; {len(cutoffs)} given"
            )
        bands = (
            Band(labels[0], float("-inf")),
            *(Band(lab, c) for lab, c in zip(labels[1:], cutoffs, strict=True)),
        )
        spec = spec.replace(scale=Scale(spec.scale.name, bands))
    rule = spec.poles
    if top_share is not None:
        tiers = [t for t in rule.tiers if t.name not in rule.top_tiers and t.lower < top_share]
        tiers.append(Tier(rule.top_tiers[0], top_share))
        rule = PoleRule(min_grade=rule.min_grade, tiers=tuple(tiers), top_tiers=rule.top_tiers[:1])
    if min_grade is not None:
        rule = PoleRule(min_grade=min_grade, tiers=rule.tiers, top_tiers=rule.top_tiers)
    spec.scale.rank_of(rule.min_grade)
    return spec.replace(poles=rule)


def _names(frame: pl.DataFrame | None) -> pl.DataFrame | None:
    if frame is not None and {"region", "name"} <= set(frame.columns):
        return frame.select(
            pl.col("region").cast(pl.String), pl.col("name").cast(pl.String)
        ).unique("region", keep="first")
    return None


def analyse_data(
    table: pl.DataFrame,
    spec: IndexSpec,
    years: list[int],
    *,
    output: pl.DataFrame | None = None,
    source: str = "<upload>",
) -> Analysis:
    """Rate uploaded indicator data (long or wide) and, with ``output``, find candidates."""
    from growthpole.composite import rate
    from growthpole.indices import share_of_national
    from growthpole.io import to_long
    from growthpole.poles import growth_poles

    long = to_long(table, indicators=spec.indicator_names, source=source)
    if years:
        long = long.filter(pl.col("year").is_in(years))
    if long.height == 0:
        raise InputError(f"no rows for the years {years}", source=source, column="year")
    ratings = rate(long, spec, source=source)
    names = _names(table)
    if names is None:
        names = _names(output)
    shares = poles = None
    if output is not None:
        for col in ("region", "year", "value"):
            if col not in output.columns:
                raise InputError(
                    f"missing column; the output table has {output.columns}",
                    source="output",
                    column=col,
                )
        out = output.select(
            pl.col("region").cast(pl.String), pl.col("year").cast(pl.Int64), "value"
        ).filter(pl.col("year").is_in(ratings["year"].unique().to_list()))
        from growthpole.io import check_numeric

        out = check_numeric(out, "value", source="output")
        shares = share_of_national(out)
        poles = growth_poles(ratings, shares, spec.poles, spec.scale)
    if names is not None:
        ratings = ratings.join(names, on="region", how="left")
        shares = shares.join(names, on="region", how="left") if shares is not None else None
        poles = poles.join(names, on="region", how="left") if poles is not None else None
    return Analysis(ratings, shares, poles, spec, sorted(ratings["year"].unique().to_list()))


def analyse_paper(spec: IndexSpec, years: list[int]) -> Analysis:
    """The paper's published index re-graded with the dashboard's scale and rule.

    The paper publishes no raw indicators, so weights cannot change its index; the scale
    and the pole rule can change grades and verdicts.
    """
    from growthpole.composite import grade, rank_desc
    from growthpole.methods import kireyeva2018
    from growthpole.poles import growth_poles

    res = kireyeva2018.paper_results()
    r = res.ratings.filter(pl.col("year").is_in(years)) if years else res.ratings
    r = r.with_columns(pl.Series("grade", grade(r["index"].to_list(), spec.scale)))
    r = r.with_columns(rank_desc(r, "index").alias("rank"))
    s = res.specialisation.filter(pl.col("year").is_in(r["year"].unique().to_list()))
    p = growth_poles(
        r.select("region", "year", "index", "grade"),
        s.select("region", "year", "share_of_national"),
        spec.poles,
        spec.scale,
    ).join(r.select("region", "name").unique("region"), on="region", how="left")
    return Analysis(r, s, p, spec, sorted(r["year"].unique().to_list()))


def results_workbook(analysis: Analysis) -> bytes:
    """The results as an XLSX workbook (one sheet each), as bytes."""
    from growthpole.io import write_excel

    sheets: dict[str, Any] = {"ratings": analysis.ratings}
    if analysis.shares is not None:
        sheets["specialisation"] = analysis.shares
    if analysis.poles is not None:
        sheets["poles"] = analysis.poles
    with tempfile.TemporaryDirectory(prefix="growthpole-xlsx-") as tmp:
        p = Path(tmp) / "results.xlsx"
        write_excel(sheets, p)
        return p.read_bytes()


def report_html(analysis: Analysis, title: str) -> str:
    """The self-contained report of what the dashboard shows."""
    from growthpole.report.builders import results_sections
    from growthpole.report.html import build_report

    sections = results_sections(
        ratings=analysis.ratings,
        specialisation=analysis.shares,
        poles=analysis.poles,
        spec=analysis.spec,
    )
    return build_report(sections, title=title, subtitle="Built in the growthpole dashboard")


def error_text(exc: Exception) -> str:
    """The one line the CLI would print for this error."""
    if isinstance(exc, GrowthpoleError):
        return f"error: {exc}"
    return f"internal error: {type(exc).__name__}: {exc}"
