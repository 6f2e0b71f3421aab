"""Streamlit page: past model comparisons from the store, with their tables and charts.

Run with `streamlit run pages/compare_runs.py` (reads the same store as the workbench: HIRELAB_HOME or
HIRELAB_DB_URL)."""

from __future__ import annotations

import streamlit as st

from core.compare import CompareError, list_runs, load_run
from core.compare import charts, views

st.set_page_config(page_title="hirelab · model comparisons", layout="wide")
st.title("Model comparisons")
runs = list_runs()
if not runs:
    st.info("No comparison runs yet. Run one in the workbench (Compare models tab) or with `hirelab compare`.")
    st.stop()
st.dataframe(runs, hide_index=True)
labels = {r["run_id"]: views.run_label(r) for r in runs}
run_id = st.selectbox("Run", list(labels), format_func=labels.__getitem__)
try:
    run = load_run(run_id)
except CompareError as exc:
    st.error(str(exc))
    st.stop()
if run.error:
    st.warning(run.error)
if run.stats is None:
    st.stop()
st.subheader("Judge scores (mean ± σ [95% interval])")
st.dataframe(views.summary_table(run.stats, run.config.models), hide_index=True)
left, right = st.columns(2)
left.plotly_chart(charts.bars(run))
right.plotly_chart(charts.boxes(run))
st.plotly_chart(charts.runs(run))
st.subheader("Gaps between models (%)")
st.dataframe(views.gap_table(run.stats), hide_index=True)
if run.stats.human_agreement:
    st.subheader("Agreement with human scores")
    st.dataframe(views.agreement_table(run.stats, human=True), hide_index=True)
