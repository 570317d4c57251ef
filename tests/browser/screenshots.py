"""Regenerate the screenshots in docs/ (report and dashboard) with Debian's chromium.

Run from the repository root: ``python tests/browser/screenshots.py`` (needs chromium,
playwright and streamlit). Not a test; pytest only imports it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(out: Path = Path("docs")) -> None:
    """Write docs/report-*.png and docs/dashboard-*.png."""
    import polars as pl
    from playwright.sync_api import sync_playwright

    from growthpole import datasets
    from growthpole.io import write_text
    from growthpole.methods import kireyeva2018
    from growthpole.report import paper_report

    tmp = Path(tempfile.mkdtemp(prefix="growthpole-shots-"))
    report = write_text(paper_report(), tmp / "report.html")
    regions = datasets.load("kireyeva2018_table1").filter(pl.col("year") == 2016)
    rows = []
    for i, r in enumerate(regions.sort("region").iter_rows(named=True)):
        for k, ind in enumerate(kireyeva2018.spec().indicator_names):
            rows.append(
                {
                    "region": r["region"],
                    "name": r["name"],
                    "year": 2016,
                    "indicator": ind,
                    "value": 10.0 + (7 * i + 13 * k + 5 * i * k) % 90,
                }
            )
    csv = tmp / "my_regions.csv"
    pl.DataFrame(rows).write_csv(csv)
    port = 8599
    proc = subprocess.Popen(
        [sys.executable, "-m", "growthpole", "app", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
            page = b.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
            page.goto(report.as_uri())
            page.screenshot(path=str(out / "report-summary.png"))
            page.locator("#maps").scroll_into_view_if_needed()
            page.locator("#maps figure.chart").first.screenshot(path=str(out / "report-map.png"))
            page.locator("#charts figure.chart").first.screenshot(
                path=str(out / "report-quadrant.png")
            )
            page.goto(f"http://127.0.0.1:{port}")
            page.locator("[data-growthpole=ranking] tbody tr").first.wait_for(timeout=60_000)
            page.get_by_text("Upload a file (CSV or XLSX)").click()
            page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(
                str(csv)
            )
            page.wait_for_timeout(1500)
            page.locator("[data-testid=stStatusWidget]").wait_for(state="detached")
            page.locator("[data-growthpole=ranking] tbody tr").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(out / "dashboard.png"))
            b.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)


if __name__ == "__main__":
    main()
