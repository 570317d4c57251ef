"""The HTML report: self-contained, pluggable sections, honest tables, the paper preset."""

from __future__ import annotations

import re

import polars as pl
import pytest

from growthpole.methods import kireyeva2018
from growthpole.report import (
    Section,
    build_report,
    data_report,
    folder_report,
    format_value,
    paper_report,
    table_html,
)
from growthpole.specs import IndexSpec


def _external_refs(page: str) -> list[str]:
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"#][^"]*)"', page)
    refs += re.findall(r"url\(\s*['\"]?(?!#)([^)'\"]+)", page)
    refs += re.findall(r"@import", page)
    return [r for r in refs if not r.startswith("data:")]  # inline data is self-contained


@pytest.fixture(scope="module")
def paper_page():
    return paper_report()


def test_paper_report_is_self_contained(paper_page):
    assert paper_page.startswith("<!DOCTYPE html>")
    assert _external_refs(paper_page) == []
    urls = set(re.findall(r"https?://[^\s\"'<>]+", paper_page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "default-src 'none'" in paper_page  # the page may not fetch anything
    assert len(paper_page.encode()) < 600_000  # lean: inline SVG, no JS library


def test_paper_report_content(paper_page):
    res = kireyeva2018.paper_results()
    assert res.summary in paper_page
    # the first map: 16 regions; Almaty city 2016 has the paper's grade A (Table 1: 76.05)
    first_map = paper_page[paper_page.index('id="maps"') :]
    first_map = first_map[: first_map.index("</svg>")]
    assert len(re.findall(r'<g id="region-[a-z_]+" class="region">', first_map)) == 16
    assert "<title>Almaty city: A</title>" in first_map
    summary = paper_page[paper_page.index('id="summary"') : paper_page.index('id="maps"')]
    cards = re.findall(r'<div class="card"><h3>([^<]+)</h3>', summary)
    assert cards == ["Almaty city", "Astana city"]
    for anchor in ("summary", "maps", "charts", "tables", "method", "spec", "audit", "provenance"):
        assert f'<section id="{anchor}">' in paper_page
    assert "labour_productivity" in paper_page  # the spec's TOML
    assert "doi:10.17059/2018-2-10" in paper_page
    assert "<math" in paper_page  # formulas


def test_sections_are_pluggable_and_escaped():
    extra = Section("Uncertainty <beta>", "<p>ok</p>")
    page = build_report(
        [Section("A", "<p>a</p>"), Section("A", "<p>again</p>"), extra],
        title="T & <T>",
        generated="fixed",
    )
    assert '<section id="a">' in page
    assert '<section id="a-2">' in page
    assert "Uncertainty &lt;beta&gt;" in page
    assert "<title>T &amp; &lt;T&gt;</title>" in page
    assert (
        page.index('href="#a"') < page.index('href="#a-2"') < page.index('href="#uncertainty-beta"')
    )


def test_extra_sections_reach_the_paper_report():
    page = paper_report(extra_sections=[Section("Composite uncertainty", "<p>ranks</p>")])
    assert '<section id="composite-uncertainty">' in page
    assert page.index('id="composite-uncertainty"') < page.index('id="method"')


def test_table_html_formats_and_sorts():
    t = pl.DataFrame(
        {
            "name": ["<b>x</b>", "y"],
            "index": [76.054, None],
            "share_of_national": [0.60612, 0.0],
            "rank_change": [3, -2],
            "candidate": [True, False],
        }
    )
    html = table_html(t, highlight="candidate")
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert '<td class="num" data-sort="76.054">76.05</td>' in html
    assert '<td class="na" data-sort="">no data</td>' in html
    assert ">60.6 %<" in html
    assert ">0.0 %<" in html
    assert ">+3<" in html
    assert ">-2<" in html
    assert html.count('<tr class="hl">') == 1
    assert "<button" in html
    assert "<button" not in table_html(t, sortable=False)


def test_format_value():
    assert format_value(0.60612, "share_of_national") == "60.6 %"
    assert format_value(-0.0771, "share_change") == "-7.7"
    assert format_value(float("nan"), "index") == "no data"
    assert format_value(12345.67, "value") == "12 345.7"


def test_data_report_rates_and_finds_candidates(indicators_csv, output_csv):
    from growthpole import rate
    from growthpole.io import read_table

    data = read_table(indicators_csv)
    spec = kireyeva2018.spec()
    page = data_report(data, spec, output=read_table(output_csv))
    assert _external_refs(page) == []
    leader = rate(data.drop("name"), spec).filter(pl.col("year") == 2016).sort("rank")
    top = data.filter(pl.col("region") == leader["region"][0])["name"][0]
    ranking = page[page.index("<h3>Innovation ratings</h3>") :]
    assert top in ranking
    assert "Index and its sub-indices" in page or "sub-indices" in page
    assert '<section id="summary">' in page
    maps = page[page.index('id="maps"') :]
    assert (
        len(re.findall(r'<g id="region-[a-z_]+" class="region">', maps[: maps.index("</svg>")]))
        == 16
    )


def test_data_report_without_matching_boundaries_says_why():
    data = pl.DataFrame(
        {"region": ["p", "q"], "year": [2020, 2020], "indicator": ["a", "a"], "value": [2.0, 1.0]}
    )
    spec = IndexSpec.from_toml(
        'name = "t"\n[[indicators]]\nname = "a"\ngroup = "g"\n[[groups]]\nname = "g"\n'
    )
    page = data_report(data, spec)
    assert "No map of grade" in page
    assert "&#x27;p&#x27;" in page


def test_folder_report(tmp_path):
    from growthpole.io import write_csv

    res = kireyeva2018.paper_results()
    write_csv(res.ratings, tmp_path / "ratings.csv")
    write_csv(res.poles, tmp_path / "poles.csv")
    write_csv(res.audit, tmp_path / "audit.csv")
    page = folder_report(tmp_path)
    assert res.summary in page
    assert '<section id="summary">' in page
    assert '<section id="audit">' in page


def test_folder_report_needs_ratings(tmp_path):
    from growthpole.errors import InputError

    with pytest.raises(InputError, match=r"needs ratings\.csv"):
        folder_report(tmp_path)


def test_uncertainty_section_from_a_dominance_case():
    # x beats y on every indicator, so no weighting can change the ranks: x is 1 and y is 2
    # in every replication (intervals of width 0)
    data = pl.DataFrame(
        {
            "region": ["x", "x", "y", "y"],
            "year": [2020] * 4,
            "indicator": ["a", "b", "a", "b"],
            "value": [10.0, 8.0, 5.0, 4.0],
        }
    )
    spec = IndexSpec.from_toml(
        'name = "t"\n[[indicators]]\nname = "a"\ngroup = "g"\n'
        '[[indicators]]\nname = "b"\ngroup = "g"\n[[groups]]\nname = "g"\n'
    )
    page = data_report(data, spec, uncertainty=200)
    section = page[page.index('<section id="uncertainty">') :]
    section = section[: section.index("</section>")]
    assert "200 Monte Carlo replications" in section
    rows = re.findall(r"<tr><td>([xy])</td>(.*?)</tr>", section)
    assert [r[0] for r in rows] == ["x", "y"]
    cells = dict(rows)
    # numeric cells: index, then rank, median, 5 %, 95 %
    assert re.findall(r'data-sort="[^"]*">([^<]*)<', cells["x"])[1:5] == ["1", "1", "1", "1"]
    assert re.findall(r'data-sort="[^"]*">([^<]*)<', cells["y"])[1:5] == ["2", "2", "2", "2"]
    assert page.index('id="uncertainty"') < page.index('id="method"')
