"""Analytics page: per job, resumes screened → advanced by the tool → decided by a person (advance/hold/reject)."""

from __future__ import annotations

import streamlit as st

from core.analytics import charts, funnel, views
from core.messages import msg
from pages.shell import analytics_data, page_lang, profile_picker

lang = page_lang()
st.title(msg("an_p_funnel", lang))
data = analytics_data(lang)
profile = profile_picker(data, lang, "funnel_profile")
rows = funnel(data, profile)
st.caption(msg("an_funnel_note", lang))
if not rows:
    st.info(msg("an_empty", lang))
    st.stop()
row = st.selectbox(msg("an_job", lang), rows, format_func=lambda r: r.job, key="funnel_job")
cols = st.columns(6)
for col, key in zip(cols, ("screened", "tool_advance", "decided", "advance", "hold", "reject")):
    col.metric(msg(f"an_col_{key}", lang), getattr(row, key))
st.plotly_chart(charts.funnel(row, lang))
st.dataframe(views.funnel_table(rows, lang), hide_index=True)
