"""Analytics page: how often people decide what the tool recommended (agreement, Cohen's kappa, confusion table)."""

from __future__ import annotations

import streamlit as st

from core.analytics import agreement, agreement_by_profile, charts, views
from core.messages import msg
from pages.shell import analytics_data, page_lang

lang = page_lang()
st.title(msg("an_p_agreement", lang))
data = analytics_data(lang)
st.caption(msg("an_mapping", lang))
result = agreement(data.decisions)
if result.without_tool:
    st.caption(msg("an_without", lang, n=result.without_tool))
if result.n == 0:
    st.info(msg("an_no_decisions", lang))
    st.stop()
n_col, rate_col, kappa_col = st.columns(3)
n_col.metric(msg("an_n", lang), result.n)
rate_col.metric(msg("an_rate", lang), views.percent(result.rate))
kappa_col.metric(msg("an_kappa", lang), msg("an_kappa_undefined", lang) if result.kappa is None else views.ratio(result.kappa))
st.caption(msg("an_expected", lang, expected=views.percent(result.expected)))
left, right = st.columns(2)
left.subheader(msg("an_tool_vs_person", lang))
left.table(views.confusion_table(result, lang).set_index(msg("an_tool_vs_person", lang)))
right.plotly_chart(charts.confusion(result, lang))
st.subheader(msg("an_by_profile", lang))
st.dataframe(views.agreement_table(agreement_by_profile(data.decisions), lang), hide_index=True)
