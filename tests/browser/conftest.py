"""Real-browser fixtures: Debian's chromium driven by Playwright (never a downloaded browser).

If chromium or Playwright is missing, every browser test is SKIPPED with the reason (pytest
prints it in the summary: ``-ra``), never silently and never failing CI for that.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip(
            "browser test skipped: Debian's 'chromium' is not installed "
            "(as root: apt-get update && apt-get install -y chromium; `make test` does it)"
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser test skipped: the 'playwright' package is not installed")
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as exc:  # a chromium that cannot start here
            pytest.skip(f"browser test skipped: chromium at {path} does not start ({exc})")
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    ctx.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[str]:
    """``growthpole app`` on a free localhost port; yields its URL, stops it afterwards."""
    _chromium()
    pytest.importorskip("streamlit", reason="browser test skipped: streamlit is not installed")
    port = _free_port()
    log = (tmp_path / "app.log").open("w")
    env = {**os.environ, "HOME": str(tmp_path)}  # no user Streamlit config or credentials
    proc = subprocess.Popen(
        [sys.executable, "-m", "growthpole", "app", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise AssertionError(
                    "the dashboard did not start:\n" + (tmp_path / "app.log").read_text()
                )
            time.sleep(0.5)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


@pytest.fixture
def indicators_csv(tmp_path: Path) -> Path:
    """The paper's six indicators for the 16 regions, 2016 (made up, deterministic)."""
    from growthpole import datasets
    from growthpole.methods import kireyeva2018

    regions = datasets.load("kireyeva2018_table1").filter(pl.col("year") == 2016)
    rows = []
    for i, r in enumerate(regions.sort("region").iter_rows(named=True)):
        for k, ind in enumerate(kireyeva2018.spec().indicator_names):
            value = 10.0 + (7 * i + 13 * k + 5 * i * k) % 90
            rows.append(
                {
                    "region": r["region"],
                    "name": r["name"],
                    "year": 2016,
                    "indicator": ind,
                    "value": value,
                }
            )
    p = tmp_path / "indicators.csv"
    pl.DataFrame(rows).write_csv(p)
    return p
