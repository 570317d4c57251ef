"""Composite indicators: the paper's rating (formulas 1-4) and a COINr-like engine.

Build any hierarchy of indicators in an :class:`~growthpole.specs.IndexSpec`, rate it
(:func:`rate`, :class:`Composite`), check it (:func:`diagnostics`), and test its
robustness (:func:`uncertainty`, :func:`sensitivity`, :func:`leave_one_out`).
"""

from growthpole.composite._diagnostics import cronbach_alpha, diagnostics
from growthpole.composite._normalise import fraction_of_leader
from growthpole.composite._panel import change_since_first, trends, with_auxiliary
from growthpole.composite._treat import kurt, skew, treat_column
from growthpole.composite._uncertainty import (
    SensitivityResult,
    Uncertainties,
    UncertaintyResult,
    leave_one_out,
    sensitivity,
    uncertainty,
)
from growthpole.composite._weights import (
    effective_weights,
    equal_weights,
    noisy_weights,
    optimise_weights,
    pca_weights,
)
from growthpole.composite.pipeline import Composite
from growthpole.composite.rating import aggregate, grade, normalise, rank_desc, rate

__all__ = [
    "Composite",
    "SensitivityResult",
    "Uncertainties",
    "UncertaintyResult",
    "aggregate",
    "change_since_first",
    "cronbach_alpha",
    "diagnostics",
    "effective_weights",
    "equal_weights",
    "fraction_of_leader",
    "grade",
    "kurt",
    "leave_one_out",
    "noisy_weights",
    "normalise",
    "optimise_weights",
    "pca_weights",
    "rank_desc",
    "rate",
    "sensitivity",
    "skew",
    "treat_column",
    "trends",
    "uncertainty",
    "with_auxiliary",
]
