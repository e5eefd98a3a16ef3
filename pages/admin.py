"""Admin: sync status per source and a "sync now" button, behind the password in secrets.toml.

Hidden from the navigation; the Smart City team opens it at /admin.
"""

from __future__ import annotations

import streamlit as st

from components.admin import admin_signed_in, sync_results, sync_status_table
from components.language import current_language
from core.i18n import t
from data_sources.portal import get_portal

lang = current_language()
st.title(t("admin.title", lang), anchor=False)

if admin_signed_in(lang):
    portal = get_portal()
    sync_status_table(portal.source_states(), lang)
    if st.button(t("admin.sync_now", lang), icon=":material/sync:", type="primary"):
        with st.spinner(t("admin.syncing", lang)):
            outcomes = portal.sync_now()
        if outcomes is None:
            st.info(t("admin.busy", lang), icon=":material/hourglass_top:")
        else:
            sync_results(outcomes, lang)
