"""The "cite this" box of a page: a line to copy, with a link to this exact view."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from core.citation import citation, view_url
from core.i18n import t
from core.wilayah import CITY_TIMEZONE


def _page_url() -> str:
    try:
        url = st.context.url
    except Exception:  # no browser connection (bare mode)
        url = None
    return url if isinstance(url, str) and url else "http://localhost:8501/"


def cite_this(title: str, portal: str, data_per: datetime | None, lang: str) -> None:
    """The text is shown in a code block: one click copies it, and nothing in it is read as markup."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    url = view_url(_page_url(), params)
    text = citation(title, portal, url, data_per, datetime.now(CITY_TIMEZONE).date(), lang)
    with st.expander(t("cite.title", lang), icon=":material/format_quote:"):
        st.code(text, language=None, wrap_lines=True)
