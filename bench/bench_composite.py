"""Benchmark of the composite engine's uncertainty analysis (``python -m bench.bench_composite``).

Two synthetic cases:

* COINr-like: 51 units x 49 indicators in 4 levels (indicators -> 8 pillars -> 2
  sub-indices -> index), shaped like COINr's ASEM example, one year, a few gaps;
* large: 300 units x 50 indicators x 10 years (5 pillars -> index).

Each runs N Monte Carlo replications (weights +-25 %, alternative normalisations and
aggregation, imputation and treatment switched, one indicator left out) through the
vectorised engine, and a straightforward replication-by-replication loop over the same
public API (``rate(data, result.spec_of(r))``) on the first replications, in the same run.
It prints replications per second, peak traced memory and the ratio; it also checks that
the loop's numbers are identical to the vectorised ones. Options: ``--reps N`` (default
10000), ``--quick`` (1000 replications, shorter loops).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
import warnings

import numpy as np
import polars as pl

from growthpole.composite import Composite, Uncertainties, rate, sensitivity, uncertainty
from growthpole.errors import DataWarning
from growthpole.specs import Group, IndexSpec, Indicator

COINR_RATE = 18.0  # replications/s of COINr's Monte Carlo on its 51 x 49 example (issue 3)


def coinr_like(seed: int = 0) -> tuple[IndexSpec, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    sizes = [5, 6, 7, 6, 6, 7, 6, 6]  # 49 indicators in 8 pillars
    inds, groups, k = [], [], 0
    for p, size in enumerate(sizes):
        groups.append(Group(f"pillar{p}", parent="sub0" if p < 4 else "sub1"))
        for _ in range(size):
            inds.append(
                Indicator(
                    f"ind{k:02d}",
                    f"pillar{p}",
                    direction="lower" if k % 7 == 3 else "higher",
                    normalisation="min_max",
                    params={"low": 1, "high": 100},
                )
            )
            k += 1
    groups += [Group("sub0"), Group("sub1")]
    spec = IndexSpec("coinr_like", tuple(inds), tuple(groups), imputation="mean")
    rows = []
    for u in range(51):
        for i in inds:
            v = float(rng.lognormal(1.0, 0.9))
            rows.append((f"unit{u:02d}", 2020, i.name, None if rng.random() < 0.02 else v))
    return spec, pl.DataFrame(rows, schema=["region", "year", "indicator", "value"], orient="row")


def large(seed: int = 1) -> tuple[IndexSpec, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    inds = tuple(
        Indicator(f"ind{k:02d}", f"pillar{k // 10}", normalisation="min_max", params={"low": 1})
        for k in range(50)
    )
    groups = tuple(Group(f"pillar{p}") for p in range(5))
    spec = IndexSpec("large", inds, groups, imputation="mean")
    n_u, n_i, years = 300, 50, list(range(2011, 2021))
    vals = rng.lognormal(1.0, 0.9, size=(len(years), n_u, n_i))
    vals[rng.random(vals.shape) < 0.01] = np.nan
    frame = pl.DataFrame(
        {
            "region": np.tile(np.repeat([f"u{u:03d}" for u in range(n_u)], n_i), len(years)),
            "year": np.repeat(years, n_u * n_i),
            "indicator": np.tile([i.name for i in inds], n_u * len(years)),
            "value": vals.reshape(-1),
        }
    ).with_columns(pl.col("value").fill_nan(None))
    return spec, frame


SETTINGS = Uncertainties(
    weight_noise=0.25,
    normalisations=("rank", "distance_to_max"),
    aggregations=("geometric",),
    imputations=("none",),
    treatments=("coinr",),
    exclude=True,
)


def _case(name: str, spec: IndexSpec, data: pl.DataFrame, reps: int, loop_reps: int) -> dict:
    comp = Composite.build(data, spec)
    t0 = time.perf_counter()
    res = uncertainty(comp, reps, settings=SETTINGS, seed=42, progress=False, keep=loop_reps)
    vec_s = time.perf_counter() - t0
    # peak memory in a separate run under tracemalloc (which slows NumPy down)
    mem_reps = min(reps, 2000)
    tracemalloc.start()
    uncertainty(comp, mem_reps, settings=SETTINGS, seed=42, progress=False, keep=loop_reps)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert res.index is not None
    t0 = time.perf_counter()
    identical = True
    pos = {key: i for i, key in enumerate(res.rows)}
    for r in range(loop_reps):
        out = rate(data, res.spec_of(r))
        got = dict(zip(zip(out["region"], out["year"], strict=True), out["index"], strict=True))
        vec = res.index[r]
        for key, i in pos.items():
            a, b = got[key], vec[i]
            if not ((a is None and np.isnan(b)) or a == b):
                identical = False
    loop_s = time.perf_counter() - t0
    vec_rate, loop_rate = reps / vec_s, loop_reps / loop_s
    return {
        "case": name,
        "units x indicators x years": f"{comp.prepared.x.shape[0] // len(comp.prepared.year_blocks)}"
        f" x {comp.plan.n_ind} x {len(comp.prepared.year_blocks)}",
        "replications": reps,
        "vectorised s": vec_s,
        "vectorised reps/s": vec_rate,
        f"peak MiB ({mem_reps} reps)": peak / 2**20,
        "loop reps (measured)": loop_reps,
        "loop reps/s": loop_rate,
        "ratio": vec_rate / loop_rate,
        "identical": identical,
    }


def main(argv: list[str] | None = None) -> None:
    """Run both cases and print the table of figures."""
    ap = argparse.ArgumentParser(prog="python -m bench.bench_composite")
    ap.add_argument("--reps", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv if argv is not None else [])
    reps = 1000 if args.quick else args.reps
    warnings.simplefilter("ignore", DataWarning)
    rows = [
        _case("COINr-like", *coinr_like(), reps, 50 if args.quick else 200),
        _case("large", *large(), reps, 3 if args.quick else 10),
    ]
    print(f"{'':28}" + "".join(f"{r['case']:>16}" for r in rows))
    for i, key in enumerate(rows[0]):
        if key == "case":
            continue
        cells = []
        for r in rows:
            v = list(r.values())[i]
            cells.append(f"{v:>16.2f}" if isinstance(v, float) else f"{v!s:>16}")
        print(f"{key:28}" + "".join(cells))
    c = rows[0]
    print(
        f"\nCOINr-like: {c['replications']} replications in {c['vectorised s']:.2f} s "
        f"(target < 5 s); {c['ratio']:.0f}x the loop over the public API measured above; "
        f"{c['vectorised reps/s'] / COINR_RATE:.0f}x COINr's ~{COINR_RATE:.0f} reps/s "
        "(quoted in issue 3, not measured here)."
    )
    spec, data = coinr_like()
    t0 = time.perf_counter()
    s = sensitivity(Composite.build(data, spec), 512, settings=SETTINGS, seed=1, progress=False)
    el = time.perf_counter() - t0
    runs = len(s.outputs)
    print(f"Sobol (Saltelli design, n = 512, {runs} runs): {el:.2f} s, {runs / el:.0f} runs/s")
    print(
        s.indices.select("factor", "first_order", "total").with_columns(
            pl.col("first_order", "total").round(3)
        )
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
