"""Specialisation, concentration and complexity indices (pure functions over long tables).

Every function takes a long table with the roles ``region, industry, [year,] value`` as
any frame Narwhals supports (pandas, Polars, PyArrow, DuckDB, PySpark) and returns the
same kind. Absent (region, industry) rows are zeros. See ``docs/indices.md``.
"""

from growthpole.indices._complexity import Complexity, complexity, proximity, relatedness
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
    "complexity",
    "concentration",
    "krugman_dissimilarity",
    "location_quotient",
    "proximity",
    "relatedness",
    "share_of_national",
    "specialisation",
]
