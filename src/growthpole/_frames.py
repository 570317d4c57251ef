"""Frame plumbing shared by every tabular function (Narwhals in, same kind out).

Internal: the public functions accept any frame Narwhals supports (pandas, Polars,
PyArrow, DuckDB, PySpark, ...) and return the same kind. Small matrix-shaped work is
collected to NumPy through :func:`collect_polars`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from growthpole.errors import EngineError, InputError

#: Default names of the column roles, identical everywhere in the API.
ROLES: dict[str, str] = {
    "region": "region",
    "industry": "industry",
    "year": "year",
    "indicator": "indicator",
    "value": "value",
}


def as_narwhals(data: Any, *, source: str = "<frame>") -> nw.DataFrame[Any] | nw.LazyFrame[Any]:
    """Wrap a native frame in Narwhals, with a readable error for anything else."""
    if isinstance(data, nw.DataFrame | nw.LazyFrame):
        return data
    try:
        return nw.from_native(data)
    except TypeError as exc:
        raise InputError(
            f"expected a data frame (pandas, Polars, PyArrow, DuckDB or PySpark), "
            f"got {type(data).__name__}",
            source=source,
        ) from exc


def require_columns(
    frame: nw.DataFrame[Any] | nw.LazyFrame[Any],
    columns: Iterable[str],
    *,
    source: str = "<frame>",
    role_hint: str = "",
) -> None:
    """Raise :class:`InputError` naming the first required column that is absent."""
    have = frame.collect_schema().names()
    for col in columns:
        if col not in have:
            hint = f" {role_hint}" if role_hint else ""
            raise InputError(
                f"missing column; the table has {have}.{hint}",
                source=source,
                column=col,
            )


def collect_polars(frame: nw.DataFrame[Any] | nw.LazyFrame[Any]) -> pl.DataFrame:
    """Materialise any Narwhals frame as an eager Polars frame (for small matrices)."""
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    native = frame.to_native()
    if isinstance(native, pl.DataFrame):
        return native
    try:
        return pl.from_arrow(frame.to_arrow())  # type: ignore[return-value]
    except Exception:  # pragma: no cover - exotic backends
        return pl.from_pandas(frame.to_pandas())


def like(result: pl.DataFrame, template: Any) -> Any:
    """Return the Polars ``result`` as the same kind of frame as the user's ``template``.

    pandas, Polars (eager or lazy), PyArrow, DuckDB and PySpark are supported; any other
    Narwhals-supported eager backend is reached through ``nw.from_arrow``.
    """
    if isinstance(template, nw.DataFrame | nw.LazyFrame):
        template = template.to_native()
    if isinstance(template, pl.DataFrame):
        return result
    if isinstance(template, pl.LazyFrame):
        return result.lazy()
    module = type(template).__module__.split(".")[0]
    if module == "pandas":
        return result.to_pandas()
    if module == "pyarrow":
        return result.to_arrow()
    if module == "duckdb":
        import duckdb

        return duckdb.from_arrow(result.to_arrow())
    if module == "pyspark":
        spark = template.sparkSession
        return spark.createDataFrame(result.to_pandas())
    try:
        return nw.from_arrow(
            result.to_arrow(), backend=nw.get_native_namespace(template)
        ).to_native()
    except Exception as exc:  # pragma: no cover
        raise EngineError(f"cannot return a result as a {type(template).__name__}") from exc


def rename_roles(
    frame: nw.DataFrame[Any] | nw.LazyFrame[Any], mapping: dict[str, str]
) -> nw.DataFrame[Any] | nw.LazyFrame[Any]:
    """Rename user column names to the canonical role names (only those that differ)."""
    renames = {user: role for role, user in mapping.items() if user != role}
    return frame.rename(renames) if renames else frame
