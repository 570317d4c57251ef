"""The growthpole dashboard (a Streamlit script): ``growthpole app`` starts it on localhost.

Pick the embedded paper data or upload a CSV/XLSX (parsed, never executed), choose the
years, edit weights, scale cut-offs and the pole rule, and see the map, the quadrant and
the ranking update; download the results (CSV, XLSX) and the self-contained report.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from growthpole.app import _logic as logic
from growthpole.errors import GrowthpoleError
from growthpole.report import charts
from growthpole.report.html import table_html

PAPER = "Embedded: Kireyeva et al. (2018), Kazakhstan"
UPLOAD = "Upload a file (CSV or XLSX)"


def _svg(fig: Any, test_id: str) -> None:
    svg = charts.to_svg(fig)
    st.markdown(
        f'<div data-growthpole="{test_id}" style="max-width:900px">{svg}</div>',
        unsafe_allow_html=True,
    )


def _fail(exc: Exception) -> None:
    st.error(logic.error_text(exc))
    st.stop()


def main() -> None:
    """Lay out the page (Streamlit re-runs this on every interaction)."""
    st.set_page_config(page_title="growthpole", page_icon=None, layout="wide")
    st.markdown(
        "<style>[data-growthpole=ranking] table{font-size:.85rem;border-collapse:collapse}"
        "[data-growthpole=ranking] td,[data-growthpole=ranking] th{padding:3px 8px}"
        "[data-growthpole=ranking] tr.hl td{background:#fdf0e6;font-weight:600}"
        "[data-growthpole=ranking] td.num{text-align:right}"
        "[data-growthpole=ranking] td:last-child{min-width:22rem}</style>",
        unsafe_allow_html=True,
    )
    st.header("growthpole — which regions can carry a new industry cluster?")

    # -- data --------------------------------------------------------------------------------
    with st.sidebar:
        st.header("Data")
        choice = st.radio("Source", [PAPER, UPLOAD], key="source")
        table = output = None
        spec = None
        upload_name = ""
        if choice == UPLOAD:
            up = st.file_uploader(
                "Indicators: region, year, indicator, value (long) or one column per indicator",
                type=list(logic.UPLOAD_TYPES),
                key="upload",
            )
            spec_up = st.file_uploader("Spec (TOML, optional)", type=["toml"], key="spec_upload")
            out_up = st.file_uploader(
                "Industry output: region, year, value (optional)",
                type=list(logic.UPLOAD_TYPES),
                key="output_upload",
            )
            use_paper_output = st.checkbox(
                "No output file: use the paper's IT output (Table 2) for Kazakhstan regions",
                value=True,
                key="paper_output",
            )
            if up is None:
                st.info("Upload a table to start; or pick the embedded data.")
                st.stop()
            upload_name = up.name
            try:
                table = logic.read_upload(up.name, up.getvalue())
                if spec_up is not None:
                    spec = logic.spec_from_upload(spec_up.name, spec_up.getvalue())
                if out_up is not None:
                    output = logic.read_upload(out_up.name, out_up.getvalue())
                elif use_paper_output:
                    from growthpole import datasets

                    output = datasets.load("kireyeva2018_table2").drop("industry")
                if spec is None:
                    from growthpole.io import to_long

                    inds = to_long(table, source=up.name)["indicator"].unique().sort().to_list()
                    spec = logic.default_spec(inds)
                years_all = (
                    sorted(int(y) for y in table["year"].drop_nulls().unique().to_list())
                    if "year" in table.columns
                    else []
                )
            except GrowthpoleError as exc:
                _fail(exc)
        else:
            from growthpole.methods import kireyeva2018

            spec = kireyeva2018.spec()
            years_all = [2010, 2016]

        st.header("Years")
        years = st.multiselect(
            "Years to rate", years_all, default=years_all, key=f"years_{choice}_{upload_name}"
        )
        if not years and years_all:
            st.warning("Choose at least one year.")
            st.stop()

        assert spec is not None
        st.header("Weights")
        weights: dict[str, float] = {}
        if choice == PAPER:
            st.caption(
                "The paper publishes only its index, not the six indicators: weights cannot "
                "change it. Upload indicator data to edit weights."
            )
        else:
            for ind in spec.indicators:
                weights[ind.name] = st.number_input(
                    f"{ind.name}",
                    min_value=0.0,
                    value=float(ind.weight),
                    step=0.5,
                    key=f"w_{ind.name}",
                )
            top_groups = [g for g in spec.groups if g.parent == spec.index_name]
            if len(top_groups) > 1:
                for g in top_groups:
                    weights[g.name] = st.number_input(
                        f"group {g.name}",
                        min_value=0.0,
                        value=float(g.weight),
                        step=0.1,
                        key=f"g_{g.name}",
                    )

        st.header("Scale and rule")
        labels = spec.scale.labels
        default_cuts = ", ".join(f"{b.lower:g}" for b in spec.scale.bands[1:])
        cuts_text = st.text_input(
            f"Scale cut-offs for {' / '.join(labels[1:])}", value=default_cuts, key="cutoffs"
        )
        min_grade = st.selectbox(
            "Minimum grade of a candidate",
            labels[::-1],
            index=labels[::-1].index(spec.poles.min_grade),
            key="min_grade",
        )
        top = min(t.lower for t in spec.poles.tiers if t.name in spec.poles.top_tiers)
        top_share = st.number_input(
            "Top specialisation tier from share (%)",
            min_value=0.0,
            max_value=100.0,
            value=float(top * 100),
            step=1.0,
            key="top_share",
        )

    # -- analysis ----------------------------------------------------------------------------
    try:
        cuts = [float(c) for c in cuts_text.replace(";", ",").split(",") if c.strip()]
    except ValueError:
        _fail(
            GrowthpoleError(
                f"scale cut-offs must be numbers separated by commas; got {cuts_text!r}"
            )
        )
    try:
        settings = logic.with_settings(
            spec,
            weights=weights or None,
            cutoffs=cuts,
            min_grade=min_grade,
            top_share=top_share / 100,
        )
        if choice == PAPER:
            analysis = logic.analyse_paper(settings, years)
        else:
            assert table is not None  # an upload is required above
            analysis = logic.analyse_data(table, settings, years, output=output, source=upload_name)
    except GrowthpoleError as exc:
        _fail(exc)

    year = st.selectbox("Year shown on the map and the quadrant", analysis.years[::-1], key="year")
    ratings = analysis.ratings
    label = "name" if "name" in ratings.columns else "region"
    now = ratings.filter(pl.col("year") == year).sort("rank")
    poles_now = (
        analysis.poles.filter(pl.col("year") == year) if analysis.poles is not None else None
    )
    n_cand = int(poles_now["candidate"].sum()) if poles_now is not None else 0
    c1, c2, c3 = st.columns(3)
    c1.metric("Regions rated", now.height)
    c2.metric("Growth-pole candidates", n_cand if poles_now is not None else "no output data")
    c3.metric("Leader", str(now[label][0]) if now.height else "-")

    left, right = st.columns(2)
    with left:
        try:
            _svg(charts.choropleth(ratings, "grade", year=year, scale=settings.scale), "map")
        except GrowthpoleError as exc:
            st.warning(f"No map: {exc}")
    with right:
        if analysis.poles is not None:
            _svg(
                charts.quadrant(
                    analysis.poles, year=year, rule=settings.poles, scale=settings.scale
                ),
                "quadrant",
            )
        else:
            st.info("Upload an industry output table to see the growth-pole quadrant.")

    st.subheader(f"Ranking, {year}")
    cols = [label, "index", "grade", "rank"] + [
        g.name for g in settings.groups if g.name in ratings.columns
    ]
    shown = now.select(["region"] + [c for c in cols if c in now.columns and c != "region"])
    if poles_now is not None:
        shown = shown.join(
            poles_now.select("region", "share_of_national", "candidate", "reason"),
            on="region",
            how="left",
        )
    if label != "region":
        shown = shown.drop("region")
    st.markdown(
        f'<div data-growthpole="ranking">'
        f"{table_html(shown, highlight='candidate', sortable=False)}</div>",
        unsafe_allow_html=True,
    )

    st.subheader("Download")
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        "Ratings (CSV)",
        ratings.write_csv(),
        file_name="ratings.csv",
        mime="text/csv",
        key="dl_csv",
    )
    d2.download_button(
        "Results (XLSX)",
        logic.results_workbook(analysis),
        file_name="results.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dl_xlsx",
    )
    state = repr((settings, analysis.years, upload_name, choice))
    if d3.button("Build the report", key="build_report"):
        st.session_state["report"] = logic.report_html(analysis, "Growth-pole analysis")
        st.session_state["report_state"] = state
    if "report" in st.session_state and st.session_state.get("report_state") == state:
        d3.download_button(
            "Report (HTML)",
            st.session_state["report"],
            file_name="report.html",
            mime="text/html",
            key="dl_report",
        )


if __name__ == "__main__":
    main()
