"""Agglomeration from plant-level data: Ellison-Glaeser, Maurel-Sédillot, coagglomeration.

Input: one row per plant (or firm) with its industry, region and employment
(``plant, industry, region, [year,] value``). The sums over plants run in the engine
(Narwhals); the small industry x region tables are collected to NumPy.

With ``x_r`` a region's share of aggregate employment (of all plants, or of the given
``reference`` totals), ``s_ir`` the region's share of industry i, ``z_k`` plant k's share
of its industry and ``H_i = Σ_k z_k²`` (the plant Herfindahl):

- raw concentration ``G_i = Σ_r (s_ir − x_r)²`` (all regions; absent ones have s_ir = 0);
- Ellison & Glaeser (1997): ``γ_i = (G_i − (1 − Σ x_r²) H_i) / ((1 − Σ x_r²)(1 − H_i))``;
- Maurel & Sédillot (1999): ``γ^MS_i = (G^MS_i − H_i) / (1 − H_i)`` with
  ``G^MS_i = (Σ_r s_ir² − Σ_r x_r²) / (1 − Σ_r x_r²)``;
- Ellison & Glaeser coagglomeration of a group U of industries with employment weights
  ``w_j``: ``γ^c = [G_U / (1 − Σ x_r²) − H_U − Σ_j γ_j w_j² (1 − H_j)] / (1 − Σ_j w_j²)``,
  ``H_U = Σ_j w_j² H_j``; for a pair this reduces to
  ``Σ_r (s_ar − x_r)(s_br − x_r) / (1 − Σ x_r²)`` (Ellison, Glaeser & Kerr 2010).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import polars as pl

from growthpole.errors import InputError
from growthpole.indices._core import I, R, Roles, V, Y, back_like, prepare, to_polars

__all__ = ["agglomeration", "coagglomeration"]

_P = "__gp_plant__"


def _tables(
    data: Any, roles: Roles, plant: str, reference: Mapping[Any, float] | None, source: str
) -> list[tuple[Any, list[Any], list[Any], np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Per year: industries, regions, E (industry x region), H, plants, x (region shares)."""
    frame, _ = prepare(data, roles, source=source, extra=[plant])
    frame = frame.rename({plant: _P}) if plant != _P else frame
    plants = frame.group_by(Y, I, R, _P).agg(nw.col(V).sum())
    by_ir = to_polars(plants.group_by(Y, I, R).agg(nw.col(V).sum()))
    by_i = to_polars(
        plants.with_columns((nw.col(V) ** 2).alias("_v2"))
        .group_by(Y, I)
        .agg(nw.col(V).sum().alias("_e"), nw.col("_v2").sum(), nw.len().alias("_k"))
    )
    out = []
    for (yr,), part in by_ir.partition_by(Y, as_dict=True).items():
        info = by_i.filter(pl.col(Y) == yr).sort(I)
        industries = info.get_column(I).to_list()
        if reference is not None:
            regions = sorted(reference)
            missing = sorted(set(part.get_column(R).unique().to_list()) - set(regions), key=str)
            if missing:
                raise InputError(
                    f"regions {missing[:5]} have plants but no reference total",
                    source=source,
                    column=roles.region,
                )
            totals = np.array([float(reference[r]) for r in regions])
        else:
            regions = sorted(part.get_column(R).unique().to_list(), key=lambda v: (str(type(v)), v))
            totals = None
        r_pos = {r: n for n, r in enumerate(regions)}
        i_pos = {i: n for n, i in enumerate(industries)}
        E = np.zeros((len(industries), len(regions)))
        np.add.at(
            E,
            (
                np.array([i_pos[i] for i in part.get_column(I).to_list()], dtype=np.int64),
                np.array([r_pos[r] for r in part.get_column(R).to_list()], dtype=np.int64),
            ),
            part.get_column(V).to_numpy(),
        )
        if totals is None:
            totals = E.sum(axis=0)
        e = info.get_column("_e").to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            H = info.get_column("_v2").to_numpy() / e**2
        x = totals / totals.sum()
        out.append((yr, industries, regions, E, H, info.get_column("_k").to_numpy(), x))
    out.sort(key=lambda t: (t[0] is None, t[0]))
    return out


