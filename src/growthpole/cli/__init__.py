"""The ``growthpole`` command line. Each area registers its commands in its own module."""

from growthpole.cli import _specialise  # noqa: F401  (registers specialise)
from growthpole.cli._app import app, main

__all__ = ["app", "main"]
