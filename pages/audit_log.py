"""Streamlit page: the append-only audit log (who did what, when, with which profile and prompt), filtered by action."""

from __future__ import annotations

import streamlit as st

from core.analytics import views
from core.messages import msg
from core.services.audit import ACTIONS, list_audit
from pages.shell import page_lang

lang = page_lang()
st.title(msg("an_p_audit", lang))
st.caption(msg("an_audit_intro", lang))
action = st.selectbox(msg("an_audit_filter", lang), [None, *ACTIONS],
                      format_func=lambda a: msg("an_all_actions", lang) if a is None else views.action_label(a, lang))
entries = list_audit(limit=500, action=action)
if not entries:
    st.info(msg("an_no_audit", lang))
    st.stop()
st.dataframe(views.audit_table(entries, lang), hide_index=True)
