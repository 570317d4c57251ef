"""Exception hierarchy.

Every error growthpole raises on purpose derives from :class:`GrowthpoleError`, so that
the CLI can turn it into one readable line. Errors about the user's data derive from
:class:`InputError` (also a :class:`ValueError`) and name the file, column and row.
"""

from __future__ import annotations

__all__ = [
    "DataWarning",
    "EngineError",
    "GrowthpoleError",
    "InputError",
    "MissingExtraError",
    "SpecError",
]


class GrowthpoleError(Exception):
    """Base class of every error growthpole raises on purpose."""


class InputError(ValueError, GrowthpoleError):
    """The data given cannot be used as it is.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    source
        The file (or ``"<frame>"``) the data came from.
    column
        The column concerned, if any.
    row
        The 1-based data row concerned (the header is row 0), if any.

    Examples
    --------
    >>> str(InputError("expected a number, got 'n/a'", source="x.csv", column="value", row=3))
    "x.csv, column 'value', row 3: expected a number, got 'n/a'"
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        column: str | None = None,
        row: int | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.column = column
        self.row = row
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def at(self, source: str) -> InputError:
        """Return a copy of this error that names ``source`` (a file) as its origin."""
        return InputError(self.message, source=source, column=self.column, row=self.row)


class SpecError(ValueError, GrowthpoleError):
    """A method specification (TOML or object) is invalid."""


class EngineError(GrowthpoleError):
    """A dataframe engine cannot do what was asked (instead of giving a wrong number)."""


class MissingExtraError(ImportError, GrowthpoleError):
    """An optional dependency is missing; the message gives the ``pip install`` that fixes it."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"this needs the optional package {package!r}: "
            f"pip install 'growthpole[{extra}]' (or pip install {package})"
        )


class DataWarning(UserWarning):
    """Something in the data deserves attention but does not stop the computation."""
