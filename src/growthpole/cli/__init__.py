"""The ``growthpole`` command line. Each area registers its commands in its own module."""

from growthpole.cli import _paper  # noqa: F401  (registers demo, reproduce, init-spec, datasets)
from growthpole.cli import _report as _report  # registers report, app
from growthpole.cli._app import app, main

__all__ = ["app", "main"]
