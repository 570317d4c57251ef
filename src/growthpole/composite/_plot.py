"""Pictures of the robustness analysis (needs matplotlib).

Examples
--------
>>> import polars as pl
>>> s = pl.DataFrame({"region": ["a", "b"], "year": [2020, 2020], "rank": [1, 2],
...                   "rank_median": [1.0, 2.0], "rank_p05": [1.0, 1.0], "rank_p95": [2.0, 2.0]})
>>> fig = plot_rank_intervals(s)
>>> len(fig.axes)
1
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from growthpole.errors import InputError, MissingExtraError

__all__ = ["plot_rank_intervals"]


def plot_rank_intervals(
    summary: pl.DataFrame,
    path: str | Path | None = None,
    *,
    year: int | None = None,
    sobol: pl.DataFrame | None = None,
) -> Any:
    """Plot each region's nominal rank, median rank and 5-95 % rank interval.

    One year (default: the last); with ``sobol`` a second panel shows the Sobol indices.
    Saved to ``path`` (PNG/SVG/PDF, atomically) when given. ``summary`` is :attr:`UncertaintyResult.summary` (or the CLI's ratings.csv). Returns
    the matplotlib figure.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError("matplotlib", "spatial") from None
    need = {"region", "year", "rank", "rank_median", "rank_p05", "rank_p95"}
    if not need <= set(summary.columns):
        raise InputError(f"the summary needs columns {sorted(need)}", source="summary")
    years = sorted(y for y in summary["year"].unique().to_list() if y is not None)
    yr = year if year is not None else (years[-1] if years else None)
    d = summary if yr is None else summary.filter(pl.col("year") == yr)
    d = d.drop_nulls("rank").sort("rank", descending=True)
    n = d.height
    ncols = 2 if sobol is not None else 1
    fig, axes = plt.subplots(1, ncols, figsize=(7 * ncols, max(3.0, 0.28 * n + 1.2)), squeeze=False)
    ax = axes[0][0]
    pos = list(range(n))
    ax.hlines(pos, d["rank_p05"], d["rank_p95"], color="#9ab", lw=5, label="5-95 % of replications")
    ax.plot(d["rank_median"], pos, "o", color="#246", label="median rank")
    ax.plot(d["rank"], pos, "x", color="#c33", label="nominal rank")
    ax.set_yticks(pos, [str(r) for r in d["region"].to_list()])
    ax.set_xlabel("rank (1 = best)")
    ax.invert_xaxis()
    ax.set_title(f"How sure is each rank?{'' if yr is None else f' ({yr})'}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=8, frameon=False)
    if sobol is not None:
        sx = axes[0][1]
        f = sobol["factor"].to_list()
        idx = list(range(len(f)))
        sx.barh([i + 0.2 for i in idx], sobol["total"], height=0.4, label="total", color="#246")
        sx.barh(
            [i - 0.2 for i in idx],
            sobol["first_order"],
            height=0.4,
            label="first order",
            color="#9ab",
        )
        sx.set_yticks(idx, f)
        sx.set_xlabel("Sobol index of the mean absolute rank shift")
        sx.set_title("Which choices move the ranks?")
        sx.legend(fontsize=8)
    fig.tight_layout()
    if path is not None:
        from growthpole.report.charts import save

        save(fig, path, dpi=120)
    plt.close(fig)
    return fig
