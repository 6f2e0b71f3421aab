"""Analytics page: fine-tuning runs (SFT, GRPO) from the store, with a run's loss and reward curve."""

from __future__ import annotations

import streamlit as st

from core.analytics import charts, load_training_runs, views
from core.messages import msg
from pages.shell import page_lang

lang = page_lang()
st.title(msg("an_p_training", lang))
runs = load_training_runs()
if not runs:
    st.info(msg("an_no_training", lang))
    st.stop()
st.metric(msg("an_p_training", lang), len(runs))
st.dataframe(views.training_table(runs, lang), hide_index=True)
run = st.selectbox(msg("an_pick_run", lang), runs, format_func=lambda r: views.training_run_label(r, lang))
fig = charts.training_curve(run.path, lang)
if fig is None:
    st.info(msg("an_no_metrics", lang))
else:
    st.plotly_chart(fig)
