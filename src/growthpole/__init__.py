"""growthpole: which regions can carry a new industry cluster, how sure, and why.

The public API in one place. Tabular functions take any frame Narwhals supports (pandas,
Polars, PyArrow, DuckDB, PySpark) with keyword column roles (``region=``, ``industry=``,
``year=``, ``indicator=``, ``value=``) and return the same kind of frame.

Examples
--------
>>> import growthpole as gp
>>> res = gp.methods.kireyeva2018.paper_results()
>>> res.summary
'reproduced: 56 match, 15 differ (13 explained)'
"""

from __future__ import annotations

from growthpole import composite, datasets, indices, io, methods
from growthpole.composite import fraction_of_leader, grade, normalise, rate
from growthpole.errors import (
    DataWarning,
    EngineError,
    GrowthpoleError,
    InputError,
    MissingExtraError,
    SpecError,
)
from growthpole.indices import share_of_national
from growthpole.poles import growth_poles
from growthpole.specs import Band, Group, IndexSpec, Indicator, PoleRule, Scale, Tier

__version__ = "0.1.0"

__all__ = [
    "Band",
    "DataWarning",
    "EngineError",
    "Group",
    "GrowthpoleError",
    "IndexSpec",
    "Indicator",
    "InputError",
    "MissingExtraError",
    "PoleRule",
    "Scale",
    "SpecError",
    "Tier",
    "composite",
    "datasets",
    "fraction_of_leader",
    "grade",
    "growth_poles",
    "indices",
    "io",
    "methods",
    "normalise",
    "rate",
    "share_of_national",
]
