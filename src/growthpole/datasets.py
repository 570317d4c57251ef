"""Embedded datasets: the paper's tables and Kazakhstan's regions, with provenance.

Every dataset loads as a tidy frame (Polars by default; ``backend="pandas"`` or
``"pyarrow"`` for the others). Missing values are explicit nulls, never zeros.
Sources, licences and caveats: :func:`info` and ``data/PROVENANCE.md``.

Examples
--------
>>> t1 = load("kireyeva2018_table1")
>>> t1.shape
(32, 5)
>>> sorted(t1["year"].unique().to_list())
[2010, 2016]
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import polars as pl

from growthpole.errors import InputError

__all__ = ["Dataset", "geojson", "info", "list_datasets", "load", "path"]

Backend = Literal["polars", "pandas", "pyarrow"]


@dataclass(frozen=True)
class Dataset:
    """An embedded dataset and where it comes from."""

    name: str
    file: str
    description: str
    source: str
    licence: str
    caveats: str
    loader: Callable[[Path], pl.DataFrame]


def path(name: str) -> Path:
    """Filesystem path of an embedded dataset's file."""
    ds = info(name)
    return Path(str(resources.files("growthpole.data").joinpath(ds.file)))


def _paper_names() -> dict[str, str]:
    regions = pl.read_csv(path("kaz_regions"), infer_schema_length=0)
    return dict(zip(regions["name_en"], regions["region_id"], strict=True))


def _region_ids(names: pl.Series) -> pl.Series:
    lookup = _paper_names()
    missing = sorted(set(names.to_list()) - set(lookup))
    if missing:  # pragma: no cover - guards the shipped files
        raise InputError(f"unknown paper region names {missing}", source="embedded data")
    return names.replace_strict(lookup, return_dtype=pl.String)


def _load_table1(p: Path) -> pl.DataFrame:
    raw = pl.read_csv(p)
    rows = []
    for yr in (2010, 2016):
        rows.append(
            raw.select(
                pl.col("no"),
                pl.col("region").alias("name"),
                pl.lit(yr, pl.Int64).alias("year"),
                pl.col(f"index_{yr}").cast(pl.Float64).alias("index"),
                pl.col(f"grade_{yr}").alias("grade"),
            )
        )
    out = pl.concat(rows)
    return out.select(
        _region_ids(out["name"]).alias("region"), "name", "year", "index", "grade"
    ).sort("year", "region")


def _load_table2(p: Path) -> pl.DataFrame:
    raw = pl.read_csv(p, infer_schema_length=0)
    out = raw.unpivot(index="region", variable_name="year", value_name="value").with_columns(
        pl.col("year").cast(pl.Int64), pl.col("value").cast(pl.Float64)
    )
    out = out.rename({"region": "name"})
    return out.select(
        _region_ids(out["name"]).alias("region"),
        "name",
        pl.lit("IT").alias("industry"),
        "year",
        "value",
    ).sort("year", "region")


def _load_table3(p: Path) -> pl.DataFrame:
    raw = pl.read_csv(p, infer_schema_length=0)
    out = raw.unpivot(index=["no", "region"], variable_name="year", value_name="value")
    out = out.with_columns(
        pl.col("year").str.replace("ksi_", "").cast(pl.Int64), pl.col("value").cast(pl.Float64)
    ).rename({"region": "name"})
    return out.select(_region_ids(out["name"]).alias("region"), "name", "year", "value").sort(
        "year", "region"
    )


def _load_regions(p: Path) -> pl.DataFrame:
    return pl.read_csv(p, infer_schema_length=0).with_columns(pl.col("in_paper16") == "1")


def _load_boundaries(p: Path) -> pl.DataFrame:
    gj = json.loads(p.read_text(encoding="utf-8"))
    rows = [
        {**{k: v for k, v in f["properties"].items()}, "geometry": json.dumps(f["geometry"])}
        for f in gj["features"]
    ]
    return pl.DataFrame(rows).rename({"region_id": "region"})


def _load_grp(p: Path) -> pl.DataFrame:
    return pl.read_csv(p, schema_overrides={"flag": pl.String}).rename({"region_id": "region"})


def _load_population(p: Path) -> pl.DataFrame:
    return (
        pl.read_csv(p)
        .rename({"region_id": "region", "population": "value"})
        .select("region", "source_name_ru", "year", "value")
    )


