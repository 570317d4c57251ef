"""Composite indicators: the paper's rating (formulas 1-4) and a COINr-like engine.

Build any hierarchy of indicators in an :class:`~growthpole.specs.IndexSpec`, rate it
(:func:`rate`, :class:`Composite`), check it (:func:`diagnostics`), and test its
robustness (:func:`uncertainty`, :func:`sensitivity`, :func:`leave_one_out`).
"""

from growthpole.composite._normalise import fraction_of_leader
from growthpole.composite._uncertainty import (
    SensitivityResult,
    Uncertainties,
    UncertaintyResult,
    leave_one_out,
    sensitivity,
    uncertainty,
)
from growthpole.composite.pipeline import Composite
from growthpole.composite.rating import aggregate, grade, normalise, rank_desc, rate

__all__ = [
    "Composite",
    "SensitivityResult",
    "Uncertainties",
    "UncertaintyResult",
    "aggregate",
    "fraction_of_leader",
    "grade",
    "normalise",
    "rank_desc",
    "leave_one_out",
    "rate",
    "sensitivity",
    "uncertainty",
]
