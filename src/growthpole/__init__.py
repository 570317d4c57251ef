"""growthpole: which regions can carry a new industry cluster, how sure, and why."""

from __future__ import annotations

__version__ = "0.1.0"
