"""Dense per-year region x industry matrices built by one scatter, and the indices on them.

Internal. An eager input (Polars, PyArrow) is collected once; every row gets integer
codes for its region, industry and year (one ``unique`` per key), and one ``bincount``
per year (or one for the whole panel when the cube is small) scatters the values into the
year's dense matrix. The per-region and per-industry indices of
:mod:`growthpole.indices._specialisation` are then vectorised NumPy over that matrix —
the same formulas as the Narwhals path, with absent pairs as explicit zeros, so the
results agree to rounding (the engine-parity tests hold them to 1e-12).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import polars as pl

from growthpole.indices._core import I, R, V, Y


def codes(values: pl.Series, uniq: pl.Series) -> np.ndarray:
    """Position of each value among ``uniq`` (the sorted distinct values of the column)."""
    if values.dtype.is_integer() and uniq.len():
        lo, hi = int(uniq[0]), int(uniq[-1])
        if hi - lo < 50_000_000:  # a lookup table beats a binary search
            off = np.subtract(values.to_numpy(), lo, dtype=np.int64)
            if hi - lo + 1 == uniq.len():  # consecutive integers: the offset is the code
                return off
            lut = np.zeros(hi - lo + 1, dtype=np.int64)
            lut[uniq.to_numpy().astype(np.int64) - lo] = np.arange(uniq.len())
            return lut[off]
    if values.dtype.is_numeric():
        return np.searchsorted(uniq.to_numpy(), values.to_numpy()).astype(np.int64)
    idx = values.replace_strict(uniq, pl.int_range(uniq.len(), eager=True), return_dtype=pl.Int64)
    return idx.to_numpy()


def _key_codes(values: pl.Series) -> tuple[pl.Series, np.ndarray | None, np.ndarray | None, int]:
    """``(uniq, codes, raw, lo)``: the sorted distinct values and each row's position.

    For consecutive integers ``codes`` is None and the position is ``raw - lo`` (``raw``
    the column itself, no copy), so callers can add it in place; otherwise ``codes`` holds
    the positions. Non-negative integer keys in a moderate range are marked present by
    indexing a table with the column itself (no temporary as long as the column), and a
    cumulative count turns values into positions.
    """
    if values.dtype.is_integer() and values.len():
        lo, hi = int(values.min()), int(values.max())  # type: ignore[arg-type]
        if hi - lo < 50_000_000:
            raw = values.to_numpy()
            base = 0 if lo >= 0 and hi < 50_000_000 else lo
            idx = raw if base == 0 else np.subtract(raw, base, dtype=np.int64)
            present = np.zeros(hi - base + 1, dtype=bool)
            present[idx] = True
            where = np.flatnonzero(present)
            uniq = pl.Series(values.name, where + base, dtype=values.dtype)
            if where.size == hi - lo + 1:  # consecutive integers: the offset is the code
                return uniq, None, raw, lo
            lut = np.cumsum(present, dtype=np.int64) - 1
            return uniq, lut[idx], None, 0
    uniq = values.unique().sort()
    return uniq, codes(values, uniq), None, 0


def keys(values: pl.Series) -> tuple[pl.Series, np.ndarray]:
    """The sorted distinct values of a column (no nulls) and each row's position among them."""
    uniq, pos, raw, lo = _key_codes(values)
    if pos is not None:
        return uniq, pos
    assert raw is not None  # _key_codes gives either positions or raw integer codes
    return uniq, np.subtract(raw, lo, dtype=np.int64)


def _accumulate(flat: np.ndarray | None, values: pl.Series) -> tuple[pl.Series, np.ndarray]:
    """``(uniq, flat * len(uniq) + position of values)``, computed in place."""
    uniq, pos, raw, lo = _key_codes(values)
    if flat is None:
        if pos is None:
            assert raw is not None
            return uniq, np.subtract(raw, lo, dtype=np.int64)
        return uniq, pos if pos.flags.writeable and pos.flags.owndata else pos.copy()
    flat *= uniq.len()
    if pos is None:
        assert raw is not None
        np.add(flat, raw, out=flat)
        if lo:
            flat -= lo
    else:
        flat += pos
    return uniq, flat


#: A panel whose years x regions x industries cube has at most this many cells (or at most
#: four per row of the table) is scattered in one pass; a larger one year by year.
CUBE_MIN_CELLS = 1 << 22


#: The per-region/per-industry indices take the matrix path only while a year's dense
#: matrix has at most this many cells, or at most ``SPARSE_RATIO`` cells per row of the
#: table's average year; sparser panels (many regions x many industries, few pairs) stay
#: on the query path, which needs no dense matrix.
DENSE_MIN_CELLS = 1 << 22
SPARSE_RATIO = 16


class TooSparseError(Exception):
    """Raised by :func:`year_matrices` when ``dense_only`` and the matrix would be huge."""


