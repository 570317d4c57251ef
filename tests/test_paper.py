"""The paper's published numbers, recomputed (Kireyeva, Mussabalina & Tolysbaev 2018)."""

from __future__ import annotations

import polars as pl
import pytest

from growthpole import datasets
from growthpole.methods import kireyeva2018

# Table 1 as printed in the paper (index 2010, grade 2010, index 2016, grade 2016), typed here
# from the article so that the test does not depend on the package's own copy.
TABLE1 = {
    "Akmola region": (11.25, "C", 25.59, "C+"),
    "Aktobe region": (17.47, "C", 17.98, "C"),
    "Almaty region": (10.55, "C", 18.05, "C"),
    "Atyrau region": (31.34, "C++", 46.49, "B"),
    "East-Kazakhstan region": (13.75, "C", 32.02, "C++"),
    "Zhambyl region": (13.36, "C", 24.02, "C+"),
    "West-Kazakhstan region": (10.89, "C", 21.56, "C+"),
    "Karaganda region": (25.69, "C+", 30.28, "C++"),
    "Kostanay region": (18.70, "C", 25.48, "C+"),
    "Kyzylorda region": (26.08, "C+", 15.57, "C"),
    "Mangystau region": (13.27, "C", 51.83, "B+"),
    "Pavlodar region": (29.17, "C+", 29.30, "C+"),
    "North-Kazakhstan region": (10.65, "C", 23.74, "C+"),
    "South-Kazakhstan region": (34.94, "C++", 27.00, "C+"),
    "Astana city": (26.07, "C+", 57.83, "B+"),
    "Almaty city": (51.93, "B+", 76.05, "A"),
}


@pytest.fixture(scope="module")
def results() -> kireyeva2018.PaperResults:
    return kireyeva2018.paper_results()


def test_embedded_table1_is_the_published_table() -> None:
    t1 = datasets.load("kireyeva2018_table1")
    for name, (i10, g10, i16, g16) in TABLE1.items():
        got = {
            r["year"]: (r["index"], r["grade"])
            for r in t1.filter(pl.col("name") == name).iter_rows(named=True)
        }
        assert got == {2010: (i10, g10), 2016: (i16, g16)}


def test_all_32_grades_recomputed_from_published_indices(
    results: kireyeva2018.PaperResults,
) -> None:
    got = {(r["name"], r["year"]): r["grade"] for r in results.ratings.iter_rows(named=True)}
    assert len(got) == 32
    for name, (_, g10, _, g16) in TABLE1.items():
        assert got[(name, 2010)] == g10
        assert got[(name, 2016)] == g16


def test_scale_cutoff_intervals_from_table1() -> None:
    # By hand from Table 1: highest C is Kostanay 2010 (18.70), lowest C+ is West-Kazakhstan
    # 2016 (21.56); highest C+ Pavlodar 2016 (29.30), lowest C++ Karaganda 2016 (30.28);
    # highest C++ South-Kazakhstan 2010 (34.94), lowest B Atyrau 2016 (46.49); B: only
    # Atyrau 46.49, lowest B+ Mangystau 51.83; highest B+ Astana 57.83, the only A 76.05.
    iv = kireyeva2018.scale_cutoff_intervals()
    assert iv.select("lower_grade", "upper_grade", "above", "at_most").rows() == [
        ("C", "C+", 18.70, 21.56),
        ("C+", "C++", 29.30, 30.28),
        ("C++", "B", 34.94, 46.49),
        ("B", "B+", 46.49, 51.83),
        ("B+", "A", 57.83, 76.05),
    ]
    assert iv["consistent"].all()


def test_shares_recomputed_from_table2(results: kireyeva2018.PaperResults) -> None:
    s = results.specialisation
    # 2010: Table 2 sums to 46.8 + 3258.1 + 165.8 + 36.5 + 0.1 + 660.7 + 340.0 + 75.1 + 650.3
    # + 11268.1 + 53.1 = 16554.6; Almaty city 11268.1 / 16554.6 = 0.68066...
    almaty = s.filter((pl.col("region") == "almaty_city") & (pl.col("year") == 2010))
    assert almaty["share_of_national"][0] == pytest.approx(11268.1 / 16554.6, rel=1e-12)
    # 2016: 56.6 + 1090 + 255.5 + 72.3 + 2476.1 + 861.8 + 759.1 + 4774.4 + 306.1 + 7464.8
    # + 20152.4 = 38269.1
    astana = s.filter((pl.col("region") == "astana") & (pl.col("year") == 2016))
    assert astana["share_of_national"][0] == pytest.approx(7464.8 / 38269.1, rel=1e-12)
    # a dash is missing, not zero
    kost = s.filter(pl.col("region") == "kostanay")
    assert kost["value"].null_count() == kost.height
    assert kost["share_of_national"].null_count() == kost.height
    for year in range(2010, 2017):
        total = s.filter(pl.col("year") == year)["share_of_national"].sum()
        assert total == pytest.approx(1.0, abs=1e-12)


