"""The ``growthpole`` command line. Each area registers its commands in its own module."""

from growthpole.cli import (
    _paper,  # noqa: F401  (registers demo, reproduce, init-spec, datasets)
    _rate,  # noqa: F401  (registers rate)
    _report,  # noqa: F401  (registers report, app)
    _spatial,  # noqa: F401  (registers `growthpole spatial`)
    _specialise,  # noqa: F401  (registers specialise)
)
from growthpole.cli._app import app, main

__all__ = ["app", "main"]