def year_matrices(
    table: pl.DataFrame,
    *,
    dense_only: bool = False,
) -> Iterator[tuple[Any, pl.Series, pl.Series, np.ndarray]]:
    """Yield ``(year, regions, industries, X)`` per year, in increasing year order.

    ``table`` is a canonical eager Polars table (``year, region, industry, value``, no
    missing keys). ``X`` is the dense matrix of the year restricted to the regions and
    industries with a positive total that year (absent pairs are zeros, duplicate rows
    add up); ``regions`` and ``industries`` are their labels, sorted. A year without a
    positive value is skipped. With ``dense_only``, :class:`TooSparseError` is raised (before
    any matrix is allocated) when the matrices would be much larger than the table.
    """
    if table.get_column(Y).null_count():  # (a copy only when there is something to drop)
        table = table.filter(pl.col(Y).is_not_null())
    # the flat cell index (y * n_r + r) * n_i + i, built in place one key at a time: big
    # fresh arrays cost page faults, so there is only one as long as the table
    years, flat = _accumulate(None, table.get_column(Y))
    regions, flat = _accumulate(flat, table.get_column(R))
    industries, flat = _accumulate(flat, table.get_column(I))
    n_y, n_r, n_i = years.len(), regions.len(), industries.len()
    if dense_only and n_r * n_i > max(DENSE_MIN_CELLS, SPARSE_RATIO * table.height / n_y):
        raise TooSparseError
    weights = table.get_column(V).to_numpy()
    cells = n_r * n_i
    cube = None
    if n_y == 1 or n_y * cells <= max(4 * table.height, CUBE_MIN_CELLS):
        # a small cube: one scatter for the whole panel
        cube = np.bincount(flat, weights=weights, minlength=n_y * cells).reshape(n_y, n_r, n_i)
        del flat
    for k, yr in enumerate(years.to_list()):
        if cube is not None:
            X = cube[k]
        else:  # the year's rows are those with a flat index in [k * cells, (k + 1) * cells)
            mask = flat >= k * cells
            mask &= flat < (k + 1) * cells
            part = flat[mask]
            part -= k * cells
            X = np.bincount(part, weights=weights[mask], minlength=cells).reshape(n_r, n_i)
            del mask, part
        rows, cols = X.any(axis=1), X.any(axis=0)
        if not rows.any():  # nothing positive this year: no row of any result
            continue
        if not rows.all() or not cols.all():
            X = X[np.ix_(rows, cols)]
        yield yr, regions.filter(pl.Series(rows)), industries.filter(pl.Series(cols)), X


def _dense_years(
    table: pl.DataFrame,
) -> Iterator[tuple[Any, pl.Series, pl.Series, np.ndarray]] | None:
    """:func:`year_matrices` with ``dense_only``, or None when the panel is too sparse."""
    gen = year_matrices(table, dense_only=True)
    try:
        first = next(gen, None)  # the check runs before the first matrix is built
    except TooSparseError:
        return None
    return itertools.chain([first] if first is not None else [], gen)


def fast_path_ok(table: pl.DataFrame) -> bool:
    """True when the matrix path gives the Narwhals path's result (no missing keys)."""
    return not any(table.get_column(c).null_count() for c in (R, I, Y))


def _unique_pairs(table: pl.DataFrame, cells: int) -> bool:
    """True when no (year, region, industry) has two positive rows.

    The query path counts rows, the matrix cells; they agree when the number of positive
    rows equals the number of positive cells (duplicates would collapse into one cell).
    """
    return int((table.get_column(V) > 0).sum()) == cells


def _gini(lq: np.ndarray, axis: int, lqsum: np.ndarray) -> np.ndarray:
    """REAT's Gini of the location quotients along ``axis`` (absent pairs are LQ 0).

    2 Σ_λ λ LQ_(λ) / (n Σ LQ) − (n + 1) / n with the LQs sorted increasingly.
    """
    n = lq.shape[axis]
    ranks = np.arange(1, n + 1, dtype=np.float64)
    srt = np.sort(lq, axis=axis)
    weighted = srt @ ranks if axis == 1 else ranks @ srt
    return 2.0 * weighted / (n * lqsum) - (n + 1.0) / n


