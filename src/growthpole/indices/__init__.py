"""Specialisation, concentration and complexity indices (pure functions over long tables).

Every function takes a long table with the roles ``region, industry, [year,] value`` as
any frame Narwhals supports (pandas, Polars, PyArrow, DuckDB, PySpark) and returns the
same kind. Absent (region, industry) rows are zeros. Methods, formulas, references and
where the reference packages differ: ``docs/indices.md``.
"""

from growthpole.indices._clusters import (
    aggregate_clusters,
    cluster_stars,
    read_cluster_map,
    strong_clusters,
)
from growthpole.indices._complexity import Complexity, complexity, proximity, relatedness
from growthpole.indices._dynamics import dynamics, shift_share
from growthpole.indices._micro import agglomeration, coagglomeration
from growthpole.indices._specialisation import (
    INDUSTRY_INDICES,
    REGION_INDICES,
    concentration,
    krugman_dissimilarity,
    location_quotient,
    specialisation,
)
from growthpole.indices.share import share_of_national

__all__ = [
    "INDUSTRY_INDICES",
    "REGION_INDICES",
    "Complexity",
    "agglomeration",
    "aggregate_clusters",
    "cluster_stars",
    "coagglomeration",
    "complexity",
    "concentration",
    "dynamics",
    "krugman_dissimilarity",
    "location_quotient",
    "proximity",
    "read_cluster_map",
    "relatedness",
    "share_of_national",
    "shift_share",
    "specialisation",
    "strong_clusters",
]
