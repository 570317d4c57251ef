"""Reading the user's files and writing results safely.

Files are read with Polars (the embedded default engine): CSV, Excel (``.xlsx``/``.xls``)
and Parquet. Every problem is reported as an :class:`~growthpole.errors.InputError` that
names the file, the column and the 1-based data row. Outputs are written atomically: to a
temporary file in the target folder, then renamed, so a failed run leaves nothing behind.

Examples
--------
>>> import polars as pl
>>> wide = pl.DataFrame({"region": ["a", "b"], "year": [2016, 2016], "x": [1.0, 2.0]})
>>> long = to_long(wide, indicators=["x"])
>>> long.columns
['region', 'year', 'indicator', 'value']
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from growthpole.errors import InputError

__all__ = [
    "atomic_path",
    "check_numeric",
    "check_unique",
    "check_year",
    "read_table",
    "to_long",
    "write_csv",
    "write_excel",
    "write_text",
]

_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "csv",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".xls": "excel",
    ".parquet": "parquet",
    ".pq": "parquet",
}


def read_table(path: str | Path, *, sheet: str | int | None = None) -> pl.DataFrame:
    """Read a CSV, TSV, Excel or Parquet file into a Polars frame.

    Parameters
    ----------
    path
        The file. The format comes from the extension.
    sheet
        Excel sheet name or 0-based index (default: the first sheet).

    Raises
    ------
    InputError
        The file is missing, unreadable, of an unknown format, or has no rows.
    """
    p = Path(path)
    src = str(p)
    fmt = _FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise InputError(
            f"unknown file format {p.suffix or '(no extension)'!r}; expected one of "
            f"{sorted(set(_FORMATS))}",
            source=src,
        )
    if not p.exists():
        raise InputError("file not found", source=src)
    if not p.is_file():
        raise InputError("not a file", source=src)
    try:
        if fmt in ("csv", "tsv"):
            frame = pl.read_csv(
                p,
                separator="\t" if fmt == "tsv" else ",",
                infer_schema_length=None,
                null_values=["", "NA", "N/A", "n/a", "-", "—", "–", "..", "null", "NULL"],
                try_parse_dates=False,
                encoding="utf8-lossy",
            )
        elif fmt == "excel":
            kwargs: dict[str, Any] = {"engine": "calamine"}
            if isinstance(sheet, int):
                kwargs["sheet_id"] = sheet + 1
            elif isinstance(sheet, str):
                kwargs["sheet_name"] = sheet
            frame = pl.read_excel(p, **kwargs)
        else:
            frame = pl.read_parquet(p)
    except InputError:
        raise
    except Exception as exc:  # the engines raise many types; turn them into one message
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"cannot read the file as {fmt}: {msg[:300]}", source=src) from None
    if frame.height == 0:
        raise InputError("the table is empty (no data rows)", source=src)
    return frame


def check_numeric(frame: pl.DataFrame, column: str, *, source: str = "<frame>") -> pl.DataFrame:
    """Cast ``column`` to Float64, raising at the first cell that is not a number.

    Missing cells stay missing (null); text such as ``"n/a"`` that is not a known missing
    marker is an error, never a silent null.
    """
    if column not in frame.columns:
        raise InputError(
            f"missing column; the table has {frame.columns}", source=source, column=column
        )
    s = frame.get_column(column)
    if s.dtype.is_numeric() or s.dtype == pl.Null:
        out = s.cast(pl.Float64)
    elif s.dtype in (pl.String, pl.Categorical):
        text = s.cast(pl.String).str.strip_chars().str.replace_all(r"[\s\u00a0]", "")
        # accept a decimal comma when there is no dot (e.g. '31,34' from a Russian-locale export)
        text = pl.Series(column, text).str.replace(r"^(-?\d+),(\d+)$", "$1.$2")
        out = text.cast(pl.Float64, strict=False)
        bad = out.is_null() & text.is_not_null() & (text != "")
        if bad.any():
            row = _first_true(bad)
            raise InputError(
                f"expected a number, got {s[row - 1]!r}", source=source, column=column, row=row
            )
    elif s.dtype == pl.Boolean:
        raise InputError("expected numbers, got true/false values", source=source, column=column)
    else:
        raise InputError(f"expected numbers, got {s.dtype}", source=source, column=column)
    nan = out.is_nan()
    if nan.any():
        out = out.fill_nan(None)
    return frame.with_columns(out.alias(column))


def check_year(frame: pl.DataFrame, column: str, *, source: str = "<frame>") -> pl.DataFrame:
    """Cast ``column`` to Int64 years, raising at the first cell that is empty or not a year.

    Examples
    --------
    >>> check_year(pl.DataFrame({"year": [" 2016", "2010"]}), "year")["year"].to_list()
    [2016, 2010]
    """
    y = frame.get_column(column)
    if y.dtype.is_integer():
        as_int = y.cast(pl.Int64)
    else:
        as_int = y.cast(pl.String).str.strip_chars().cast(pl.Int64, strict=False)
    bad = as_int.is_null()
    if bad.any():
        row = _first_true(bad)
        got = y[row - 1]
        raise InputError(
            "the year is empty" if got is None else f"expected a year, got {got!r}",
            source=source,
            column=column,
            row=row,
        )
    return frame.with_columns(as_int.alias(column))


def check_unique(
    frame: pl.DataFrame,
    keys: Sequence[str],
    *,
    source: str = "<frame>",
    column: str | None = None,
) -> None:
    """Raise if two rows share the same ``keys`` (e.g. region, year, indicator).

    The error names the second of the repeated rows and ``column`` (default: the last key),
    the name the user knows the column by.
    """
    dup = frame.with_row_index("_row").filter(pl.struct(list(keys)).is_duplicated())
    if dup.height:
        first = dup.row(1, named=True) if dup.height > 1 else dup.row(0, named=True)
        key = ", ".join(f"{k}={first[k]!r}" for k in keys)
        raise InputError(
            f"duplicate row for ({key}); each ({', '.join(keys)}) may appear once",
            source=source,
            column=column or keys[-1],
            row=int(first["_row"]) + 1,
        )


def to_long(
    frame: pl.DataFrame,
    *,
    region: str = "region",
    year: str | None = "year",
    indicator: str = "indicator",
    value: str = "value",
    indicators: Sequence[str] | None = None,
    source: str = "<frame>",
) -> pl.DataFrame:
    """Return a long ``region, year, indicator, value`` table from long or wide input.

    The table is taken as long when it has the ``indicator`` and ``value`` columns;
    otherwise every column other than region and year (or just ``indicators``) is one
    indicator. Values are checked to be numeric; the output uses the canonical names.
    """
    cols = frame.columns
    if region not in cols:
        raise InputError(f"missing column; the table has {cols}", source=source, column=region)
    has_year = year is not None and year in cols
    if has_year and year:
        frame = check_year(frame, year, source=source)
    ids = [region] + ([year] if has_year and year else [])
    if indicator in cols and value in cols:
        out = frame.select([*ids, indicator, value])
        out = check_numeric(out, value, source=source)
        out = out.rename({region: "region", indicator: "indicator", value: "value"})
    else:
        wide_cols = [c for c in cols if c not in ids]
        if indicators is not None:
            missing = [c for c in indicators if c not in cols]
            if missing and len(missing) == len(indicators):
                raise InputError(
                    f"neither a long table (columns {indicator!r}, {value!r}) nor a wide one with "
                    f"the spec's indicators {list(indicators)}; the table has {cols}",
                    source=source,
                )
            wide_cols = [c for c in wide_cols if c in indicators or c not in _ID_LIKE]
        if not wide_cols:
            raise InputError(
                f"no indicator columns: expected a long table ({indicator!r}, {value!r}) or "
                f"one column per indicator; the table has {cols}",
                source=source,
            )
        for c in wide_cols:
            frame = check_numeric(frame, c, source=source)
        out = frame.unpivot(index=ids, on=wide_cols, variable_name="indicator", value_name="value")
        out = out.rename({region: "region"})
    if has_year and year:
        out = out.rename({year: "year"}) if year != "year" else out
    else:
        out = out.with_columns(pl.lit(None, dtype=pl.Int64).alias("year"))
    nulls = out.get_column("region").is_null()
    if nulls.any():
        raise InputError("region is empty", source=source, column=region, row=_first_true(nulls))
    out = out.with_columns(pl.col("region").cast(pl.String), pl.col("indicator").cast(pl.String))
    check_unique(out, ["region", "year", "indicator"], source=source)
    return out.select("region", "year", "indicator", "value")


def _first_true(mask: pl.Series) -> int:
    """1-based position of the first True in a boolean mask."""
    idx = mask.arg_max()
    return (idx or 0) + 1


_ID_LIKE = {"no", "id", "name", "code", "region_id", "region_name"}


# -- atomic writes -----------------------------------------------------------------------
@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it onto ``target`` on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; give the usual file mode
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_csv(frame: Any, target: str | Path) -> Path:
    """Write any frame (Polars, pandas, Narwhals, ...) as CSV, atomically."""
    df = _as_polars(frame)
    with atomic_path(target) as tmp:
        df.write_csv(tmp)
    return Path(target)


def write_excel(sheets: Mapping[str, Any], target: str | Path) -> Path:
    """Write several frames as the sheets of one ``.xlsx`` workbook, atomically."""
    with atomic_path(target) as tmp:
        import xlsxwriter  # noqa: F401  (polars' writer; fail early with a clear import error)

        with _workbook(tmp) as wb:
            for name, frame in sheets.items():
                _as_polars(frame).write_excel(wb, worksheet=name[:31], autofit=True)
    return Path(target)


@contextlib.contextmanager
def _workbook(path: Path) -> Iterator[Any]:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    try:
        yield wb
    finally:
        wb.close()


def write_text(text: str, target: str | Path) -> Path:
    """Write text (UTF-8) atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def _as_polars(frame: Any) -> pl.DataFrame:
    if isinstance(frame, pl.DataFrame):
        return frame
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    from growthpole._frames import as_narwhals, collect_polars

    return collect_polars(as_narwhals(frame))