def test_audit_explains_2010_by_pavlodar(results: kireyeva2018.PaperResults) -> None:
    a = results.audit
    pav = a.filter(
        (pl.col("region") == "Pavlodar region")
        & (pl.col("year") == "2010")
        & (pl.col("check") == "share_of_national")
    ).row(0, named=True)
    assert pav["published"] == "—"
    assert pav["status"] == "differs"
    assert pav["explanation"].startswith("explained")
    assert "Pavlodar region (53.1)" in pav["explanation"]
    # 11268.1 / (16554.6 - 53.1) = 11268.1 / 16501.5 = 0.68285 -> 0.683 as published
    alm = a.filter(
        (pl.col("region") == "Almaty city")
        & (pl.col("year") == "2010")
        & (pl.col("check") == "share_of_national")
    ).row(0, named=True)
    assert (alm["published"], alm["recomputed"], alm["status"]) == ("0.683", "0.681", "differs")
    assert "16,501.5" in alm["explanation"]


def test_audit_finds_the_implied_2016_denominator(results: kireyeva2018.PaperResults) -> None:
    # By hand: the tightest bounds come from Astana, 7464.8 / (0.224 + 0.0005) = 33250.78,
    # and North-Kazakhstan, 4774.4 / (0.144 - 0.0005) = 33271.08.
    a = results.audit.filter((pl.col("year") == "2016") & (pl.col("check") == "share_of_national"))
    differ = a.filter(pl.col("status") == "differs")
    assert differ.height == 10  # all published values but Zhambyl's 0.002 (72.3/38269.1 = 0.0019)
    assert all(e.startswith("explained") for e in differ["explanation"])
    assert "33,250.8 and 33,271.1" in differ["explanation"][0]
    total = results.audit.filter((pl.col("check") == "sum of shares") & (pl.col("year") == "2016"))
    assert total["published"][0] == "1.151"
    assert total["status"][0] == "differs"


def test_text_totals(results: kireyeva2018.PaperResults) -> None:
    a = {
        r["check"]: r for r in results.audit.filter(pl.col("table") == "text").iter_rows(named=True)
    }
    total = a["IT output 2010-2016, bn KZT (text)"]
    assert (total["published"], total["recomputed"], total["status"]) == (
        "120.3",
        "211.5",
        "differs",
    )
    assert total["explanation"].startswith("unexplained")
    y16 = a["IT output 2016, bn KZT (text)"]
    assert (y16["published"], y16["recomputed"], y16["status"]) == ("36.5", "38.3", "differs")
    growth = a["growth of IT output 2010-2016, times (text)"]
    assert (growth["recomputed"], growth["status"]) == ("2.31", "match")  # 38269.1 / 16554.6


def test_summary_line(results: kireyeva2018.PaperResults) -> None:
    # 32 grades + 25 Table 3 cells/sums + 3 text claims match; 15 differ, 13 explained
    assert results.summary == "reproduced: 56 match, 15 differ (13 explained)"
    assert kireyeva2018.summary_line(results.audit) == results.summary


def test_candidates_are_almaty_and_astana(results: kireyeva2018.PaperResults) -> None:
    p = results.poles
    cand = {(r["region"], r["year"]) for r in p.filter(pl.col("candidate")).iter_rows(named=True)}
    assert cand == {("almaty_city", 2010), ("almaty_city", 2016), ("astana", 2016)}
    assert p.height == 32
    assert p["reason"].null_count() == 0
    mang = p.filter((pl.col("region") == "mangystau") & (pl.col("year") == 2016)).row(0, named=True)
    assert mang["grade"] == "B+"
    assert mang["share_of_national"] is None
    assert "no data" in mang["reason"]


def test_rank_change(results: kireyeva2018.PaperResults) -> None:
    r = results.ratings
    # Mangystau: 13.27 in 2010 ranks 12th (above 10.55, 10.65, 10.89, 11.25); 51.83 in 2016
    # ranks 3rd (after 76.05 and 57.83) -> moved up 9 places.
    m = r.filter(pl.col("region") == "mangystau").sort("year")
    assert m["rank"].to_list() == [12, 3]
    assert m["rank_change"].to_list() == [None, 9]


def test_spec_matches_formulas_2_to_4() -> None:
    s = kireyeva2018.spec()
    groups = {g.name: g for g in s.groups}
    assert {g.weight for g in groups.values()} == {0.5}
    for g in groups:
        members = [i for i in s.indicators if i.group == g]
        assert len(members) == 3
        assert {i.weight for i in members} == {1.0}