def specialisation_frame(
    table: pl.DataFrame, chosen: Sequence[str], threshold: float
) -> pl.DataFrame | None:
    """Per-region indices of :func:`~growthpole.indices.specialisation` (canonical names).

    None when a (year, region, industry) has several positive rows (the query path counts
    such rows one by one, so it has to compute the result) or when the panel is too sparse
    for dense matrices.
    """
    parts = []
    cells = 0
    years = _dense_years(table)
    if years is None:
        return None
    for yr, regs, _, X in years:
        m_r, n = X.shape
        xr, xi = X.sum(axis=1), X.sum(axis=0)
        tot = xi.sum()
        P = X > 0
        cells += int(np.count_nonzero(P))
        S = X / xr[:, None]
        si = xi / tot
        LQ = S / si
        cols: dict[str, Any] = {R: regs, Y: pl.Series([yr]).new_from_index(0, m_r), V: xr}
        want = set(chosen)
        # absent industries are zeros of S: summed over all n columns, |S - s_i| adds the
        # s_i of each absent industry, as the query path's 1 + Σ_present (|s - s_i| - s_i)
        if want & {"krugman", "hoover"}:
            k = np.abs(S - si).sum(axis=1)
            cols["krugman"], cols["hoover"] = k, k / 2.0
        if "krugman_rest" in want:
            # against the rest of the nation: an absent industry adds X_i / (X - X_r)
            with np.errstate(invalid="ignore", divide="ignore"):
                rest_tot = tot - xr
                ref = (xi[None, :] - X) / rest_tot[:, None]
                rest = np.abs(S - ref).sum(axis=1)
            cols["krugman_rest"] = np.where(rest_tot > 0, rest, np.nan)
        if "gini" in want:
            cols["gini"] = _gini(LQ, 1, LQ.sum(axis=1))
        if want & {"hhi", "hhi_norm"}:
            hhi = np.einsum("ij,ij->i", S, S)
            cols["hhi"] = hhi
            cols["hhi_norm"] = (hhi - 1.0 / n) / (1.0 - 1.0 / n) if n > 1 else np.full(m_r, np.nan)
        if want & {"entropy", "theil"}:
            logs = np.log(S, out=np.zeros_like(S), where=P)  # 0 ln 0 = 0
            s_log_s = np.einsum("ij,ij->i", S, logs)
            del logs
            cols["entropy"] = -s_log_s
            # Σ s ln(s / s_i) = Σ s ln s - Σ s ln s_i
            cols["theil"] = s_log_s - S @ np.log(si)
        if "diversity" in want:
            has = np.greater_equal(LQ, threshold)
            if threshold <= 0:
                has &= P  # an absent industry (LQ 0) is never counted
            cols["diversity"] = has.sum(axis=1).astype(np.int64)
        parts.append(pl.DataFrame({c: cols[c] for c in (R, Y, V, *chosen)}))
    if not _unique_pairs(table, cells):
        return None
    return _stack(parts, table, R, chosen)


def concentration_frame(
    table: pl.DataFrame, chosen: Sequence[str], threshold: float
) -> pl.DataFrame | None:
    """Per-industry indices of :func:`~growthpole.indices.concentration` (canonical names).

    None when a (year, region, industry) has several positive rows (the query path counts
    such rows one by one, so it has to compute the result) or when the panel is too sparse
    for dense matrices.
    """
    parts = []
    cells = 0
    years = _dense_years(table)
    if years is None:
        return None
    for yr, _, inds, X in years:
        n = X.shape[1]
        xr, xi = X.sum(axis=1), X.sum(axis=0)
        tot = xi.sum()
        P = X > 0
        cells += int(np.count_nonzero(P))
        sr = xr / tot
        cols: dict[str, Any] = {I: inds, Y: pl.Series([yr]).new_from_index(0, n), V: xi}
        want = set(chosen)
        if want & {"hoover_concentration", "krugman_concentration"}:
            # an absent region adds its s_r, as in 1 + Σ_present (|s^i_r - s_r| - s_r)
            h = np.abs(X / xi - sr[:, None]).sum(axis=0)
            cols["hoover_concentration"], cols["krugman_concentration"] = h / 2.0, h
        if want & {"ubiquity", "locational_gini"}:
            LQ = (X / xr[:, None]) / (xi / tot)
            if "ubiquity" in want:
                has = np.greater_equal(LQ, threshold)
                if threshold <= 0:
                    has &= P
                cols["ubiquity"] = has.sum(axis=0).astype(np.int64)
            if "locational_gini" in want:
                cols["locational_gini"] = _gini(LQ, 0, LQ.sum(axis=0))
        parts.append(pl.DataFrame({c: cols[c] for c in (I, Y, V, *chosen)}))
    if not _unique_pairs(table, cells):
        return None
    return _stack(parts, table, I, chosen)


def _stack(
    parts: list[pl.DataFrame], table: pl.DataFrame, key: str, chosen: Sequence[str]
) -> pl.DataFrame:
    schema: dict[str, Any] = {key: table.schema[key], Y: table.schema[Y], V: pl.Float64}
    schema |= {c: pl.Int64 if c in ("diversity", "ubiquity") else pl.Float64 for c in chosen}
    if not parts:
        return pl.DataFrame(schema=schema)
    out = pl.concat(parts, how="vertical_relaxed").cast(schema)  # type: ignore[arg-type]
    floats = [c for c in chosen if schema[c] == pl.Float64]
    return out.with_columns(pl.col(floats).fill_nan(None)) if floats else out
