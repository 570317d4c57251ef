"""The dashboard in a real browser: upload, weights, map, table, downloads."""

from __future__ import annotations

import polars as pl
import pytest

from growthpole import rate
from growthpole.methods import kireyeva2018

pytestmark = pytest.mark.browser

TIMEOUT = 60_000


def _map_tips(page):
    return page.locator("[data-growthpole=map] g.region title").all_text_contents()


def _table_regions(page):
    return page.locator("[data-growthpole=ranking] tbody tr td:first-child").all_text_contents()


def _wait_idle(page):
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(500)
    page.locator("[data-testid=stStatusWidget]").wait_for(state="detached", timeout=TIMEOUT)


def _expected_order(csv, spec):
    data = pl.read_csv(csv)
    names = dict(data.select("region", "name").unique().iter_rows())
    r = rate(data.drop("name"), spec).sort(["rank", "region"])
    return [names[x] for x in r["region"]]


def test_dashboard_upload_weights_download(page, dashboard, indicators_csv, tmp_path):
    page.goto(dashboard)
    page.locator("[data-growthpole=map] g.region").first.wait_for(state="attached", timeout=TIMEOUT)
    page.locator("[data-growthpole=ranking] tbody tr").first.wait_for(timeout=TIMEOUT)
    _wait_idle(page)
    assert page.locator("[data-growthpole=map] g.region").count() == 16
    paper_tips = _map_tips(page)
    paper_table = _table_regions(page)
    assert paper_table[0] == "Almaty city"  # Table 1, 2016: Almaty city leads with 76.05

    # upload a CSV: the table and the map change to the uploaded data's ratings
    page.get_by_text("Upload a file (CSV or XLSX)").click()
    page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(
        str(indicators_csv)
    )
    spec = kireyeva2018.spec()
    expected = _expected_order(indicators_csv, spec)
    page.wait_for_function(
        "(first) => { const c = document.querySelector("
        "'[data-growthpole=ranking] tbody tr td:first-child'); return c && c.textContent === first; }",
        arg=expected[0],
        timeout=TIMEOUT,
    )
    _wait_idle(page)
    assert _table_regions(page) == expected
    tips = _map_tips(page)
    assert len(tips) == 16
    assert tips != paper_tips

    # a weight change changes the ranking: only innovative activity counts
    heavy = spec.with_weights({"innovative_susceptibility": 0.0})
    expected2 = _expected_order(indicators_csv, heavy)
    assert expected2 != expected  # the test data makes the weights matter
    field = page.get_by_label("group innovative_susceptibility")
    field.fill("0")
    field.press("Enter")
    page.wait_for_function(
        "(order) => Array.from(document.querySelectorAll("
        "'[data-growthpole=ranking] tbody tr td:first-child')).map(c => c.textContent)"
        ".join('|') === order",
        arg="|".join(expected2),
        timeout=TIMEOUT,
    )
    assert _table_regions(page) == expected2

    # downloads return the files
    _wait_idle(page)
    with page.expect_download(timeout=TIMEOUT) as dl:
        page.get_by_role("button", name="Ratings (CSV)").click()
    got = tmp_path / "ratings.csv"
    dl.value.save_as(got)
    ratings = pl.read_csv(got)
    assert ratings.height == 16
    assert {"region", "year", "index", "grade", "rank"} <= set(ratings.columns)
    top = ratings.sort("rank")["name"][0]
    assert top == expected2[0]

    page.get_by_role("button", name="Build the report").click()
    with page.expect_download(timeout=TIMEOUT) as dl2:
        page.get_by_role("button", name="Report (HTML)").click(timeout=TIMEOUT)
    report = tmp_path / "report.html"
    dl2.value.save_as(report)
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert page.console_errors == []


def test_dashboard_bad_file_shows_the_cli_message(page, dashboard, tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,indicator,value\nakmola,2016,labour_productivity,abc\n")
    spec = tmp_path / "spec.toml"
    spec.write_text(kireyeva2018.spec().to_toml())
    cli = subprocess.run(
        [sys.executable, "-m", "growthpole", "report", "bad.csv", "--spec", "spec.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 2
    line = " ".join(cli.stderr.split())
    assert line == "error: bad.csv, column 'value', row 1: expected a number, got 'abc'"
    page.goto(dashboard)
    page.get_by_text("Upload a file (CSV or XLSX)").click(timeout=TIMEOUT)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(str(bad))
    alert = page.locator("[data-testid=stAlertContentError]")
    alert.wait_for(timeout=TIMEOUT)
    assert " ".join(alert.inner_text().split()) == line  # the same message as the CLI
