"""The HTML report in a real browser, with the network blocked."""

from __future__ import annotations

import pytest

from growthpole.io import write_text
from growthpole.report import paper_report

pytestmark = pytest.mark.browser


def test_report_works_offline(page, tmp_path):
    path = write_text(paper_report(), tmp_path / "report.html")
    requests: list[str] = []

    def block(route):
        requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    page.context.set_offline(True)
    page.route("**/*", block)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert [u for u in requests if not u.startswith("file://")] == []  # asks for nothing
    first_map = page.locator("#maps figure.chart").first
    regions = first_map.locator("g.region")
    assert regions.count() == 16
    tips = regions.locator("title").all_text_contents()
    assert "Almaty city: A" in tips  # Table 1: Almaty city, 2016, index 76.05 -> A
    box = first_map.bounding_box()
    assert box is not None
    assert box["width"] > 300  # the map is drawn at a readable size
    # the map's regions really render (each region has a painted area)
    sizes = [regions.nth(i).bounding_box() for i in range(16)]
    assert all(s and s["width"] > 0 and s["height"] > 0 for s in sizes)
    assert page.console_errors == []


def test_report_tables_sort(page, tmp_path):
    path = write_text(paper_report(), tmp_path / "report.html")
    page.goto(path.as_uri())
    table = page.locator("#summary table")
    header = table.locator("th", has_text="Innovation index")
    header.locator("button").click()
    values = [float(v) for v in table.locator("tbody tr td:nth-child(2)").all_text_contents()]
    assert values == sorted(values)
    header.locator("button").click()
    values = [float(v) for v in table.locator("tbody tr td:nth-child(2)").all_text_contents()]
    assert values == sorted(values, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    assert page.console_errors == []
