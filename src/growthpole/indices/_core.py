"""Shared plumbing of the index functions: roles, checks, engine dispatch.

Internal. Every tabular index takes a long table with the roles ``region, industry,
[year,] value`` in any frame Narwhals supports, renames the roles to canonical names,
checks the values once (numeric, no missing cells, no negatives) and hands back the same
kind of frame with the user's column names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import polars as pl

from growthpole._frames import as_narwhals, collect_polars, like
from growthpole.errors import EngineError, InputError

#: Internal column names (chosen not to clash with users' names).
R, I, Y, V = "region", "industry", "year", "value"  # noqa: E741


@dataclass(frozen=True)
class Roles:
    """The user's column names for each role (``year`` may be ``None``)."""

    region: str = "region"
    industry: str = "industry"
    year: str | None = "year"
    value: str = "value"

    def rename_in(self) -> dict[str, str]:
        out = {self.region: R, self.industry: I, self.value: V}
        if self.year:
            out[self.year] = Y
        return {k: v for k, v in out.items() if k != v}

    def rename_out(self) -> dict[str, str]:
        back = {R: self.region, I: self.industry, V: self.value}
        if self.year:
            back[Y] = self.year
        return back


def is_pyarrow(frame: Any) -> bool:
    return bool(frame.implementation.is_pyarrow())


def prepare(
    data: Any,
    roles: Roles,
    *,
    source: str,
    extra: Sequence[str] = (),
    check: bool = True,
) -> tuple[Any, str | None]:
    """Return ``(frame, mode)``: a Narwhals frame with canonical role columns.

    PyArrow tables have no window functions, so they are handed to Polars without a copy
    (``mode="arrow"``: :func:`finish` hands Arrow back); eager Polars frames run through
    Polars' lazy engine (``mode="polars"``: :func:`finish` collects).
    """
    frame = as_narwhals(data, source=source)
    arrow_input: str | None = None
    if is_pyarrow(frame):
        arrow_input = "arrow"
        frame = nw.from_native(pl.DataFrame(pl.from_arrow(frame.to_native())).lazy())
    elif isinstance(frame.to_native(), pl.DataFrame):
        # run eager Polars input through the lazy engine (one optimised plan), then collect
        arrow_input = "polars"
        frame = nw.from_native(frame.to_native().lazy())
    needed = [roles.region, roles.industry, roles.value, *([roles.year] if roles.year else [])]
    have = frame.collect_schema().names()
    for col, role in zip(needed, ["region", "industry", "value", "year"], strict=False):
        if col not in have:
            raise InputError(
                f"missing column for the {role} role; the table has {have} "
                f"(name it with {role}=...)",
                source=source,
                column=col,
            )
    for col in extra:
        if col not in have:
            raise InputError(f"missing column; the table has {have}", source=source, column=col)
    dtype = frame.collect_schema()[roles.value]
    if not dtype.is_numeric():
        raise InputError(
            f"expected numbers, got {dtype}; convert the column first",
            source=source,
            column=roles.value,
        )
    keep = [*needed, *[c for c in extra if c not in needed]]
    frame = frame.select(keep).rename(roles.rename_in())
    if not roles.year:
        frame = frame.with_columns(nw.lit(0).alias(Y))
    frame = frame.with_columns(nw.col(V).cast(nw.Float64))
    if check:
        _check_values(frame, roles, source)
    return frame, arrow_input


def _check_values(frame: Any, roles: Roles, source: str) -> None:
    col = nw.col(V)
    missing = col.is_null()
    if not frame.implementation.is_pandas_like():
        missing = missing | col.is_nan()
    stats = frame.select(
        missing.cast(nw.Int64).sum().alias("missing"),
        (col < 0).cast(nw.Int64).sum().alias("negative"),
        nw.len().alias("rows"),
    )
    if isinstance(stats, nw.LazyFrame):
        stats = stats.collect()
    row = stats.rows(named=True)[0]
    if not row["rows"]:
        raise InputError("the table is empty (no data rows)", source=source)
    if row["missing"]:
        raise InputError(
            f"{row['missing']} missing value(s); these indices need every (region, industry) "
            "value — drop the rows or fill them explicitly (an absent row counts as zero)",
            source=source,
            column=roles.value,
        )
    if row["negative"]:
        raise InputError(
            f"{row['negative']} negative value(s); employment, output or exports cannot be "
            "negative here",
            source=source,
            column=roles.value,
        )


def finish(frame: Any, roles: Roles, arrow_input: str | None, sort: Sequence[str] = ()) -> Any:
    """Rename the roles back, drop the dummy year, and return the native frame."""
    if arrow_input and isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    if not roles.year:
        frame = frame.drop(Y)
    names = frame.collect_schema().names()
    back = {k: v for k, v in roles.rename_out().items() if k in names and k != v}
    if back:
        frame = frame.rename(back)
    if isinstance(frame, nw.DataFrame) and sort:
        keys = [roles.rename_out().get(k, k) for k in sort if k != Y or roles.year]
        if keys:
            frame = frame.sort(keys)
    native = nw.to_native(frame)
    if arrow_input == "arrow":
        return native.to_arrow()
    if frame.implementation.is_pandas_like():
        native = native.reset_index(drop=True)
    return native


def run_engine(fn: Callable[[], Any], what: str, frame: Any) -> Any:
    """Run ``fn``; an engine that lacks an operation raises :class:`EngineError`."""
    try:
        return fn()
    except (NotImplementedError, AttributeError) as exc:  # narwhals: unsupported by backend
        raise EngineError(
            f"the {frame.implementation} engine cannot compute {what}: {exc}. "
            "Convert the input to Polars (or pandas) first."
        ) from exc


def to_polars(frame: Any) -> pl.DataFrame:
    """Collect a Narwhals frame to eager Polars."""
    return collect_polars(frame)


def back_like(result: pl.DataFrame, data: Any, roles: Roles, sort: Sequence[str] = ()) -> Any:
    """Return a Polars ``result`` (canonical names) as the user's kind, names restored."""
    if not roles.year and Y in result.columns:
        result = result.drop(Y)
    back = {k: v for k, v in roles.rename_out().items() if k in result.columns and k != v}
    if sort:
        keys = [k for k in sort if k in result.columns]
        result = result.sort(keys, nulls_last=True)
    if back:
        result = result.rename(back)
    return like(result, data)


@dataclass(frozen=True)
class Matrix:
    """One year's region x industry matrix (dense NumPy) with its labels."""

    year: Any
    regions: list[Any]
    industries: list[Any]
    values: np.ndarray


def matrices(frame_pl: pl.DataFrame) -> list[Matrix]:
    """Split a canonical Polars long table into one dense matrix per year.

    Absent (region, industry) pairs are zeros. Regions and industries are those present
    in that year, in sorted order.
    """
    out = []
    for (yr,), part in frame_pl.partition_by(Y, as_dict=True, maintain_order=True).items():
        regions = part.get_column(R).unique().sort()
        industries = part.get_column(I).unique().sort()
        r_idx = part.get_column(R).rank("dense").to_numpy().astype(np.int64) - 1
        i_idx = part.get_column(I).rank("dense").to_numpy().astype(np.int64) - 1
        mat = np.zeros((len(regions), len(industries)))
        np.add.at(mat, (r_idx, i_idx), part.get_column(V).to_numpy())
        out.append(Matrix(yr, regions.to_list(), industries.to_list(), mat))
    return sorted(out, key=lambda m: (m.year is None, m.year))
