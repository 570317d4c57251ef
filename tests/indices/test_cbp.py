"""The embedded US County Business Patterns 2019 data and the README's IT-cluster example."""

from __future__ import annotations

import polars as pl

from growthpole import datasets
from growthpole import indices as ix


def test_cbp_datasets_load_tidy() -> None:
    sectors = datasets.load("us_cbp2019_sectors")
    assert sectors.columns == ["region", "industry", "year", "value", "establishments"]
    assert sectors["region"].n_unique() == 933
    assert "00" not in sectors["industry"].to_list()  # the all-sector total is dropped
    naics4 = datasets.load("us_cbp2019_naics4")
    assert set(naics4["naics_level"].unique()) == {4}
    info = datasets.info("us_cbp2019_naics")
    assert "public domain" in info.licence


def test_it_cluster_candidates_among_us_metros() -> None:
    # IT = software publishers (5112), computer systems design (5415), data processing and
    # hosting (5182) and telecommunications (517x). Outside knowledge: San Jose-Sunnyvale-
    # Santa Clara (CBSA 41940, Silicon Valley) is the most IT-specialised large US metro,
    # and Washington DC (47900) and Seattle (42660) are among the strong IT clusters.
    cbp = datasets.load("us_cbp2019_naics4")
    it = ix.aggregate_clusters(
        cbp, {"IT": ["5112", "5415", "5182", "517*"]}, establishments="establishments"
    )
    strong = ix.strong_clusters(it, establishments="establishments").filter(
        (pl.col("industry") == "IT") & pl.col("strong")
    )
    stars = ix.cluster_stars(it).filter((pl.col("industry") == "IT") & (pl.col("stars") == 3))
    both = strong.join(stars.select("region"), on="region").sort("lq", descending=True)
    assert both["region"][0] == "41940"
    assert {"47900", "42660"} <= set(both["region"].to_list())
