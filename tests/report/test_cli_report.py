"""``growthpole report`` end to end, and its bad-input messages."""

from __future__ import annotations

import re

import pytest

from growthpole.cli import main


def run(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def _ok(args, capsys):
    try:
        main(args)
    except SystemExit as exc:  # pragma: no cover - shows the error when it fails
        raise AssertionError(capsys.readouterr().err) from exc
    return capsys.readouterr().out


def test_report_demo(tmp_path, capsys):
    out = tmp_path / "report.html"
    text = _ok(["report", "--demo", "--out", str(out)], capsys)
    page = out.read_text(encoding="utf-8")
    assert "self-contained" in text
    shown = int(re.search(r"\((\d+) KiB", text).group(1))
    assert shown == round(len(page.encode()) / 1024)
    assert len(re.findall(r'class="region"><title>', page)) >= 16


def test_report_data_with_spec(tmp_path, capsys, indicators_csv, spec_toml, output_csv):
    out = tmp_path / "r.html"
    _ok(
        [
            "report",
            str(indicators_csv),
            "--spec",
            str(spec_toml),
            "--output",
            str(output_csv),
            "--year",
            "2016",
            "--out",
            str(out),
        ],
        capsys,
    )
    page = out.read_text(encoding="utf-8")
    assert "indicators.csv" in page
    assert "sha256" in page
    assert '<section id="summary">' in page


def test_report_results_folder(tmp_path, capsys):
    folder = tmp_path / "res"
    _ok(["demo", "--out", str(folder)], capsys)
    out = tmp_path / "r.html"
    _ok(["report", str(folder), "--out", str(out)], capsys)
    assert "Reproduction audit" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report"], "nothing to report"),
        (["report", "DATA.csv"], "needs --spec"),
        (["report", "--demo", "--out", "x.pdf"], "ending in .html"),
        (["report", "missing.csv", "--spec", "SPEC"], "spec"),
    ],
)
def test_report_bad_input(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(args, capsys)
    assert code == 2
    assert err.startswith("error:")
    assert message in err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("*.html"))


def test_report_unknown_region_with_boundaries(tmp_path, capsys, spec_toml):
    data = tmp_path / "d.csv"
    rows = ["region,year,indicator,value"]
    for reg, v in (("almaty_city", 2.0), ("atlantis", 1.0)):
        for ind in (
            "labour_productivity",
            "fixed_asset_impact",
            "production_sustainability",
            "rnd_spend_per_employee",
            "tech_innovation_spend_per_employed",
            "innovative_output_per_capita",
        ):
            rows.append(f"{reg},2016,{ind},{v}")
    data.write_text("\n".join(rows) + "\n")
    from growthpole.datasets import path

    code, _o, err = run(
        [
            "report",
            str(data),
            "--spec",
            str(spec_toml),
            "--boundaries",
            str(path("kaz_boundaries")),
            "--out",
            str(tmp_path / "r.html"),
        ],
        capsys,
    )
    assert code == 2
    assert "['atlantis']" in err
    assert "match no boundary feature" in err
    assert not (tmp_path / "r.html").exists()  # nothing written on failure


def test_app_needs_streamlit_or_starts(monkeypatch, capsys):
    import growthpole.cli._report as rep

    monkeypatch.setattr(rep.importlib.util, "find_spec", lambda name: None)
    code, _o, err = run(["app"], capsys)
    # (rich in cli._app.main eats "[app]" as markup; reported to the lead)
    assert code == 2
    assert "pip install" in err
    assert "streamlit" in err


def test_app_flags_bind_localhost():
    from growthpole.cli._report import streamlit_flags

    flags = streamlit_flags("127.0.0.1", 9999)
    assert flags[flags.index("--server.address") + 1] == "127.0.0.1"
    assert flags[flags.index("--server.port") + 1] == "9999"
    assert flags[flags.index("--browser.gatherUsageStats") + 1] == "false"


def test_report_with_uncertainty(tmp_path, capsys, indicators_csv, spec_toml):
    out = tmp_path / "r.html"
    _ok(
        [
            "report",
            str(indicators_csv),
            "--spec",
            str(spec_toml),
            "--uncertainty",
            "100",
            "--out",
            str(out),
        ],
        capsys,
    )
    assert '<section id="uncertainty">' in out.read_text(encoding="utf-8")
    code, _o, err = run(["report", "--demo", "--uncertainty", "-1"], capsys)
    assert code == 2
    assert "replications >= 0" in err
