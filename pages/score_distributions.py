"""Analytics page: fit-score distributions per job and per model profile."""

from __future__ import annotations

import streamlit as st

from core.analytics import charts, scores_by_job, scores_by_profile, views
from core.messages import msg
from pages.shell import analytics_data, page_lang, profile_picker

lang = page_lang()
st.title(msg("an_p_scores", lang))
data = analytics_data(lang)
st.caption(msg("an_scores_note", lang))
st.subheader(msg("an_by_job", lang))
profile = profile_picker(data, lang, "scores_profile")
by_job = scores_by_job(data, profile)
st.metric(msg("an_col_resumes", lang), sum(s.n for s in by_job))
left, right = st.columns(2)
left.plotly_chart(charts.score_boxes(by_job, "an_box_job", lang))
right.plotly_chart(charts.score_histogram(by_job, lang))
st.dataframe(views.scores_table(by_job, "job", lang), hide_index=True)
st.subheader(msg("an_by_profile", lang))
by_profile = scores_by_profile(data)
st.plotly_chart(charts.score_boxes(by_profile, "an_box_profile", lang))
st.dataframe(views.scores_table(by_profile, "profile", lang), hide_index=True)
