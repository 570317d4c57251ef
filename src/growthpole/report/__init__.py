"""Pictures of growthpole results: charts, the self-contained HTML report and its sections.

* :mod:`growthpole.report.charts` — figures (matplotlib) with PNG/SVG export.
* :mod:`growthpole.report.html` — :class:`Section`, :func:`build_report` (pluggable sections),
  :func:`table_html`, :func:`figure_html`.
* builders — :func:`paper_report`, :func:`data_report`, :func:`folder_report`,
  :func:`results_sections`.
"""

from __future__ import annotations

from growthpole.report.builders import (
    data_report,
    folder_report,
    paper_report,
    paper_sections,
    results_sections,
)
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
from growthpole.report.html import (
    Section,
    build_report,
    escape,
    figure_html,
    format_value,
    table_html,
    write_report,
)

__all__ = [
    "Section",
    "build_report",
    "choropleth",
    "data_report",
    "escape",
    "figure_html",
    "folder_report",
    "format_value",
    "paper_report",
    "paper_sections",
    "portfolio",
    "quadrant",
    "rank_interval",
    "rank_slope",
    "results_sections",
    "save",
    "subindices",
    "table_html",
    "to_png",
    "to_svg",
    "write_report",
]
