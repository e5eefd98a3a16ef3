"""Portal Transparansi Quick Win: entry point with page config, language and navigation."""

from __future__ import annotations

import streamlit as st

from components.language import language_selector
from core.i18n import t
from data_sources.portal import get_portal

st.set_page_config(
    page_title="Portal Transparansi Quick Win Banjarmasin",
    page_icon=":material/account_balance:",
    layout="wide",
)

# Before any page draws: the first start fills an empty store from the configured sources; later,
# a sync older than the interval is redone in the background while pages serve the stored data.
get_portal().sync_in_background_if_due()

lang = language_selector()
pages = [
    st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/dashboard:", default=True),
    st.Page("pages/program.py", title=t("nav.program", lang), icon=":material/timeline:", url_path="program"),
    st.Page("pages/admin.py", title=t("nav.admin", lang), url_path="admin", visibility="hidden"),
]
st.navigation(pages).run()
