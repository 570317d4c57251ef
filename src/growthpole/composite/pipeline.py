"""An immutable composite indicator: data + spec → every step's result, and analyses on top.

:meth:`Composite.build` runs the spec on the data once; the object keeps the prepared
matrix, the values of every node, the ratings and the report of every change made to the
data. Methods return new objects (``with_spec``) or new result frames (``diagnostics``,
``uncertainty``, ``sensitivity``); nothing is modified in place.

Examples
--------
>>> import polars as pl
>>> from growthpole.specs import Group, IndexSpec, Indicator
>>> spec = IndexSpec("t", (Indicator("a", "g"), Indicator("b", "g")), (Group("g"),))
>>> d = pl.DataFrame({"region": ["x", "x", "y", "y"], "year": 2020,
...                   "indicator": ["a", "b", "a", "b"], "value": [1.0, 4.0, 2.0, 2.0]})
>>> c = Composite.build(d, spec)
>>> c.ratings.select("region", "index", "rank").rows()
[('x', 75.0, 1), ('y', 75.0, 1)]
>>> c.with_spec(spec.with_weights({"a": 3.0})).ratings.select("region", "rank").rows()
[('y', 1), ('x', 2)]
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from growthpole.composite._engine import (
    CoreResult,
    Plan,
    Prepared,
    compile_spec,
    long_polars,
    prepare,
    run_core,
)
from growthpole.errors import DataWarning
from growthpole.specs import IndexSpec

__all__ = ["Composite"]


@dataclass(frozen=True)
class Composite:
    """A composite indicator computed from long data and a spec (see module docs)."""

    data: pl.DataFrame
    spec: IndexSpec
    plan: Plan
    prepared: Prepared
    core: CoreResult
    source: str = "<frame>"

    @classmethod
    def build(
        cls,
        data: Any,
        spec: IndexSpec,
        *,
        region: str = "region",
        year: str | None = "year",
        indicator: str = "indicator",
        value: str = "value",
        source: str = "<frame>",
    ) -> Composite:
        """Run ``spec`` on ``data`` (long ``region, year, indicator, value``, any frame)."""
        long = long_polars(
            data, region=region, year=year, indicator=indicator, value=value, source=source
        )
        return cls._from_long(long, spec, source)

    @classmethod
    def _from_long(cls, long: pl.DataFrame, spec: IndexSpec, source: str) -> Composite:
        prep = prepare(long, spec, source=source)
        plan = compile_spec(spec)
        core = run_core(prep.x[None], plan.weights[None], plan, prep)
        return cls(long, spec, plan, prep, core, source)

    def with_spec(self, spec: IndexSpec) -> Composite:
        """The same data under another spec (a new object)."""
        return self._from_long(self.data, spec, self.source)

    def with_weights(self, weights: dict[str, float]) -> Composite:
        """The same data with new weights for the named indicators and groups."""
        return self.with_spec(self.spec.with_weights(weights))

    def with_normalisation(self, method: str, params: dict[str, Any] | None = None) -> Composite:
        """The same data with every indicator normalised by ``method``."""
        return self.with_spec(self.spec.with_normalisation(method, params))

    def with_aggregation(self, method: str, params: dict[str, Any] | None = None) -> Composite:
        """The same data with every group and the index aggregated by ``method``."""
        return self.with_spec(self.spec.with_aggregation(method, params))

    # -- results ---------------------------------------------------------------------
    @property
    def ratings(self) -> pl.DataFrame:
        """``region, year, <indicator>_score..., <group>..., index, [relative], grade, rank``."""
        p, plan, spec = self.prepared, self.plan, self.spec
        vals = self.core.values[0]
        cols: dict[str, Any] = {
            "region": pl.Series("region", p.regions, dtype=pl.String),
            "year": pl.Series("year", p.years, dtype=pl.Int64),
        }
        for j, n in enumerate(plan.names):
            cols[f"{n}_score"] = pl.Series(f"{n}_score", vals[:, j]).fill_nan(None)
        for t, node in enumerate(plan.nodes):
            cols[node.name] = pl.Series(node.name, vals[:, plan.n_ind + t]).fill_nan(None)
        if spec.scale.reference:
            cols["relative"] = pl.Series("relative", self.core.graded[0]).fill_nan(None)
        labels = spec.scale.labels
        codes = self.core.grade[0]
        cols["grade"] = pl.Series(
            "grade", [labels[c] if c >= 0 else None for c in codes.tolist()], dtype=pl.String
        )
        rank = self.core.rank[0]
        cols["rank"] = pl.Series(
            "rank", [None if np.isnan(v) else int(v) for v in rank], dtype=pl.Int64
        )
        return pl.DataFrame(cols).sort("year", "rank", "region", nulls_last=True)

    @property
    def report(self) -> pl.DataFrame:
        """Every change made to the data: ``step, region, year, indicator, before, after, note``."""
        return self.prepared.report

    def scores_long(self) -> pl.DataFrame:
        """Long ``region, year, indicator, value, score`` (raw value, normalised score)."""
        p, plan = self.prepared, self.plan
        n = len(p.regions)
        k = plan.n_ind
        out = pl.DataFrame(
            {
                "region": np.repeat(np.array(p.regions, dtype=object), k).tolist(),
                "year": pl.Series(
                    np.repeat(np.array(p.years, dtype=object), k).tolist(), dtype=pl.Int64
                ),
                "indicator": list(plan.names) * n,
                "value": p.raw.reshape(-1),
                "score": self.core.values[0][:, :k].reshape(-1),
            }
        ).with_columns(pl.col("value").fill_nan(None), pl.col("score").fill_nan(None))
        return out.sort("year", "indicator", "region", nulls_last=True)

    def warn(self) -> None:
        """Raise a DataWarning for missing index values and for every kind of data change."""
        idx = self.core.values[0][:, -1]
        miss = [r for r, v in zip(self.prepared.regions, idx, strict=True) if np.isnan(v)]
        if miss:
            warnings.warn(
                f"{len(miss)} region-year(s) have no index (no indicator present): {miss[:5]}",
                DataWarning,
                stacklevel=3,
            )
        rep = self.report.filter(pl.col("step") != "check")
        if rep.height:
            counts = rep.group_by("step", maintain_order=True).len().rows()
            what = ", ".join(f"{n} {s}" for s, n in counts)
            warnings.warn(
                f"the data was changed before rating ({what}); see Composite.report",
                DataWarning,
                stacklevel=3,
            )

    # -- analyses --------------------------------------------------------------------
    def diagnostics(self, **kwargs: Any) -> pl.DataFrame:
        """Data checks and statistical coherence (see :func:`diagnostics`)."""
        from growthpole.composite._diagnostics import diagnostics

        return diagnostics(self, **kwargs)

    def uncertainty(self, n: int = 1000, **kwargs: Any) -> Any:
        """Monte Carlo uncertainty analysis (see :func:`uncertainty`)."""
        from growthpole.composite._uncertainty import uncertainty

        return uncertainty(self, n, **kwargs)

    def sensitivity(self, n: int = 256, **kwargs: Any) -> Any:
        """Sobol sensitivity analysis (see :func:`sensitivity`)."""
        from growthpole.composite._uncertainty import sensitivity

        return sensitivity(self, n, **kwargs)

    def leave_one_out(self) -> pl.DataFrame:
        """Rank shifts when each indicator is left out (see :func:`leave_one_out`)."""
        from growthpole.composite._uncertainty import leave_one_out

        return leave_one_out(self)
