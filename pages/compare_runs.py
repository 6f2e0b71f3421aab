"""Streamlit page: past model comparisons from the store, with their tables and charts.

One of the analytics pages (`streamlit run pages/analytics.py`); also runs alone with
`streamlit run pages/compare_runs.py`. Reads the same store as the workbench: HIRELAB_HOME or HIRELAB_DB_URL."""

from __future__ import annotations

import streamlit as st

from core.analytics.views import comparison_runs_table
from core.compare import CompareError, list_runs, load_run
from core.compare import charts, views
from core.messages import msg
from pages.shell import page_lang

st.set_page_config(page_title="hirelab · model comparisons", layout="wide")
lang = page_lang()
st.title(msg("an_p_compare", lang))
runs = list_runs()
if not runs:
    st.info(msg("an_no_compare", lang))
    st.stop()
st.dataframe(comparison_runs_table(runs, lang), hide_index=True)
labels = {r.run_id: views.run_label(r, lang) for r in runs}
run_id = st.selectbox(msg("an_pick_run", lang), list(labels), format_func=labels.__getitem__)
try:
    run = load_run(run_id)
except CompareError as exc:
    st.error(str(exc))
    st.stop()
if run.error:
    st.warning(run.error)
if run.stats is None:
    st.stop()
st.subheader(msg("an_judge_scores", lang))
st.dataframe(views.localized(views.summary_table(run.stats, run.config.models), lang), hide_index=True)
left, right = st.columns(2)
left.plotly_chart(charts.bars(run, lang).update_layout(title=msg("cmp_bars", lang)))
right.plotly_chart(charts.boxes(run, lang).update_layout(title=msg("cmp_boxes", lang)))
st.plotly_chart(charts.runs(run, lang).update_layout(title=msg("cmp_runs", lang)))
st.subheader(msg("cmp_gaps", lang))
st.dataframe(views.localized(views.gap_table(run.stats, lang), lang), hide_index=True)
if run.stats.human_agreement:
    st.subheader(msg("cmp_h_human", lang))
    st.dataframe(views.localized(views.agreement_table(run.stats, human=True), lang), hide_index=True)
