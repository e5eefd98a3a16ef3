"""Tentang / About: what the portal is, where the data come from and how often, how status is computed."""

from __future__ import annotations

import streamlit as st

from components.language import current_language
from components.notices import sample_data_notice
from components.sources_panel import source_words
from core.data_dictionary import dictionary_rows
from core.formatting import contact_markdown, escape_markdown
from core.i18n import t
from server.log_routes import verifier_key
from server.portal import get_portal

lang = current_language()
portal = get_portal()
config = portal.config

st.title(t("about.title", lang), anchor=False)
if config.has_sample_sources:
    sample_data_notice(lang)
st.markdown(t("about.what", lang))

st.header(t("about.sources", lang), anchor=False)
st.markdown(t("about.sources_text", lang, minutes=config.sync.interval_minutes))
# Every source's line in one caption: one element instead of one per source (issue 23).
lines = [line for state in portal.source_states() if (line := source_words(state, lang))]
if lines:
    st.caption("  \n".join(lines))

st.header(t("about.status", lang), anchor=False)
st.markdown(t("about.status_text", lang))

st.header(t("about.privacy", lang), anchor=False)
st.markdown(t("about.privacy_text", lang))

st.header(t("about.licence", lang), anchor=False)
st.markdown(
    t(
        "about.licence_text",
        lang,
        licence=escape_markdown(config.portal.licence),
        url=config.portal.licence_url,
        contact=contact_markdown(config.portal.contact or "-"),
    )
)

# The signed log: what it proves, and the verifier key a journalist keeps to check it later (issue 24). The same
# words as the page's HTML (server.pages.log_paragraphs).
st.header(t("about.log", lang), anchor=False)
st.markdown(t("about.log_text", lang))
key = verifier_key()
if key is None:
    st.info(t("about.log_unsigned", lang))
else:
    # Plain text, not st.code: its syntax highlighter (514 KB) and monospace web font (90 KB) would load on /tentang
    # for one line (issue 23). Escaped: a key is our own text, but base64 may hold characters Markdown reads.
    st.markdown(f"{t('about.log_key', lang)}\n\n{escape_markdown(key)}")

# The data dictionary: generated from the sheet contract, so it always matches what is published.
st.header(t("dictionary.title", lang), anchor=False)
st.caption(t("dictionary.intro", lang))
# Its 57 rows are sent when the reader asks for them: a phone then neither downloads the grid's code nor draws it
# for a reader who came to read the page (issue 23).
if st.toggle(t("dictionary.show", lang), key="about_dictionary"):
    st.dataframe(dictionary_rows(lang), hide_index=True)
