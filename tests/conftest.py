"""Shared fixtures: one test, every input type (pandas, Polars, PyArrow, DuckDB, Spark)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl
import pytest

EAGER_BACKENDS = ["polars", "pandas", "pyarrow"]
ALL_BACKENDS = [*EAGER_BACKENDS, "polars-lazy", "duckdb", "spark"]


def to_backend(frame: pl.DataFrame, backend: str, spark: Any = None) -> Any:
    """Convert a Polars frame to the named backend's native frame."""
    if backend == "polars":
        return frame
    if backend == "polars-lazy":
        return frame.lazy()
    if backend == "pandas":
        return frame.to_pandas()
    if backend == "pyarrow":
        return frame.to_arrow()
    if backend == "duckdb":
        import duckdb

        return duckdb.from_arrow(frame.to_arrow())
    if backend == "spark":
        return spark.createDataFrame(frame.to_pandas())
    raise ValueError(backend)


def to_polars(native: Any) -> pl.DataFrame:
    """Bring any backend's result back to an eager Polars frame for comparison."""
    import narwhals.stable.v2 as nw

    f = nw.from_native(native)
    if isinstance(f, nw.LazyFrame):
        f = f.collect()
    return pl.from_arrow(f.to_arrow())  # type: ignore[return-value]


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    """One local Spark session for the whole run (start-up is about 25 s)."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("PySpark tests need Java 17 (none found on PATH or JAVA_HOME)")
    pyspark = pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)  # type: ignore[attr-defined]
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("growthpole-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    del pyspark
    yield spark
    spark.stop()


@pytest.fixture(params=EAGER_BACKENDS)
def eager_backend(request: pytest.FixtureRequest) -> str:
    """Each eager backend in turn."""
    return str(request.param)


@pytest.fixture(
    params=[
        *EAGER_BACKENDS,
        "polars-lazy",
        "duckdb",
        pytest.param("spark", marks=pytest.mark.spark),
    ]
)
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend in turn, Spark included (marked ``spark``)."""
    return str(request.param)


@pytest.fixture
def make_frame(backend: str, request: pytest.FixtureRequest) -> Callable[[pl.DataFrame], Any]:
    """Convert a Polars frame to the current ``backend``."""
    spark = request.getfixturevalue("spark_session") if backend == "spark" else None
    return lambda frame: to_backend(frame, backend, spark)
