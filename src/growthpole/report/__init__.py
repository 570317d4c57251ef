"""Pictures of growthpole results: charts, the self-contained HTML report, sections."""

from __future__ import annotations

from growthpole.report.charts import (
    choropleth,
    portfolio,
    quadrant,
    rank_interval,
    rank_slope,
    save,
    subindices,
    to_png,
    to_svg,
)

__all__ = [
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
