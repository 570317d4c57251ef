"""The dashboard's logic without a browser: uploads, settings, analyses, downloads."""

from __future__ import annotations

import io
import zipfile

import polars as pl
import pytest

from growthpole.app import _logic as logic
from growthpole.errors import InputError, SpecError
from growthpole.methods import kireyeva2018


def test_upload_is_parsed_and_errors_name_the_upload():
    t = logic.read_upload("mine.csv", b"region,year,a\nx,2016,1.5\n")
    assert t.rows() == [("x", 2016, 1.5)]
    with pytest.raises(InputError) as exc:
        logic.read_upload("mine.csv", b"")
    assert str(exc.value).startswith("mine.csv: ")
    with pytest.raises(InputError, match=r"unknown file format '\.py'"):
        logic.read_upload("evil.py", b"import os")
    with pytest.raises(InputError, match=r"mine.xlsx: cannot read the file"):
        logic.read_upload("mine.xlsx", b"not a workbook")
    assert logic.error_text(InputError("x", source="a.csv")) == "error: a.csv: x"


def test_weight_change_changes_the_ranking():
    # P: a=10, b=1; Q: a=5, b=4 (the leaders of a and b differ)
    table = pl.DataFrame(
        {
            "region": ["P", "P", "Q", "Q"],
            "year": [2016] * 4,
            "indicator": ["a", "b", "a", "b"],
            "value": [10.0, 1.0, 5.0, 4.0],
        }
    )
    # scores: a: P 100, Q 50; b: P 25, Q 100
    # equal weights: P 62.5, Q 75 -> Q first; weights a=3, b=1: P (300+25)/4 = 81.25,
    # Q (150+100)/4 = 62.5 -> P first
    spec = logic.default_spec(["a", "b"])
    base = logic.analyse_data(table, spec, [2016]).ratings.sort("rank")
    assert base["region"].to_list() == ["Q", "P"]
    assert base["index"].to_list() == pytest.approx([75.0, 62.5])
    heavy = logic.with_settings(spec, weights={"a": 3.0, "b": 1.0})
    moved = logic.analyse_data(table, heavy, [2016]).ratings.sort("rank")
    assert moved["region"].to_list() == ["P", "Q"]
    assert moved["index"].to_list() == pytest.approx([81.25, 62.5])


def test_settings_scale_and_rule():
    spec = kireyeva2018.spec()
    s = logic.with_settings(spec, cutoffs=[10, 20, 30, 45, 55], min_grade="B+", top_share=0.5)
    assert [b.lower for b in s.scale.bands[1:]] == [10, 20, 30, 45, 55]
    assert s.poles.min_grade == "B+"
    assert s.poles.tier_of(0.55) == "high"
    assert s.poles.tier_of(0.3) != "high"
    with pytest.raises(SpecError, match="needs 5 cut-offs"):
        logic.with_settings(spec, cutoffs=[1, 2])
    with pytest.raises(SpecError, match="strictly increasing"):
        logic.with_settings(spec, cutoffs=[10, 5, 30, 45, 55])


def test_paper_analysis_regrades_with_the_scale():
    spec = kireyeva2018.spec()
    a = logic.analyse_paper(spec, [2016])
    assert a.ratings.filter(pl.col("region") == "astana")["grade"].item() == "B+"  # 57.83
    # Table 1: Astana 2016 index 57.83; with A from 55 it becomes A
    s = logic.with_settings(spec, cutoffs=[20, 30, 40, 50, 55])
    b = logic.analyse_paper(s, [2016])
    assert b.ratings.filter(pl.col("region") == "astana")["grade"].item() == "A"
    cands = sorted(a.poles.filter(pl.col("candidate"))["region"].to_list())
    assert cands == ["almaty_city", "astana"]
    # a top tier from 50 % leaves only Almaty city (2016 share 52.7 % of Table 2's sum)
    c = logic.analyse_paper(logic.with_settings(spec, top_share=0.5), [2016])
    assert c.poles.filter(pl.col("candidate"))["region"].to_list() == ["almaty_city"]


def test_downloads():
    a = logic.analyse_paper(kireyeva2018.spec(), [2010, 2016])
    book = zipfile.ZipFile(io.BytesIO(logic.results_workbook(a)))
    sheets = book.read("xl/workbook.xml").decode()
    for name in ("ratings", "specialisation", "poles"):
        assert f'name="{name}"' in sheets
    page = logic.report_html(a, "Test")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Test</title>" in page


def test_xlsx_upload(tmp_path):
    from growthpole.io import write_excel

    t = pl.DataFrame({"region": ["x", "y"], "year": [2016, 2016], "a": [1.5, 2.0]})
    write_excel({"data": t}, tmp_path / "t.xlsx")
    got = logic.read_upload("mine.xlsx", (tmp_path / "t.xlsx").read_bytes())
    assert got.rows() == [("x", 2016, 1.5), ("y", 2016, 2.0)]
