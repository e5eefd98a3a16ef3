"""Portal Transparansi Quick Win: the entry point, ``streamlit run app.py``.

Streamlit finds ``app`` below (an ``st.App``) and serves it: its own server, plus the portal's routes and
middleware (``server.web``: robots.txt, sitemap.xml, compressed text assets). Each reader's session then runs
this same file as its script, where ``__name__`` is "__main__": page config, language and navigation.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from components.language import language_switch, page_language
from core.i18n import t
from core.page_html import LANGUAGE_SWITCH_STYLE
from data_sources.jobs.publish_open_data import URL_PATH
from server.portal import get_portal, store_failed

logger = logging.getLogger("portal")
ICON = Path(__file__).parent / "assets" / "portal_icon.png"

# Tap targets at least 24 x 24 px (WCAG 2.2, 2.5.8), found too small on a phone (issue #26): the survey's options
# (22 px tall), a chosen filter's remove "x" (15 x 7), the password field's eye (32 x 16), and links inside text
# such as the licence's "CC BY 4.0" (19 px; the padding widens what a finger hits without moving the lines).
# The program page's static reports table keeps its note column (the last) readable on a phone: squeezed to its
# longest word, the note made every row a dozen lines tall; the table scrolls sideways instead (its links make it
# reachable by keyboard). /riwayat's static values table has no link: on a phone it must fit the screen (a region
# that scrolls with nothing to focus fails axe), so its snapshot number, an identifier the grid shows, is hidden
# there, and a long value (an address) breaks anywhere.
# The health page's static issues tables (in each source's section, keyed health_source_<name>): the message (the
# third column) is what a clerk acts on, never squeezed to its longest word; a long address in it, or in the column
# or the value, breaks anywhere rather than widen the table; on a phone the column and the value (the last two,
# which the message mostly quotes) are hidden, so the table fits the screen: a sideways-scrolling table without a
# link in it is a region a keyboard cannot reach (axe).
# The language button (components/language.py) sits in the header's right corner, over Streamlit's empty header bar
# (its toolbar is "minimal"), so it costs the first screen no line and is where bilingual sites keep it. The page's
# head has the same rules (core.page_html.LANGUAGE_SWITCH_STYLE), which apply before this style arrives.
TAP_TARGETS = (
    "<style>\n"
    + LANGUAGE_SWITCH_STYLE
    + """
[data-testid="stRadioOption"] { min-height: 24px; }
[data-testid="stMultiSelectTagsContainer"] button { min-width: 24px; min-height: 24px; }
[data-testid="stTextInputRootElement"] button { min-width: 24px; min-height: 24px; }
[data-testid="stApp"] :is(p, li) a { padding-block: 3px; }
.st-key-program_reports tr > :last-child { min-width: 12rem; }
.st-key-history_values tr > :nth-child(3) * { overflow-wrap: anywhere; }
[class*="st-key-health_source_"] [data-testid="stTable"] tr > :nth-child(3) { min-width: 10rem; }
[class*="st-key-health_source_"] [data-testid="stTable"] tr > :nth-child(n+3) * { overflow-wrap: anywhere; }
@media (max-width: 640px) {
  [class*="st-key-health_source_"] [data-testid="stTable"] tr > :nth-child(n+4) { display: none; }
  .st-key-history_values tr > :nth-child(5) { display: none; }
}
</style>"""
)


def main() -> None:
    """One script run: page config, language, navigation, then the chosen page."""
    st.set_page_config(
        page_title="Portal Transparansi Quick Win Banjarmasin",
        # A file of ours: a Material icon here is fetched by every browser from fonts.gstatic.com (a console
        # error wherever Google is out of reach). assets/portal_icon.png is that icon (account_balance, U+E84F,
        # from Streamlit's icon font) drawn white on the portal's blue, 64 x 64.
        page_icon=str(ICON),
        layout="wide",
    )
    # Only a style: Streamlit applies it without drawing anything. Our own fixed text, no data in it.
    st.html(TAP_TARGETS)

    lang = page_language()
    # The folder is app_pages/, not pages/: Streamlit takes a pages/ folder beside the main script for its older
    # automatic navigation, and a first visit to /program then ran that page's file alone (no language, no
    # navigation, the raw file names in the sidebar).
    pages = [
        st.Page("app_pages/overview.py", title=t("nav.overview", lang), default=True),
        st.Page("app_pages/program.py", title=t("nav.program", lang), url_path="program"),
        st.Page("app_pages/map.py", title=t("nav.map", lang), url_path="peta"),
        st.Page("app_pages/history.py", title=t("nav.history", lang), url_path="riwayat"),
        st.Page("app_pages/feedback.py", title=t("nav.feedback", lang), url_path="survei"),
        st.Page(
            "app_pages/survey_results.py",
            title=t("nav.survey_results", lang),
            url_path="hasil-survei",
        ),
        st.Page("app_pages/preview.py", title=t("nav.preview", lang), url_path="pratinjau"),
        st.Page(
            "app_pages/health.py",
            title=t("nav.health", lang),
            url_path="kesehatan-data",
        ),
        st.Page("app_pages/about.py", title=t("nav.about", lang), url_path="tentang"),
        st.Page("app_pages/admin.py", title=t("nav.admin", lang), url_path="admin", visibility="hidden"),
    ]
    try:
        # Before any page draws: the first start fills an empty store from the configured sources;
        # later, a sync older than the interval runs in the background while pages serve stored data.
        try:
            get_portal().sync_in_background_if_due()
        except Exception as exc:
            if not store_failed(exc):
                raise
            # The store cannot be read (checked and logged): each page still runs and says what it can; the
            # survey keeps taking responses into its spool.
        # At the top, not in the sidebar, and without icons: the sidebar (these links and the language radio it
        # held) was about 0.5 s of a phone's blocked main thread on every first view, the icons 0.1-0.2 s more
        # (issue 23, components/language.py). On a phone the top navigation folds into a menu.
        page = st.navigation(pages, position="top")
        language_switch(lang)
        page.run()
    except Exception as exc:
        # The public gets a short message; the details go to the server log, never to the page.
        logger.exception("page failed")
        if store_failed(exc):
            store_unavailable(lang)
        else:
            st.error(t("error.apology", lang), icon=":material/sentiment_dissatisfied:")


def store_unavailable(lang: str) -> None:
    """What a reader sees when the store cannot be read: a plain statement and the last open-data files."""
    st.warning(t("store_down.notice", lang), icon=":material/cloud_off:")
    # The open-data files the last sync wrote: the store is not needed to serve them (Streamlit serves static/).
    links = (
        ("capaian.csv", t("store_down.file.capaian", lang)),
        ("program.csv", t("store_down.file.program", lang)),
        ("lokasi.csv", t("store_down.file.lokasi", lang)),
        ("riwayat.csv", t("store_down.file.riwayat", lang)),
        ("index.json", t("store_down.file.index", lang)),
    )
    # Fixed text and the portal's own paths only: nothing from the store or a sheet reaches this markdown.
    st.markdown("\n".join(f"- [{label}]({URL_PATH}/{name})" for name, label in links))


if __name__ == "__main__":
    main()
else:
    # `streamlit run app.py` imports this module to find the ASGI app it serves.
    from server.tcp_nodelay import lifespan
    from server.web import middleware, routes

    # The lifespan's startup turns Nagle's algorithm off on the server's socket (server.tcp_nodelay).
    app = st.App(__file__, routes=routes(), middleware=middleware(), lifespan=lifespan)
