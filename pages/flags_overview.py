"""Analytics page: red flags, hidden text and instruction-like text, per job."""

from __future__ import annotations

import streamlit as st

from core.analytics import charts, flag_kinds, flags_by_job, views
from core.messages import msg
from pages.shell import analytics_data, page_lang

lang = page_lang()
st.title(msg("an_p_flags", lang))
data = analytics_data(lang)
st.caption(msg("an_flags_note", lang))
rows = flags_by_job(data)
cols = st.columns(5)
for col, key in zip(cols, ("resumes", "with_red_flags", "hidden_text", "instruction_text", "unverified")):
    col.metric(msg(f"an_col_{key}", lang), sum(getattr(r, key) for r in rows))
st.plotly_chart(charts.flags(rows, lang))
st.dataframe(views.flags_table(rows, lang), hide_index=True)
kinds = flag_kinds(data)
if kinds:
    st.plotly_chart(charts.flag_kinds(kinds, lang))
else:
    st.info(msg("an_no_flags", lang))
