"""Spatial layer: growthpole's full analysis against the bare esda calls it wraps.

Run: ``python -m bench.bench_spatial``. Prints, for square lattices (rook contiguity) of
growing size, the time of ``spatial_analysis`` (graph checks, missing-data handling, global
and local statistics, the tie-aware p-value recount, FDR, verdicts, panel) and of the four
bare esda calls (Moran, Geary, Moran_Local, G_Local) on the same arrays and permutations,
measured in the same run, and their ratio (the wrapper's overhead).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import polars as pl


def _lattice(n: int):
    from growthpole.spatial import graph_from_edges

    ids = [f"r{i:03d}_{j:03d}" for i in range(n) for j in range(n)]
    pairs = [(f"r{i:03d}_{j:03d}", f"r{i + 1:03d}_{j:03d}") for i in range(n - 1) for j in range(n)]
    pairs += [
        (f"r{i:03d}_{j:03d}", f"r{i:03d}_{j + 1:03d}") for i in range(n) for j in range(n - 1)
    ]
    edges = pl.DataFrame({"focal": [a for a, _ in pairs], "neighbour": [b for _, b in pairs]})
    return ids, graph_from_edges(edges, regions=ids)


def _best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    import esda

    from growthpole.spatial import spatial_analysis

    perms, years = 999, 2
    rows = []
    for n in (4, 10, 20):
        ids, graph = _lattice(n)
        rng = np.random.default_rng(n)
        values = rng.lognormal(size=(years, n * n))
        data = pl.DataFrame(
            {
                "region": ids * years,
                "year": np.repeat(np.arange(2010, 2010 + years), n * n),
                "value": values.ravel(),
            }
        )

        def ours(data=data, graph=graph) -> None:
            spatial_analysis(data, graph, permutations=perms, seed=1)

        def bare(values=values, graph=graph) -> None:
            w = graph.weighted
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for y in values:
                    esda.Moran(y, w, permutations=perms)
                    esda.Geary(y, w, permutations=perms)
                    esda.Moran_Local(y, w, permutations=perms, seed=1)
                    esda.G_Local(
                        y, graph.graph, transform="R", star=True, permutations=perms, seed=1
                    )

        t_ours, t_bare = _best(ours), _best(bare)
        rows.append((n * n, t_ours, t_bare, t_ours / t_bare))
    print(f"spatial: {years} years, {perms} permutations, rook lattices (best of 3)")
    print(f"{'regions':>8} {'growthpole s':>13} {'bare esda s':>12} {'ratio':>7}")
    for n_reg, a, b, r in rows:
        print(f"{n_reg:>8} {a:>13.3f} {b:>12.3f} {r:>7.2f}")


if __name__ == "__main__":
    main()
