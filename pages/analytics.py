"""hirelab analytics: `streamlit run pages/analytics.py` (reads the same store as the workbench: HIRELAB_HOME or
HIRELAB_DB_URL). Every figure is computed in ``core.analytics``; these pages only lay it out."""

from __future__ import annotations

import streamlit as st

from core.messages import msg
from pages.shell import language_selector

st.set_page_config(page_title="hirelab analytics", layout="wide")
lang = language_selector()
st.navigation([
    st.Page("job_funnel.py", title=msg("an_p_funnel", lang), default=True),
    st.Page("score_distributions.py", title=msg("an_p_scores", lang), url_path="scores"),
    st.Page("flags_overview.py", title=msg("an_p_flags", lang), url_path="flags"),
    st.Page("tool_vs_people.py", title=msg("an_p_agreement", lang), url_path="agreement"),
    st.Page("training_runs.py", title=msg("an_p_training", lang), url_path="training"),
    st.Page("compare_runs.py", title=msg("an_p_compare", lang), url_path="comparisons"),
    st.Page("audit_log.py", title=msg("an_p_audit", lang), url_path="audit"),
]).run()
