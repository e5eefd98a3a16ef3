"""The language: it lives in the URL (``?lang=en``), so a link keeps it; the switch is one button, the other language.

The switch was a radio in the sidebar, and the sidebar (its nine page links and the radio) was about 0.5 s of a
phone's blocked main thread on every first view (issue 23: total blocking time on `/` 1.34 -> 0.87 s without it,
Chromium throttled 4x, median of four loads). The pages are now in Streamlit's top navigation (on a phone it folds
into a menu drawn only when opened) and the language is one button naming the other language, which app.py's style
puts in the header's right corner.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from core.i18n import t
from core.text import DEFAULT_LANGUAGE, LANGUAGES

# Each language's name in itself: the reader who needs the switch may not read the page's language.
NAMES = {"id": "Bahasa Indonesia", "en": "English"}
SESSION_KEY = "language"
SWITCH_KEY = "language_switch"  # core.page_html.LANGUAGE_SWITCH_STYLE places it by this key (st-key-…)
# The language the button switched from: set by its click, moved at the next run's start to the key of that run.
_SWITCHED_FROM = "language_switched_from"
_SWITCHED_FROM_THIS_RUN = "language_switched_from_this_run"


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
    st.session_state[_SWITCHED_FROM_THIS_RUN] = st.session_state.pop(_SWITCHED_FROM, None)
    _keep(lang)
    return lang


def switched_from() -> str | None:
    """In the run the language button started, the language it switched from; in every other run None."""
    return st.session_state.get(_SWITCHED_FROM_THIS_RUN)


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
    st.button(NAMES[other], key=SWITCH_KEY, type="tertiary", on_click=_switch, args=(lang, other))


def _switch(current: str, other: str) -> None:
    st.session_state[_SWITCHED_FROM] = current
    _keep(other)


def keep_choices(keys: Iterable[str]) -> str | None:
    """Keep the choices of these widgets, drawn in the run before, across a press of the language button; call it
    before they are drawn.

    A choice's widget value is its option's words ("4 · Sangat mudah"), and after a switch Streamlit looked for the
    old words among the new ones ("4 · Very easy") and dropped the choice. At the start of the run the button
    started, the value is still read with the old words, so it is set again here and drawn in the new ones. Returns
    the language switched from in that run, else None. A choice inside a form that was not yet sent is only in the
    browser, and cannot be kept: the caller says so.
    """
    before = switched_from()
    if before is None:
        return None
    for key in keys:
        if st.session_state.get(key) is not None:
            st.session_state[key] = st.session_state[key]
    return before
