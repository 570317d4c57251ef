"""The self-contained HTML report: pluggable sections, inline SVG charts, sortable tables.

A report is a list of :class:`Section` objects (a title and an HTML fragment) rendered by
:func:`build_report` into ONE HTML file with every style, script and datum inline: no CDN,
no web font, no request of any kind, so it opens offline and can be mailed. Other areas
add their own sections (uncertainty, indices, spatial statistics) by building
``Section(title, html)`` with the helpers here (:func:`figure_html`, :func:`table_html`,
:func:`escape`) and passing them to :func:`build_report` or to the report builders'
``extra_sections=``.

Examples
--------
>>> import polars as pl
>>> t = pl.DataFrame({"region": ["a", "b"], "index": [61.234, 30.0]})
>>> page = build_report([Section("Ratings", table_html(t))], title="Demo")
>>> page.startswith("<!DOCTYPE html>") and "61.23" in page and "https://" not in page
True
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from growthpole._frames import as_narwhals, collect_polars
from growthpole.io import write_text

__all__ = [
    "Section",
    "build_report",
    "escape",
    "figure_html",
    "format_value",
    "table_html",
    "write_report",
]


@dataclass(frozen=True)
class Section:
    """One section of the report.

    Parameters
    ----------
    title
        Heading shown in the report and in its table of contents.
    html
        The body: a trusted HTML fragment (build it with :func:`figure_html`,
        :func:`table_html` and :func:`escape`; never paste user text unescaped).
    id
        Anchor (default: made from the title).
    """

    title: str
    html: str
    id: str = ""

    @property
    def anchor(self) -> str:
        """The section's anchor id."""
        return self.id or re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") or "section"


def escape(text: Any) -> str:
    """HTML-escape any value's text."""
    return _html.escape("" if text is None else str(text), quote=True)


def _asset(name: str) -> str:
    return resources.files("growthpole.report").joinpath("static", name).read_text("utf-8")


def build_report(
    sections: Sequence[Section],
    *,
    title: str,
    subtitle: str = "",
    generated: str | None = None,
) -> str:
    """Render sections into one self-contained HTML page (text).

    Parameters
    ----------
    sections
        The sections, in order. Anchors must be unique (a repeated one gets a suffix).
    title, subtitle
        Shown at the top and in the browser tab.
    generated
        The "generated" line (default: growthpole's version and the UTC date).
    """
    from growthpole import __version__

    stamp = generated or (
        f"growthpole {__version__} · generated {_dt.datetime.now(_dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    seen: dict[str, int] = {}
    toc, body = [], []
    for s in sections:
        anchor = s.anchor
        if anchor in seen:
            seen[anchor] += 1
            anchor = f"{anchor}-{seen[anchor]}"
        else:
            seen[anchor] = 1
        toc.append(f'<li><a href="#{escape(anchor)}">{escape(s.title)}</a></li>')
        body.append(
            f'<section id="{escape(anchor)}"><h2>{escape(s.title)}</h2>\n{s.html}\n</section>'
        )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape(title)}</title>"
        f"<style>{_asset('report.css')}</style></head>\n"
        "<body><header>"
        f"<h1>{escape(title)}</h1>"
        + (f'<p class="subtitle">{escape(subtitle)}</p>' if subtitle else "")
        + f'<p class="stamp">{escape(stamp)}</p>'
        f'<nav aria-label="Contents"><ol>{"".join(toc)}</ol></nav></header>\n'
        f"<main>{''.join(body)}</main>\n"
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )


def write_report(path: str | Path, sections: Sequence[Section], **kwargs: Any) -> Path:
    """Build the report and write it to ``path`` atomically; returns the path."""
    return write_text(build_report(sections, **kwargs), path)


def figure_html(fig: Any, caption: str = "", *, alt: str = "") -> str:
    """A matplotlib figure as inline SVG inside ``<figure>``, with an optional caption."""
    from growthpole.report.charts import to_svg

    svg = to_svg(fig)
    if alt:
        svg = svg.replace('role="img"', f'role="img" aria-label="{escape(alt)}"', 1)
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="chart">{svg}{cap}</figure>'


# -- tables ------------------------------------------------------------------------------
#: Column headers (with units) of the usual result columns.
HEADERS: dict[str, str] = {
    "region": "Region id",
    "name": "Region",
    "year": "Year",
    "index": "Innovation index (0–100)",
    "grade": "Grade",
    "rank": "Rank",
    "rank_change": "Rank change (+ = up)",
    "share_of_national": "Share of national output",
    "share_change": "Change in share (pp)",
    "tier": "Specialisation tier",
    "candidate": "Growth-pole candidate",
    "reason": "Why",
    "grade_ok": "Grade meets minimum",
    "tier_ok": "Tier qualifies",
}


def format_value(value: Any, column: str) -> str:
    """Readable text of one cell: shares in %, indices to 2 decimals, missing = "no data".

    Examples
    --------
    >>> format_value(0.60612, "share_of_national"), format_value(None, "index")
    ('60.6 %', 'no data')
    >>> format_value(11268.1, "value"), format_value(True, "candidate")
    ('11 268.1', 'yes')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:+d}" if column.endswith("_change") else str(value)
    if isinstance(value, float):
        if column in ("share_of_national",) or column.startswith("share"):
            pct = value * 100
            return f"{pct:+.1f}" if column.endswith("_change") else f"{pct:.1f} %"
        if column.endswith("_change"):
            return f"{value:+.2f}"
        if abs(value) >= 1000:
            return f"{value:,.1f}".replace(",", " ")
        return f"{value:.2f}"
    return str(value)


def table_html(
    data: Any,
    *,
    columns: Sequence[str] | None = None,
    headers: Mapping[str, str] | None = None,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    caption: str = "",
    highlight: str | None = None,
    max_rows: int | None = None,
    sortable: bool = True,
) -> str:
    """A sortable HTML table of any frame (click a header to sort; numbers sort as numbers).

    ``highlight`` names a boolean column whose true rows are emphasised. Missing cells read
    "no data" and sort last. ``sortable=False`` leaves out the header buttons (for pages
    that sanitise HTML and run no script).
    """
    df = data if isinstance(data, pl.DataFrame) else collect_polars(as_narwhals(data))
    cols = [c for c in (columns or df.columns) if c in df.columns]
    heads = {**HEADERS, **(headers or {})}
    formats = dict(formats or {})
    rows = df.head(max_rows) if max_rows else df
    out = [f'<div class="table-wrap"><table{" class=sortable" if sortable else ""}>']
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    out.append("<thead><tr>")
    for c in cols:
        numeric = df[c].dtype.is_numeric()
        head = escape(heads.get(c, c))
        if sortable:
            head = f'<button type="button">{head}</button>'
        out.append(f'<th scope="col"{" class=num" if numeric else ""}>{head}</th>')
    out.append("</tr></thead><tbody>")
    for row in rows.iter_rows(named=True):
        mark = ' class="hl"' if highlight and row.get(highlight) else ""
        out.append(f"<tr{mark}>")
        for c in cols:
            v = row[c]
            text = formats[c](v) if c in formats else format_value(v, c)
            if v is None or (isinstance(v, float) and math.isnan(v)):
                out.append(f'<td class="na" data-sort="">{escape(text)}</td>')
            elif isinstance(v, int | float) and not isinstance(v, bool):
                out.append(f'<td class="num" data-sort="{v!r}">{escape(text)}</td>')
            else:
                out.append(f"<td>{escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    if max_rows and df.height > max_rows:
        out.append(f'<p class="note">First {max_rows} of {df.height} rows.</p>')
    return "".join(out)
