"""Ikhtisar / Overview: the six dimensions and each program's latest progress against plan."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from components.charts import picture
from components.cite import current_view_url
from components.downloads import data_section
from components.language import current_language
from components.notices import sample_data_notice
from components.progress_cards import dimension_cards, glance, progress_table
from components.sources_panel import failing_sources, sources_panel
from core.formatting import escape_markdown, number
from core.health_rules import stale_by_code
from core.i18n import t
from core.page_summary import data_per
from core.progress import TRACK_ORDER, Track
from core.sitemap import page_path
from core.smart_city_index import SCORES
from core.smart_city_index import SOURCE as INDEX_SOURCE
from core.wilayah import city_today
from data_sources.published.tables import page_about, progress_frame, published_tables
from server.pictures import INDEX_PICTURE, PROGRESS_PICTURE
from server.portal import get_portal

lang = current_language()
portal = get_portal()
overview = portal.overview()

st.title(portal.config.title.get(lang), anchor=False)
if portal.config.has_sample_sources:
    sample_data_notice(lang)
failing_sources(overview.sources, lang)

if not overview.progress:
    st.markdown(t("overview.intro", lang))
    st.info(t("overview.empty", lang), icon=":material/info:")
else:
    counts = {track: sum(1 for p in overview.progress if p.track is track) for track in Track}
    always = (Track.DONE, Track.ON_TRACK, Track.LATE, Track.CRITICAL)
    shown = [track for track in TRACK_ORDER if track in always or counts[track]]
    # Every figure group says what date it describes and where it comes from (issue #26, item 7).
    figures_source = t(
        "overview.figures_source",
        lang,
        data_per=data_per(overview.progress, lang) or t("rule.no_data", lang),
        count=number(len([s for s in overview.sources if s.read_at is not None]), lang, 0),
    )
    # The first screen of a phone shows the programs with their status words (issue 23, item 4): every program in
    # one line or two, then how many have each status and the date the figures describe, in one element.
    st.markdown(glance(overview.progress, shown, counts, figures_source, lang))
    today = city_today(datetime.now(UTC))
    stale = stale_by_code(overview.progress, today, portal.config.health.stale_days)
    dimension_cards(overview.progress, overview.program_source, lang, stale=stale)
    st.header(t("overview.chart", lang), anchor=False)
    # A picture drawn on the server (the same drawing as the link previews), not a chart engine: the home page
    # is the one most residents open on a phone, and Plotly's bundle alone weighs 1.4 MB on the wire. Served at
    # its own address (server/web.py), so it is compressed and cached rather than sent down every websocket.
    chart = picture(t("overview.chart_alt", lang), page_path(PROGRESS_PICTURE, lang))
    st.markdown(f"{chart}\n\n{t('share.plan_tick', lang)}. {figures_source}")
    # Drawn only once the reader opens the box, as on the program page.
    box = st.expander(t("overview.chart_table", lang), icon=":material/table:", key="progress_table", on_change="rerun")
    if box.open:
        with box:
            progress_table(overview.progress, lang)
    data_section(
        "overview",
        "ringkasan-program",
        lambda: progress_frame(overview.progress, overview.program_source),
        lambda: published_tables(portal),
        page_about(
            portal.config,
            t("overview.download_title", lang),
            overview.sources,
            current_view_url(),
            [p.as_of for p in overview.progress],
        ),
        portal.config.title.get(lang),
        lang,
        folded=True,
    )

st.header(t("index.title", lang), anchor=False)
st.markdown(picture(t("index.chart_alt", lang), page_path(INDEX_PICTURE, lang)))
st.table(
    {
        t("index.year", lang): [str(s.year) for s in SCORES],
        t("index.score", lang): [number(s.score, lang) for s in SCORES],
        t("index.note", lang): [escape_markdown(s.note.get(lang)) if s.note else "" for s in SCORES],
    },
    hide_index=True,
)
st.caption(INDEX_SOURCE.get(lang))

sources_panel(overview.sources, lang)
config = portal.config.portal
st.caption(t("footer", lang, licence=config.licence, contact=config.contact or "-"))
