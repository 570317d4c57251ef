"""Charts of growthpole results: maps, the growth-pole quadrant, rank charts, portfolios.

Every function takes a tidy frame (pandas, Polars, PyArrow, DuckDB, PySpark, ...) with the
usual column roles and returns a :class:`matplotlib.figure.Figure` (no pyplot state, so the
functions are safe in a web app). Export with :func:`save` (``.png`` or ``.svg``), or
:func:`to_svg` / :func:`to_png` for the text or bytes. Colour scales are colour-blind
safe and ordered (grades run from the top grade, darkest, to the lowest, lightest);
missing values are drawn hatched grey and labelled "no data", never as zero.

Examples
--------
>>> import polars as pl
>>> t = pl.DataFrame({"region": ["a", "b"], "name": ["North", "South"],
...                   "index": [62.0, 31.5], "share_of_national": [0.41, 0.02],
...                   "candidate": [True, False]})
>>> fig = quadrant(t)
>>> fig.axes[0].get_title(loc="left")
'Innovation index against share of national output'
>>> to_svg(fig).startswith("<svg")
True
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import matplotlib as mpl
import numpy as np
import polars as pl
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from growthpole._frames import as_narwhals, collect_polars, require_columns
from growthpole.errors import InputError
from growthpole.io import atomic_path
from growthpole.report._geo import load_boundaries, match_regions, rings
from growthpole.specs import PoleRule, Scale, check_literal

__all__ = [
    "LABELS",
    "choropleth",
    "portfolio",
    "quadrant",
    "rank_interval",
    "rank_slope",
    "save",
    "subindices",
    "to_png",
    "to_svg",
]

Palette = Literal["auto", "sequential", "diverging", "categorical"]

#: Okabe-Ito colours (colour-blind safe) used for marks.
OKABE_ITO = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#7F7F7F",
}
_SEQUENTIAL = "YlGnBu"  # ColorBrewer, colour-blind safe, ordered light -> dark
_DIVERGING = "PuOr"  # ColorBrewer, colour-blind safe
_NO_DATA = "#d9d9d9"
_INK = "#222222"

#: Readable names and units of the usual result columns (used in titles and legends).
LABELS: dict[str, tuple[str, str]] = {
    "grade": ("Innovation grade", ""),
    "index": ("Innovation index", "points of 100"),
    "share_of_national": ("Share of national output", "%"),
    "share_change": ("Change in share of national output", "percentage points"),
    "rank": ("Rank", ""),
    "rank_change": ("Rank change", "places, + = moved up"),
    "lq": ("Location quotient", "1 = national average"),
    "krugman": ("Krugman specialisation index", "0 = like the nation"),
    "rank_interval": ("Width of the 5–95 % rank interval", "ranks"),
    "rank_median": ("Median rank", ""),
    "value": ("Output", ""),
    "tier": ("Specialisation tier", ""),
}
_PERCENT = {"share_of_national", "share_change"}


# -- frames ------------------------------------------------------------------------------
def _frame(data: Any, needed: Sequence[str], source: str) -> pl.DataFrame:
    nwf = as_narwhals(data, source=source)
    require_columns(nwf, needed, source=source)
    return collect_polars(nwf)


def _one_year(
    df: pl.DataFrame, year: int | None, year_col: str, source: str
) -> tuple[pl.DataFrame, int | None]:
    if year_col not in df.columns:
        return df, year
    years = sorted(y for y in df[year_col].unique().to_list() if y is not None)
    if year is None:
        if len(years) > 1:
            raise InputError(
                f"the data has several years {years}; choose one with year=",
                source=source,
                column=year_col,
            )
        return df, (years[0] if years else None)
    out = df.filter(pl.col(year_col) == year)
    if out.height == 0:
        raise InputError(f"no rows for year {year}; the data has {years}", source=source)
    return out, year


def _label_col(df: pl.DataFrame, label: str | None, region: str) -> str:
    if label and label in df.columns:
        return label
    return region


def _title_of(column: str) -> str:
    return LABELS.get(column, (column.replace("_", " ").capitalize(), ""))[0]


def _unit_of(column: str) -> str:
    return LABELS.get(column, ("", ""))[1]


def _fmt(value: Any, column: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    if isinstance(value, str):
        return value
    v = float(value)
    if column in _PERCENT:
        return f"{v * 100:.1f} %" if column == "share_of_national" else f"{v * 100:+.1f} pp"
    if column.startswith("rank") and float(v).is_integer():
        return f"{int(v)}"
    if abs(v) >= 1000:
        return f"{v:,.0f}".replace(",", " ")
    return f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"


def _year_suffix(year: int | None) -> str:
    return f", {year}" if year is not None else ""


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    fig.set_facecolor("white")
    return fig


def _style(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=_INK, labelsize=8)
    ax.grid(True, color="#e5e5e5", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)


def _titles(ax: Any, title: str, subtitle: str = "") -> None:
    lines = textwrap.wrap(subtitle, 120) if subtitle else []
    ax.set_title(
        title, loc="left", fontsize=11, fontweight="bold", color=_INK, pad=8 + 11 * len(lines)
    )
    if lines:
        ax.text(
            0,
            1.01,
            "\n".join(lines),
            transform=ax.transAxes,
            fontsize=8,
            color="#555555",
            va="bottom",
            ha="left",
        )


# -- map ---------------------------------------------------------------------------------
def choropleth(
    data: Any,
    value: str,
    *,
    region: str = "region",
    name: str | None = "name",
    year: int | None = None,
    year_col: str = "year",
    boundaries: Any = None,
    key: str | None = None,
    scale: Scale | None = None,
    palette: Palette = "auto",
    title: str | None = None,
    subtitle: str | None = None,
    labels: bool = True,
    source: str = "<frame>",
) -> Figure:
    """Choropleth map of one region-level result.

    Parameters
    ----------
    data
        One row per region (and year): ``region``, optional ``name``, and ``value``.
        ``value="rank_interval"`` maps ``rank_p95 - rank_p05`` of a composite
        uncertainty table.
    value
        Column to map: a grade or tier (text: ordered categories) or a number.
    boundaries
        ``None`` for the embedded 16 Kazakhstan regions, a GeoJSON dict, or the path of a
        ``.geojson``/``.json``/``.gpkg`` file (longitude/latitude).
    key
        Boundary property to join on. By default the property (``region_id``, ``id``,
        ``name``, ...) that matches the most values of the data's ``region`` or ``name``
        column is used; every data region must match a feature, otherwise an
        :class:`~growthpole.errors.InputError` lists the regions that do not.
    scale
        Letter scale giving the order of grades (default: the paper's scale when the
        grades belong to it).
    palette
        ``"auto"``: ordered categories for text; diverging around 0 for changes and
        around 1 for a location quotient (``lq``); sequential otherwise.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["almaty_city", "astana"], "grade": ["A", "B"]})
    >>> fig = choropleth(t, "grade")
    >>> len([p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("region-")])
    16
    """
    check_literal(palette, Palette, "palette")
    needed = [region] + (["rank_p05", "rank_p95"] if value == "rank_interval" else [value])
    df = _frame(data, needed, source)
    df, year = _one_year(df, year, year_col, source)
    if value == "rank_interval":
        df = df.with_columns((pl.col("rank_p95") - pl.col("rank_p05")).alias("rank_interval"))
    dup = df.filter(pl.col(region).is_duplicated())
    if dup.height:
        raise InputError(
            f"region {dup[region][0]!r} appears more than once; a map needs one row per region"
            + ("" if year_col in df.columns else " (filter to one year first)"),
            source=source,
            column=region,
        )
    bounds = load_boundaries(boundaries)
    keys = {region: df[region].cast(pl.String).to_list()}
    if name and name in df.columns:
        keys[name] = df[name].cast(pl.String).to_list()
    col, _prop, hits = match_regions(bounds, keys, key)
    by_feature: dict[int, dict[str, Any]] = {}
    for rec in df.iter_rows(named=True):
        at = hits.get(str(rec[col]))
        if at is not None:
            by_feature[at] = rec
    series = df[value]
    categorical = palette == "categorical" or not (
        series.dtype.is_numeric() or series.dtype == pl.Null
    )
    fig = _new_figure(8.2, 4.8)
    ax = fig.add_subplot()
    ax.set_axis_off()
    label_name = name if name and name in df.columns else region
    if categorical:
        colour_of, handles = _categorical_colours(series, scale)
    else:
        colour_of, handles, sm = _numeric_colours(series, value, palette)
    lats: list[float] = []
    titles: dict[str, str] = {}
    paths = [_geometry_path(g) for g in bounds.geometries]
    ext = [p.get_extents() for p in paths]
    span = max(
        max(e.x1 for e in ext) - min(e.x0 for e in ext),
        max(e.y1 for e in ext) - min(e.y0 for e in ext),
    )
    for pos, (props, geom) in enumerate(zip(bounds.properties, bounds.geometries, strict=True)):
        row: dict[str, Any] | None = by_feature.get(pos)
        v = None if row is None else row[value]
        missing = v is None or (isinstance(v, float) and math.isnan(v))
        path = paths[pos]
        # a city is a few pixels wide on a national map: show it as a dot as well
        small = max(ext[pos].width, ext[pos].height) < 0.03 * span
        patch = PathPatch(
            path,
            facecolor=_NO_DATA if missing else colour_of(v),
            edgecolor="white",
            linewidth=0.8,
            hatch="///" if missing else None,
            zorder=2,
        )
        ident = _feature_id(props, pos)
        gid = f"region-{ident}"
        patch.set_gid(gid)
        ax.add_patch(patch)
        shown = row[label_name] if row is not None else _feature_name(props, ident)
        titles[gid] = f"{shown}: {_fmt(v, value)}" + (
            f" {_unit_of(value)}" if not missing and _unit_of(value) in ("points of 100",) else ""
        )
        for poly in rings(geom):
            lats.extend(pt[1] for pt in poly[0])
        x, y = _label_point(geom)
        if small:
            dot = ax.scatter(
                [x],
                [y],
                s=55,
                c=[_NO_DATA if missing else colour_of(v)],
                edgecolors=_INK,
                linewidths=0.7,
                zorder=3,
            )
            dot.set_gid(f"dot-{ident}")
            titles[f"dot-{ident}"] = titles[gid]
        if labels:
            ax.text(
                x + (0.012 * span if small else 0.0),
                y,
                _short(str(shown)),
                fontsize=6.5,
                ha="left" if small else "center",
                va="center",
                color=_INK,
                zorder=4,
                bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.55},
            )
    ax.autoscale_view()
    mean_lat = float(np.mean(lats)) if lats else 0.0
    ax.set_aspect(1.0 / max(math.cos(math.radians(mean_lat)), 0.1))
    if any(v is None for v in (by_feature.get(i) for i in range(len(bounds.properties)))) or (
        series.null_count() > 0
    ):
        handles.append(Patch(facecolor=_NO_DATA, hatch="///", edgecolor="white", label="no data"))
    if categorical:
        ax.legend(
            handles=handles,
            title=_title_of(value),
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=8,
            title_fontsize=8,
        )
    else:
        cbar = fig.colorbar(sm, ax=ax, shrink=0.6, pad=0.01)
        unit = _unit_of(value)
        cbar.set_label(_title_of(value) + (f" ({unit})" if unit else ""), fontsize=8)
        cbar.ax.tick_params(labelsize=7)
        if value in _PERCENT:
            cbar.ax.yaxis.set_major_formatter(
                mpl.ticker.FuncFormatter(lambda v, _p: f"{v * 100:.0f}")
            )
        if handles:
            ax.legend(handles=handles, loc="lower left", frameon=False, fontsize=8)
    what = _title_of(value)
    _titles(
        ax,
        title or f"{what} by region{_year_suffix(year)}",
        subtitle
        if subtitle is not None
        else f"{df.height} regions with data; boundaries: {Path(bounds.source).name}",
    )
    fig._growthpole_titles = titles  # type: ignore[attr-defined]
    return fig


def _categorical_colours(series: pl.Series, scale: Scale | None) -> tuple[Any, list[Any]]:
    present = [str(v) for v in series.drop_nulls().unique().to_list()]
    scale = scale or Scale.default()
    order = scale.labels if set(present) <= set(scale.labels) else sorted(present)
    cmap = mpl.colormaps[_SEQUENTIAL]
    n = len(order)
    colours = {
        lab: mpl.colors.to_hex(cmap(0.12 + 0.83 * (i / max(n - 1, 1))))
        for i, lab in enumerate(order)
    }
    handles = [
        Patch(facecolor=colours[lab], edgecolor="#999999", label=lab)
        for lab in reversed(order)  # top grade first
    ]
    return (lambda v: colours[str(v)]), handles


def _numeric_colours(series: pl.Series, value: str, palette: str) -> tuple[Any, list[Any], Any]:
    vals = series.cast(pl.Float64).fill_nan(None).drop_nulls().to_numpy()
    lo, hi = (float(vals.min()), float(vals.max())) if vals.size else (0.0, 1.0)
    if hi == lo:
        hi = lo + 1.0
    centre = 1.0 if value == "lq" else 0.0  # LQ: 1 = like the nation
    diverging = palette == "diverging" or (
        palette == "auto" and ("change" in value or value == "lq") and lo < centre < hi
    )
    if diverging:
        m = max(abs(lo - centre), abs(hi - centre))
        norm: Normalize = TwoSlopeNorm(vcenter=centre, vmin=centre - m, vmax=centre + m)
        cmap = mpl.colormaps[_DIVERGING]
    else:
        norm = Normalize(vmin=lo, vmax=hi)
        cmap = mpl.colors.LinearSegmentedColormap.from_list(
            "gp_seq", mpl.colormaps[_SEQUENTIAL](np.linspace(0.08, 0.95, 256))
        )
        if value.startswith("rank") and value != "rank_interval":
            cmap = cmap.reversed()  # rank 1 = darkest
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    return (lambda v: mpl.colors.to_hex(cmap(norm(float(v))))), [], sm


def _geometry_path(geom: Mapping[str, Any]) -> MplPath:
    verts: list[Sequence[float]] = []
    codes: list[Any] = []
    for poly in rings(geom):
        for ring in poly:
            if len(ring) < 3:
                continue
            verts.extend(ring)
            codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2))
            codes.append(MplPath.CLOSEPOLY)
    return MplPath(np.asarray(verts, dtype=float), codes)


def _label_point(geom: Mapping[str, Any]) -> tuple[float, float]:
    """Centroid of the largest outer ring (area-weighted; good enough for labels)."""
    best = (-1.0, 0.0, 0.0)
    for poly in rings(geom):
        pts = np.asarray(poly[0], dtype=float)
        x, y = pts[:, 0], pts[:, 1]
        cross = x[:-1] * y[1:] - x[1:] * y[:-1]
        area = cross.sum() / 2
        if abs(area) < 1e-12:
            cx, cy = float(x.mean()), float(y.mean())
        else:
            cx = float(((x[:-1] + x[1:]) * cross).sum() / (6 * area))
            cy = float(((y[:-1] + y[1:]) * cross).sum() / (6 * area))
        if abs(area) > best[0]:
            best = (abs(area), cx, cy)
    return best[1], best[2]


def _feature_id(props: Mapping[str, Any], pos: int) -> str:
    for k in ("region_id", "region", "id", "iso_3166_2", "code"):
        if props.get(k) not in (None, ""):
            return re.sub(r"[^A-Za-z0-9_-]+", "-", str(props[k]))
    return str(pos)


def _feature_name(props: Mapping[str, Any], fallback: str) -> str:
    for k in ("paper_name", "name", "name_en", "NAME_1", "shapeName"):
        if props.get(k):
            return str(props[k])
    return fallback


def _short(name: str) -> str:
    return re.sub(r"\s+(region|oblast|province)$", "", name, flags=re.IGNORECASE)


# -- quadrant ----------------------------------------------------------------------------
def quadrant(
    data: Any,
    *,
    x: str = "share_of_national",
    y: str = "index",
    region: str = "region",
    label: str | None = "name",
    candidate: str | None = "candidate",
    year: int | None = None,
    year_col: str = "year",
    x_threshold: float | None = None,
    y_threshold: float | None = None,
    rule: PoleRule | None = None,
    scale: Scale | None = None,
    title: str | None = None,
    source: str = "<frame>",
) -> Figure:
    """The growth-pole quadrant: innovation index against specialisation.

    Quadrant lines sit at ``x_threshold`` (default: the lowest bound of the rule's top
    specialisation tiers, 20 %) and ``y_threshold`` (default: the lower bound of the rule's
    minimum grade on the scale, 40 points). Candidates (the ``candidate`` column, when
    present) are drawn as large vermillion diamonds with bold labels; regions without a
    value on either axis are listed under the chart instead of being drawn at zero.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "b"], "index": [62.0, 31.5],
    ...                   "share_of_national": [0.41, None]})
    >>> fig = quadrant(t, x_threshold=0.25)
    >>> [round(v, 2) for v in fig.axes[0].lines[0].get_xdata()]
    [25.0, 25.0]
    """
    rule = rule or PoleRule()
    scale = scale or Scale.default()
    df = _frame(data, [region, x, y], source)
    df, year = _one_year(df, year, year_col, source)
    if x_threshold is None:
        x_threshold = min(t.lower for t in rule.tiers if t.name in rule.top_tiers)
    if y_threshold is None:
        y_threshold = scale.bands[scale.rank_of(rule.min_grade)].lower
    lab = _label_col(df, label, region)
    has_cand = candidate is not None and candidate in df.columns
    pct = x in _PERCENT
    xs = df[x].cast(pl.Float64).fill_nan(None)
    ys = df[y].cast(pl.Float64).fill_nan(None)
    ok = xs.is_not_null() & ys.is_not_null()
    shown = df.filter(ok)
    left_out = df.filter(~ok)[str(lab)].to_list()
    xv = shown[x].cast(pl.Float64).to_numpy() * (100 if pct else 1)
    yv = shown[y].cast(pl.Float64).to_numpy()
    cand = (
        shown[str(candidate)].fill_null(False).cast(pl.Boolean).to_numpy()
        if has_cand
        else np.zeros(shown.height, dtype=bool)
    )
    xt = x_threshold * (100 if pct else 1)
    fig = _new_figure(8.2, 5.6)
    ax = fig.add_subplot()
    _style(ax)
    ax.axvline(xt, color="#555555", linestyle="--", linewidth=1, zorder=1)
    ax.axhline(y_threshold, color="#555555", linestyle="--", linewidth=1, zorder=1)
    ax.scatter(
        xv[~cand],
        yv[~cand],
        s=36,
        color=OKABE_ITO["blue"],
        edgecolor="white",
        linewidth=0.6,
        zorder=3,
        label="other regions",
    )
    if cand.any():
        ax.scatter(
            xv[cand],
            yv[cand],
            s=110,
            marker="D",
            color=OKABE_ITO["vermillion"],
            edgecolor=_INK,
            linewidth=0.8,
            zorder=4,
            label="growth-pole candidate",
        )
    xmax = max(float(xv.max()) if xv.size else 0.0, xt) * 1.12 + (1 if pct else 0.01)
    ymax = max(float(yv.max()) if yv.size else 0.0, y_threshold) * 1.1 + 1
    ax.set_xlim(0, xmax)
    ax.set_ylim(0, ymax)
    unit_x = "%" if pct else _unit_of(x)
    ax.set_xlabel(_title_of(x) + (f" ({unit_x})" if unit_x else ""), fontsize=9)
    unit_y = _unit_of(y)
    ax.set_ylabel(_title_of(y) + (f" ({unit_y})" if unit_y else ""), fontsize=9)
    corner: dict[str, Any] = {"fontsize": 7.5, "color": "#666666", "style": "italic"}
    ax.text(xmax * 0.99, ymax * 0.98, "innovative and specialised", ha="right", va="top", **corner)
    ax.text(xt * 0.97, ymax * 0.98, "innovative, not specialised", ha="right", va="top", **corner)
    ax.text(xmax * 0.99, ymax * 0.02, "specialised, less innovative", ha="right", **corner)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    sub = (
        f"Dashed lines: share {f'{x_threshold * 100:g} %' if pct else f'{x_threshold:g}'} "
        f"(top specialisation tier) and index {y_threshold:g} (grade {rule.min_grade})"
    )
    if left_out:
        sub += f"; not drawn (no data): {', '.join(map(str, left_out))}"
    _titles(
        ax,
        title or f"Innovation index against share of national output{_year_suffix(year)}",
        sub,
    )
    _label_points(ax, xv, yv, [str(v) for v in shown[lab].to_list()], bold=cand)
    return fig


def _label_points(
    ax: Any,
    xs: np.ndarray,
    ys: np.ndarray,
    texts: Sequence[str],
    *,
    bold: np.ndarray | None = None,
    fontsize: float = 7.0,
) -> None:
    """Label points, nudging labels up or down so they do not overlap (a simple repel)."""
    if not len(texts):
        return
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    FigureCanvasAgg(fig).draw()  # settle the layout so display positions are final
    trans = ax.transData
    disp = trans.transform(np.column_stack([xs, ys]))
    px = fig.dpi / 72.0
    line_h = fontsize * 1.3 * px
    char_w = fontsize * 0.6 * px
    placed: list[tuple[float, float, float, float]] = [
        (px_ - 4 * px, py_ - 4 * px, px_ + 4 * px, py_ + 4 * px) for px_, py_ in disp
    ]
    order = np.argsort(-disp[:, 1])
    inv = trans.inverted()
    for i in order:
        w = char_w * len(texts[i]) + 2 * px
        x0 = disp[i, 0] + 5 * px
        y0 = disp[i, 1] - line_h / 2
        for step in range(0, 24):
            dy = (step + 1) // 2 * line_h * (1 if step % 2 else -1)
            box = (x0, y0 + dy, x0 + w, y0 + dy + line_h)
            others = placed[:i] + placed[i + 1 :]
            if not any(_overlap(box, b) for b in others):
                break
        placed.append(box)
        tx, ty = inv.transform((box[0], box[1] + line_h / 2))
        is_bold = bool(bold[i]) if bold is not None else False
        ax.annotate(
            texts[i],
            xy=(xs[i], ys[i]),
            xytext=(tx, ty),
            textcoords="data",
            fontsize=fontsize + (0.5 if is_bold else 0),
            fontweight="bold" if is_bold else "normal",
            va="center",
            ha="left",
            color=_INK,
            zorder=5,
            arrowprops=(
                {"arrowstyle": "-", "color": "#999999", "linewidth": 0.5}
                if abs(ty - ys[i]) > 0 and abs(box[1] + line_h / 2 - disp[i, 1]) > line_h * 0.6
                else None
            ),
        )


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# -- rank slope --------------------------------------------------------------------------
def rank_slope(
    data: Any,
    *,
    year_from: int,
    year_to: int,
    rank: str = "rank",
    region: str = "region",
    year: str = "year",
    label: str | None = "name",
    title: str | None = None,
    source: str = "<frame>",
) -> Figure:
    """Slope chart of ranks between two years (rank 1 at the top).

    Lines are blue when a region moved up, vermillion when it moved down and grey when
    it kept its rank; each side is labelled with the region and its rank.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "b", "a", "b"], "year": [2010, 2010, 2016, 2016],
    ...                   "rank": [1, 2, 2, 1]})
    >>> fig = rank_slope(t, year_from=2010, year_to=2016)
    >>> len(fig.axes[0].lines)
    2
    """
    df = _frame(data, [region, year, rank], source)
    lab = _label_col(df, label, region)
    a = df.filter(pl.col(year) == year_from).select(list(dict.fromkeys([region, lab, rank])))
    b = df.filter(pl.col(year) == year_to).select(region, pl.col(rank).alias("_to"))
    for yr, part in ((year_from, a), (year_to, b)):
        if part.height == 0:
            years = sorted(df[year].unique().to_list())
            raise InputError(f"no rows for year {yr}; the data has {years}", source=source)
    both = a.join(b, on=region, how="inner").drop_nulls([rank, "_to"])
    fig = _new_figure(7.6, max(4.5, 0.32 * both.height + 1.6))
    ax = fig.add_subplot()
    ax.set_axis_off()
    n = int(max(both[rank].max() or 1, both["_to"].max() or 1))  # type: ignore[arg-type]
    ax.set_ylim(n + 0.8, -0.6)
    ax.set_xlim(-1.6, 2.6)
    for row in both.iter_rows(named=True):
        r0, r1 = row[rank], row["_to"]
        colour = (
            OKABE_ITO["blue"]
            if r1 < r0
            else (OKABE_ITO["vermillion"] if r1 > r0 else OKABE_ITO["grey"])
        )
        ax.plot([0, 1], [r0, r1], color=colour, linewidth=1.8, marker="o", markersize=4)
        ax.text(-0.04, r0, f"{row[lab]}  {int(r0)}", ha="right", va="center", fontsize=7.5)
        moved = int(r0 - r1)
        ax.text(
            1.04,
            r1,
            f"{int(r1)}  {row[lab]}" + (f"  ({moved:+d})" if moved else ""),
            ha="left",
            va="center",
            fontsize=7.5,
            color=colour if moved else _INK,
        )
    ax.text(0, 0.3, str(year_from), ha="center", va="bottom", fontsize=9, fontweight="bold")
    ax.text(1, 0.3, str(year_to), ha="center", va="bottom", fontsize=9, fontweight="bold")
    _titles(
        ax,
        title or f"{_title_of(rank)} of each region, {year_from} and {year_to}",
        "1 = best; blue: moved up, vermillion: moved down, grey: same place",
    )
    return fig


# -- index and sub-indices ---------------------------------------------------------------
def subindices(
    data: Any,
    columns: Sequence[str],
    *,
    index: str = "index",
    region: str = "region",
    label: str | None = "name",
    year: int | None = None,
    year_col: str = "year",
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    source: str = "<frame>",
) -> Figure:
    """The index of each region as a bar, with its sub-indices as markers (0–100 points).

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "b"], "g1": [80.0, 20.0], "g2": [40.0, 60.0],
    ...                   "index": [60.0, 40.0]})
    >>> fig = subindices(t, ["g1", "g2"])
    >>> len(fig.axes[0].patches)
    2
    """
    df = _frame(data, [region, index, *columns], source)
    df, year = _one_year(df, year, year_col, source)
    lab = _label_col(df, label, region)
    df = df.sort(index, descending=True, nulls_last=True)
    names = dict(names or {})
    n = df.height
    fig = _new_figure(8.2, max(3.5, 0.3 * n + 1.8))
    ax = fig.add_subplot()
    _style(ax)
    ypos = np.arange(n)
    ax.barh(
        ypos,
        df[index].cast(pl.Float64).fill_null(0).to_numpy(),
        color="#c6dbef",
        edgecolor="#6baed6",
        height=0.7,
        label=names.get(index, "index"),
        zorder=2,
    )
    markers = ["o", "s", "^", "D", "v", "P"]
    colours = [OKABE_ITO[c] for c in ("vermillion", "blue", "green", "orange", "purple", "sky")]
    for k, col in enumerate(columns):
        vals = df[col].cast(pl.Float64).to_numpy()
        ax.scatter(
            vals,
            ypos,
            marker=markers[k % len(markers)],
            color=colours[k % len(colours)],
            s=28,
            zorder=3,
            label=names.get(col, col.replace("_", " ")),
        )
    for i, v in enumerate(df[index].to_list()):
        if v is not None:
            ax.text(v + 1, i, f"{v:.1f}", va="center", fontsize=7, color="#333333")
    ax.set_yticks(ypos, [str(v) for v in df[lab].to_list()], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 105)
    ax.set_xlabel("Score (points of 100; 100 = the leading region)", fontsize=9)
    ax.legend(loc="lower right", frameon=True, fontsize=7.5, framealpha=0.9)
    _titles(
        ax,
        title or f"Innovation index and its sub-indices by region{_year_suffix(year)}",
        "Bar: index; markers: sub-indices",
    )
    return fig


# -- rank uncertainty --------------------------------------------------------------------
def rank_interval(
    data: Any,
    *,
    median: str = "rank_median",
    low: str = "rank_p05",
    high: str = "rank_p95",
    region: str = "region",
    label: str | None = "name",
    year: int | None = None,
    year_col: str = "year",
    title: str | None = None,
    source: str = "<frame>",
) -> Figure:
    """Median rank of each region with its 5–95 % interval (from an uncertainty analysis).

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "b"], "rank_median": [2.0, 1.0],
    ...                   "rank_p05": [1.0, 1.0], "rank_p95": [2.0, 2.0]})
    >>> fig = rank_interval(t)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['b', 'a']
    """
    df = _frame(data, [region, median, low, high], source)
    df, year = _one_year(df, year, year_col, source)
    lab = _label_col(df, label, region)
    df = df.sort([median, low], nulls_last=True)
    n = df.height
    fig = _new_figure(7.6, max(3.5, 0.3 * n + 1.8))
    ax = fig.add_subplot()
    _style(ax)
    ypos = np.arange(n)
    lo = df[low].cast(pl.Float64).to_numpy()
    hi = df[high].cast(pl.Float64).to_numpy()
    med = df[median].cast(pl.Float64).to_numpy()
    ax.hlines(ypos, lo, hi, color=OKABE_ITO["sky"], linewidth=4, zorder=2, label="5–95 % interval")
    ax.scatter(med, ypos, color=OKABE_ITO["blue"], s=30, zorder=3, label="median rank")
    ax.set_yticks(ypos, [str(v) for v in df[lab].to_list()], fontsize=8)
    ax.invert_yaxis()
    top = float(np.nanmax(hi)) if n else 1.0
    ax.set_xlim(0.5, top + 0.5)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("Rank (1 = best)", fontsize=9)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=7.5)
    _titles(
        ax,
        title or f"Median rank with its 5–95 % interval{_year_suffix(year)}",
        "A long bar: the region's rank depends on the method's uncertain choices",
    )
    return fig


# -- industry portfolio ------------------------------------------------------------------
def portfolio(
    data: Any,
    of: str,
    *,
    region: str = "region",
    industry: str = "industry",
    lq: str = "lq",
    share: str = "share_of_national",
    size: str = "value",
    year: int | None = None,
    year_col: str = "year",
    unit: str = "",
    title: str | None = None,
    source: str = "<frame>",
) -> Figure:
    """A region's industry portfolio: location quotient against share of national output.

    Each bubble is an industry of the region ``of`` (matched on ``region``, or on ``name``
    when present); bubble area is proportional to ``size`` (its output or employment).
    The line LQ = 1 marks the national average specialisation.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"region": ["a", "a"], "industry": ["IT", "steel"],
    ...                   "lq": [2.0, 0.5], "share_of_national": [0.3, 0.05],
    ...                   "value": [30.0, 5.0]})
    >>> fig = portfolio(t, "a")
    >>> len(fig.axes[0].collections)
    1
    """
    df = _frame(data, [region, industry, lq, share, size], source)
    df, year = _one_year(df, year, year_col, source)
    mine = df.filter(pl.col(region).cast(pl.String) == of)
    if mine.height == 0 and "name" in df.columns:
        mine = df.filter(pl.col("name").cast(pl.String) == of)
    if mine.height == 0:
        known = sorted(map(str, df[region].unique().to_list()))
        raise InputError(
            f"region {of!r} not found; the data has {known[:30]}", source=source, column=region
        )
    mine = mine.drop_nulls([lq, share, size])
    name = str(mine["name"][0]) if "name" in mine.columns and mine.height else of
    xv = mine[share].cast(pl.Float64).to_numpy() * 100
    yv = mine[lq].cast(pl.Float64).to_numpy()
    sv = mine[size].cast(pl.Float64).to_numpy()
    area = 1200 * sv / sv.max() if sv.size and sv.max() > 0 else np.full(sv.shape, 40.0)
    fig = _new_figure(8.2, 5.6)
    ax = fig.add_subplot()
    _style(ax)
    ax.axhline(1.0, color="#555555", linestyle="--", linewidth=1, zorder=1)
    ax.scatter(
        xv,
        yv,
        s=np.maximum(area, 12),
        color=OKABE_ITO["blue"],
        alpha=0.55,
        edgecolor=_INK,
        linewidth=0.6,
        zorder=3,
    )
    ax.set_xlim(0, (float(xv.max()) if xv.size else 1.0) * 1.2 + 0.5)
    ax.set_ylim(0, (float(yv.max()) if yv.size else 1.0) * 1.15 + 0.2)
    ax.set_xlabel("Share of national output of the industry (%)", fontsize=9)
    ax.set_ylabel("Location quotient (1 = national average)", fontsize=9)
    _titles(
        ax,
        title or f"Industry portfolio of {name}{_year_suffix(year)}",
        f"Bubble area: {_title_of(size).lower()}"
        + (f" ({unit})" if unit else "")
        + "; dashed line: LQ = 1",
    )
    _label_points(ax, xv, yv, [str(v) for v in mine[industry].to_list()])
    return fig


# -- export ------------------------------------------------------------------------------
_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "growthpole",
    "font.family": "DejaVu Sans",
}


def to_svg(fig: Figure) -> str:
    """The figure as compact inline SVG text (text kept as text, coordinates rounded).

    Map regions are ``<g id="region-<id>">`` groups with a ``<title>`` tooltip.
    """
    buf = io.StringIO()
    with mpl.rc_context(_RC):  # type: ignore[arg-type]
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r'd="([^"]*)"', lambda m: 'd="' + _round_numbers(m.group(1)) + '"', svg)
    svg = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1)
    svg = svg.replace("<svg ", '<svg role="img" ', 1)
    titles: Mapping[str, str] = getattr(fig, "_growthpole_titles", {})
    for gid, text in titles.items():
        kind = "region" if gid.startswith("region-") else "region-dot"
        svg = svg.replace(
            f'<g id="{gid}">',
            f'<g id="{gid}" class="{kind}"><title>{_escape(text)}</title>',
            1,
        )
    svg = re.sub(r"\n\s*", "\n", svg)
    return svg.strip()


def _round_numbers(text: str) -> str:
    """Compact path data: polylines become ``M x y l dx dy ... z`` in tenths of a pixel.

    Coordinates are rounded to 0.1 px first and the relative steps taken between the
    rounded points, so the outline never drifts; steps under 0.4 px are dropped.
    """
    if not re.fullmatch(r"[MLz\d\s.\-e]+", text):
        return re.sub(r"(-?\d+\.\d)\d+", r"\1", text)
    out: list[str] = []
    last: tuple[int, int] | None = None
    for cmd, args in re.findall(r"([MLz])([^MLz]*)", text):
        if cmd == "z":
            out.append("z")
            continue
        nums = [float(v) for v in args.split()]
        for x, y in zip(nums[0::2], nums[1::2], strict=False):
            pt = (round(x * 10), round(y * 10))
            if cmd == "M" or last is None:
                out.append(f"M{_tenths(pt[0])} {_tenths(pt[1])}")
                out.append("l")
            else:
                dx, dy = pt[0] - last[0], pt[1] - last[1]
                if abs(dx) + abs(dy) < 4:
                    continue
                out.append(f"{_tenths(dx)} {_tenths(dy)}")
            last = pt
    kept = [t for i, t in enumerate(out) if not (t == "l" and out[i + 1 : i + 2] in (["z"], []))]
    return " ".join(kept).replace(" -", "-")  # "2.6 -3.2" -> "2.6-3.2": the same path


def _tenths(v: int) -> str:
    """An integer number of tenths as short text: 12 -> '1.2', -3 -> '-.3', 20 -> '2'."""
    sign = "-" if v < 0 else ""
    whole, frac = divmod(abs(v), 10)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole if whole else ''}.{frac}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_png(fig: Figure, *, dpi: int = 150) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    with mpl.rc_context({"font.family": "DejaVu Sans"}):
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def save(fig: Figure, path: str | Path, *, dpi: int = 150) -> Path:
    """Write the figure to ``path`` (``.png`` or ``.svg``), atomically."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".svg":
        data = to_svg(fig).encode("utf-8")
    elif suffix == ".png":
        data = to_png(fig, dpi=dpi)
    else:
        raise InputError(
            f"unknown image format {p.suffix or '(no extension)'!r}; expected .png or .svg",
            source=str(p),
        )
    with atomic_path(p) as tmp:
        tmp.write_bytes(data)
    return p
