"""The language switch: the chosen language lives in the URL (``?lang=en``), so a link keeps it."""

from __future__ import annotations

import streamlit as st

from core.i18n import t
from core.text import DEFAULT_LANGUAGE, LANGUAGES

_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def current_language() -> str:
    lang = st.query_params.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def language_selector() -> str:
    asked = st.query_params.get("lang")
    if asked is not None and asked not in LANGUAGES:
        # Said in both languages: the reader's language is exactly what is unknown.
        st.info(f"{t('language.unknown', 'id')} / {t('language.unknown', 'en')}", icon=":material/translate:")
    lang = current_language()
    chosen = st.sidebar.radio(
        f"{t('language', 'id')} / {t('language', 'en')}",
        LANGUAGES,
        index=LANGUAGES.index(lang),
        format_func=_NAMES.__getitem__,
        key="language",
    )
    if chosen != DEFAULT_LANGUAGE:
        st.query_params["lang"] = chosen
    elif "lang" in st.query_params:
        del st.query_params["lang"]
    return chosen
