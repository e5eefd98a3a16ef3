"""The language: it lives in the URL (``?lang=en``), so a link keeps it; the switch is one button, the other language.

The switch was a radio in the sidebar, and the sidebar (its nine page links and the radio) was about 0.5 s of a
phone's blocked main thread on every first view (issue 23: total blocking time on `/` 1.34 -> 0.87 s without it,
Chromium throttled 4x, median of four loads). The pages are now in Streamlit's top navigation (on a phone it folds
into a menu drawn only when opened) and the language is one button naming the other language, which app.py's style
puts in the header's right corner.
"""

from __future__ import annotations

import streamlit as st

from core.i18n import t
from core.text import DEFAULT_LANGUAGE, LANGUAGES

# Each language's name in itself: the reader who needs the switch may not read the page's language.
NAMES = {"id": "Bahasa Indonesia", "en": "English"}
SESSION_KEY = "language"
SWITCH_KEY = "language_switch"  # core.page_html.LANGUAGE_SWITCH_STYLE places it by this key (st-key-…)


def current_language() -> str:
    lang = st.query_params.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def page_language() -> str:
    """This run's language, written back into the address (a copied link keeps it).

    The address says it when it has ``lang``; a page reached through the navigation has none (Streamlit drops the
    query when it switches pages), and then the session's last language holds: a reader who chose English stays in
    English from page to page. An unknown language is said (in both languages) and is Indonesian."""
    asked = st.query_params.get("lang")
    if asked is None:
        lang = st.session_state.get(SESSION_KEY, DEFAULT_LANGUAGE)
    elif asked in LANGUAGES:
        lang = asked
    else:
        # Said in both languages: the reader's language is exactly what is unknown.
        st.info(f"{t('language.unknown', 'id')} / {t('language.unknown', 'en')}", icon=":material/translate:")
        lang = DEFAULT_LANGUAGE
    _keep(lang)
    return lang


def _keep(lang: str) -> None:
    """The session's language, and the address's (Indonesian, the default, is no setting: one address per page)."""
    st.session_state[SESSION_KEY] = lang
    if lang != DEFAULT_LANGUAGE:
        st.query_params["lang"] = lang
    elif "lang" in st.query_params:
        del st.query_params["lang"]


def language_switch(lang: str) -> None:
    """A button that shows this page in the other language: the same run with ``lang`` changed, so every other
    setting of the address and every widget's state is kept. (A link to the same page with the other ``lang`` was
    tried: Streamlit drops a repeated bound parameter, the map's ``status=…&status=…``, when a link opens the page
    it is on.)"""
    other = next(code for code in LANGUAGES if code != lang)
    st.button(NAMES[other], key=SWITCH_KEY, type="tertiary", on_click=_keep, args=(other,))
