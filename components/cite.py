"""The "cite this" box of a page: a line to copy, with a link to this exact view."""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from core.citation import citation_markdown, view_url
from core.i18n import t
from core.wilayah import CITY_TIMEZONE


def page_url() -> str:
    """The address this page was opened at, without its parameters; localhost's where no browser sent one (bare
    mode, AppTest: Streamlit then answers None)."""
    url = st.context.url
    return url if isinstance(url, str) and url else "http://localhost:8501/"


def current_view_url() -> str:
    """This page's address with the parameters of the view (program, filters, language)."""
    return view_url(page_url(), {key: st.query_params.get_all(key) for key in st.query_params})


def cite_this(title: str, portal: str, data_per: date | None, lang: str) -> None:
    """``data_per``: the newest report date the page shows (not the time the portal read the sheets).

    The text is shown as a quotation to select and copy; the title and the rest are escaped, so nothing in
    them is read as markup, and the view's URL is a link whose text is that URL exactly (the escaping of sheet
    text puts an invisible word joiner into "http://", which a pasted address cannot carry).

    Not a code block: its copy button costs every page Streamlit's syntax highlighter (514 KB on the wire)."""
    today = datetime.now(CITY_TIMEZONE).date()
    text = citation_markdown(title, portal, current_view_url(), data_per, today, lang)
    with st.expander(t("cite.title", lang), icon=":material/format_quote:"):
        st.markdown("> " + text)
