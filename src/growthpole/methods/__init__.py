"""Named method presets. ``kireyeva2018``: the paper's innovation rating and IT specialisation."""

from growthpole.methods import kireyeva2018

PRESETS = {"kireyeva2018": kireyeva2018}

__all__ = ["PRESETS", "kireyeva2018"]