def _load_cbp_sectors(p: Path) -> pl.DataFrame:
    raw = pl.read_csv(p, schema_overrides={"cbsa_code": pl.String, "naics_sector": pl.String})
    return raw.filter(pl.col("naics_sector") != "00").select(
        pl.col("cbsa_code").alias("region"),
        pl.col("naics_sector").alias("industry"),
        pl.lit(2019, pl.Int64).alias("year"),
        pl.col("emp").cast(pl.Float64).alias("value"),
        pl.col("estab").cast(pl.Float64).alias("establishments"),
    )


def _load_cbp(p: Path, level: int | None = None) -> pl.DataFrame:
    raw = pl.read_parquet(p)
    if level is not None:
        raw = raw.filter(pl.col("naics_level") == level)
    return raw.filter(pl.col("naics_code") != "00").select(
        pl.col("cbsa_code").alias("region"),
        pl.col("naics_code").alias("industry"),
        pl.col("naics_level").cast(pl.Int64),
        pl.lit(2019, pl.Int64).alias("year"),
        pl.col("emp").cast(pl.Float64).alias("value"),
        pl.col("estab").cast(pl.Float64).alias("establishments"),
    )


_CBP_SOURCE = (
    "US Census Bureau, County Business Patterns 2019 (CBP API), metropolitan and "
    "micropolitan statistical areas (CBSA) x NAICS 2017, as pulled by GitHub "
    "fansi-sifan/metro-datasets @1c3c9160 (census/census_cbp/cbp_cbsa_naics_emp.rda)"
)
_CBP_CAVEATS = (
    "Employment in the pay period including 12 March 2019; disclosure-suppressed cells "
    "appear as 0; excludes most government employment and the self-employed; no CBSA "
    "names; the all-sectors total '00' is dropped (sum the rows instead)."
)

_BNS = (
    "Bureau of National Statistics of the Agency for Strategic Planning and Reforms of the "
    "Republic of Kazakhstan (stat.gov.kz)"
)
_PAPER = (
    "Kireyeva, A. A., Mussabalina, D. S. & Tolysbaev, B. S. (2018). Assessment and "
    "Identification of the Possibility for Creating IT Clusters in Kazakhstan Regions. "
    "Ekonomika regiona, 14(2), 463-473. doi:10.17059/2018-2-10"
)

