"""Specialisation, concentration and complexity indices (pure functions over long tables)."""

from growthpole.indices.share import share_of_national

__all__ = ["share_of_national"]