def agglomeration(
    data: Any,
    *,
    plant: str = "plant",
    region: str = "region",
    industry: str = "industry",
    year: str | None = None,
    value: str = "value",
    reference: Mapping[Any, float] | None = None,
    source: str = "<frame>",
) -> Any:
    """Ellison-Glaeser and Maurel-Sédillot agglomeration of each industry.

    Returns ``industry, [year,] plants, value, G, H, eg, ms`` (same kind as the input).
    ``reference`` optionally gives each region's total employment (e.g. all workers, not
    only those of the plants in the table); by default the plants' own totals are used.

    Examples
    --------
    >>> import polars as pl
    >>> plants = pl.DataFrame({"plant": [1, 2, 3, 4], "industry": ["a", "a", "b", "b"],
    ...                        "region": ["r1", "r1", "r1", "r2"], "value": [5.0, 5.0, 5.0, 5.0]})
    >>> out = agglomeration(plants)
    >>> [(r["industry"], r["G"], r["H"]) for r in out.iter_rows(named=True)]
    [('a', 0.125, 0.5), ('b', 0.125, 0.5)]
    """
    roles = Roles(region, industry, year, value)
    rows = []
    for yr, industries, _regions, E, H, K, x in _tables(data, roles, plant, reference, source):
        e = E.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            s = E / e[:, None]
            sx2 = float((x**2).sum())
            G = ((s - x[None, :]) ** 2).sum(axis=1)
            eg = (G - (1 - sx2) * H) / ((1 - sx2) * (1 - H))
            g_ms = ((s**2).sum(axis=1) - sx2) / (1 - sx2)
            ms = (g_ms - H) / (1 - H)
        rows.append(
            pl.DataFrame(
                {
                    I: industries,
                    Y: [yr] * len(industries),
                    "plants": K.astype(np.int64),
                    V: e,
                    "G": G,
                    "H": H,
                    "eg": eg,
                    "ms": ms,
                },
                strict=False,
            )
        )
    out = pl.concat(rows, how="vertical_relaxed")
    out = out.with_columns(pl.col("G", "H", "eg", "ms").fill_nan(None))
    return back_like(out, data, roles, sort=(Y, I))


def coagglomeration(
    data: Any,
    groups: Mapping[str, Sequence[Any]] | None = None,
    *,
    plant: str = "plant",
    region: str = "region",
    industry: str = "industry",
    year: str | None = None,
    value: str = "value",
    reference: Mapping[Any, float] | None = None,
    source: str = "<frame>",
) -> Any:
    """Ellison-Glaeser coagglomeration of groups of industries (default: every pair).

    Without ``groups`` returns ``industry, other_industry, [year,] coagglomeration`` for
    every pair (i < j). With ``groups`` (``{"name": [industries...]}``) returns ``group,
    [year,] coagglomeration`` using the full EG (1997) formula with the plant Herfindahls.

    Examples
    --------
    >>> import polars as pl
    >>> plants = pl.DataFrame({"plant": [1, 2, 3, 4], "industry": ["a", "a", "b", "b"],
    ...                        "region": ["r1", "r1", "r1", "r2"], "value": [5.0, 5.0, 5.0, 5.0]})
    >>> coagglomeration(plants).with_columns(pl.col(pl.Float64).round(4)).rows()
    [('a', 'b', -0.3333)]
    """
    roles = Roles(region, industry, year, value)
    rows = []
    for yr, industries, _regions, E, H, _K, x in _tables(data, roles, plant, reference, source):
        e = E.sum(axis=1)
        sx2 = float((x**2).sum())
        with np.errstate(invalid="ignore", divide="ignore"):
            D = E / e[:, None] - x[None, :]
            G = (D**2).sum(axis=1)
            gamma = (G - (1 - sx2) * H) / ((1 - sx2) * (1 - H))
        if groups is None:
            gram = D @ D.T / (1 - sx2)
            a, b = np.triu_indices(len(industries), k=1)
            labels = pl.Series(industries)
            rows.append(
                pl.DataFrame(
                    {
                        I: labels.gather(a),
                        "other_industry": labels.gather(b),
                        Y: [yr] * len(a),
                        "coagglomeration": gram[a, b],
                    },
                    strict=False,
                )
            )
            continue
        pos = {i: n for n, i in enumerate(industries)}
        names, values = [], []
        for name, members in groups.items():
            idx = [pos[m] for m in members if m in pos]
            if len(idx) < 2:
                raise InputError(
                    f"group {name!r} needs at least two industries present in the data; "
                    f"found {[m for m in members if m in pos]}",
                    source=source,
                )
            w = e[idx] / e[idx].sum()
            s_u = E[idx].sum(axis=0) / e[idx].sum()
            g_u = float(((s_u - x) ** 2).sum())
            h_u = float((w**2 * H[idx]).sum())
            num = g_u / (1 - sx2) - h_u - float((gamma[idx] * w**2 * (1 - H[idx])).sum())
            names.append(name)
            values.append(num / (1 - float((w**2).sum())))
        rows.append(
            pl.DataFrame(
                {"group": names, Y: [yr] * len(names), "coagglomeration": values}, strict=False
            )
        )
    out = pl.concat(rows, how="vertical_relaxed").with_columns(
        pl.col("coagglomeration").fill_nan(None)
    )
    if groups is None and roles.industry != I:
        out = out.rename({"other_industry": f"other_{roles.industry}"})
    return back_like(out, data, roles, sort=(Y, I) if groups is None else (Y, "group"))
