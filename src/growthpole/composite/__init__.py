"""Composite indicators: normalise, aggregate, grade (formulas 1-4 of the paper)."""

from growthpole.composite._normalise import fraction_of_leader
from growthpole.composite.rating import aggregate, grade, normalise, rank_desc, rate

__all__ = ["aggregate", "fraction_of_leader", "grade", "normalise", "rank_desc", "rate"]