_REGISTRY: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset(
            "kireyeva2018_table1",
            "table1_innovation_index.csv",
            "Table 1: aggregated innovation index and letter grade, 16 regions, 2010 and 2016.",
            _PAPER,
            "Published figures, quoted for scholarly reproduction (CC BY 4.0 journal).",
            "The paper does not publish the six raw indicators behind the index.",
            _load_table1,
        ),
        Dataset(
            "kireyeva2018_table2",
            "table2_it_output_mln_kzt.csv",
            "Table 2: IT-industry output by region, 2010-2016, million KZT (long).",
            _PAPER,
            "Published figures, quoted for scholarly reproduction (CC BY 4.0 journal).",
            "Null = the paper's dash (no data or no production); never read it as zero.",
            _load_table2,
        ),
        Dataset(
            "kireyeva2018_table3",
            "table3_ksi_published.csv",
            "Table 3: published 'modified Krugman index' (share of national IT output), 2010, 2016.",
            _PAPER,
            "Published figures, quoted for scholarly reproduction (CC BY 4.0 journal).",
            "Rounded to 3 decimals; 2016 values sum to about 1.15 (see the reproduction audit).",
            _load_table3,
        ),
        Dataset(
            "kaz_regions",
            "kaz_regions.csv",
            "Crosswalk of 21 Kazakhstan region ids: English/Kazakh/Russian names, ISO 3166-2, "
            "KATO, OCHA pcode, BNS spellings; in_paper16 marks the paper's 16 regions.",
            "Compiled from geokz (A. Rodionov; OCHA COD-AB) and BNS workbooks.",
            "CC BY 4.0 (compilation); names from geokz CC BY 4.0.",
            "South Kazakhstan (paper) = Turkestan + Shymkent (2018 on); it has no current ISO code.",
            _load_regions,
        ),
        Dataset(
            "kaz_boundaries",
            "kaz_regions_paper16_simplified.geojson",
            "Boundaries of the paper's 16 regions (2010-2016 layout), simplified GeoJSON, WGS84.",
            "geokz 1.0.2 (A. Rodionov) OCHA COD-AB admin-1 2018; Turkestan and Shymkent merged; "
            "simplified with shapely.coverage_simplify (0.02 deg).",
            "CC BY 4.0 (geokz; credit geokz / A. Rodionov and OCHA COD-AB).",
            "2018 lines approximate the 2010-2016 layout; simplified: not for area statistics.",
            _load_boundaries,
        ),
        Dataset(
            "kaz_grp",
            "kaz_grp_by_region_1990_2023.csv",
            "Gross regional product by region, 1990-2023 (BNS), long: region, year, period, value.",
            _BNS,
            "Official statistics, reusable with attribution to BNS.",
            "Units mln_kzt (1990-1992 mln_rub); 2023 preliminary; south_kazakhstan up to 2017, "
            "turkestan + shymkent from 2018; abay/zhetysu/ulytau from 2021.",
            _load_grp,
        ),
        Dataset(
            "kaz_population",
            "kaz_population_by_region_2000_2023.csv",
            "Population by region at 1 January, 2000-2023 (BNS): region, year, value.",
            _BNS,
            "Official statistics, reusable with attribution to BNS.",
            "Values at 1 January of the year. Almaty region/city border moved in 2014-2015.",
            _load_population,
        ),
        Dataset(
            "us_cbp2019_sectors",
            "us_cbp2019_cbsa_naics_sector.csv",
            "US County Business Patterns 2019: 933 metro/micro areas (CBSA) x 20 NAICS sectors; "
            "region, industry, year, value (employment), establishments.",
            _CBP_SOURCE,
            "US federal data, public domain.",
            _CBP_CAVEATS + " Sector 99 = unclassified.",
            _load_cbp_sectors,
        ),
        Dataset(
            "us_cbp2019_naics",
            "us_cbp2019_cbsa_naics_all.parquet",
            "US County Business Patterns 2019, CBSA x NAICS at every depth (2-6 digits): "
            "region, industry, naics_level, year, value (employment), establishments.",
            _CBP_SOURCE,
            "US federal data, public domain.",
            _CBP_CAVEATS + " NAICS levels are nested: filter one naics_level before "
            "computing indices (or use us_cbp2019_naics4).",
            _load_cbp,
        ),
        Dataset(
            "us_cbp2019_naics4",
            "us_cbp2019_cbsa_naics_all.parquet",
            "US County Business Patterns 2019, CBSA x 4-digit NAICS industry groups: "
            "region, industry, naics_level, year, value (employment), establishments.",
            _CBP_SOURCE,
            "US federal data, public domain.",
            _CBP_CAVEATS,
            lambda p: _load_cbp(p, 4),
        ),
    ]
}


def list_datasets() -> pl.DataFrame:
    """One row per embedded dataset: name, description, source, licence, caveats.

    Examples
    --------
    >>> "kaz_boundaries" in list_datasets()["name"].to_list()
    True
    """
    return pl.DataFrame(
        [
            {
                "name": d.name,
                "file": d.file,
                "description": d.description,
                "source": d.source,
                "licence": d.licence,
                "caveats": d.caveats,
            }
            for d in _REGISTRY.values()
        ]
    )


def info(name: str) -> Dataset:
    """The :class:`Dataset` record of ``name``."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise InputError(
            f"dataset needs to be one of {sorted(_REGISTRY)}; {name!r} was given instead."
        ) from None


@cache
def _load_polars(name: str) -> pl.DataFrame:
    ds = info(name)
    return ds.loader(path(name))


def load(name: str, *, backend: Backend = "polars") -> Any:
    """Load an embedded dataset as a tidy frame of the chosen ``backend``."""
    frame = _load_polars(name).clone()
    if backend == "polars":
        return frame
    if backend == "pandas":
        return frame.to_pandas()
    if backend == "pyarrow":
        return frame.to_arrow()
    raise InputError(
        f"backend needs to be one of ['polars', 'pandas', 'pyarrow']; {backend!r} was given instead."
    )


def geojson(name: str = "kaz_boundaries") -> dict[str, Any]:
    """The parsed GeoJSON FeatureCollection of an embedded boundaries dataset."""
    p = path(name)
    if not p.suffix.endswith("json"):
        raise InputError(f"dataset {name!r} is not a boundaries dataset")
    return json.loads(p.read_text(encoding="utf-8"))
