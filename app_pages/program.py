"""Program: one program's S-curve, its status and why, its indicator, budget and reports.

The program is chosen by a selector bound to the URL (``?program=QW24-PERKIM-01``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from components.change_log import edit_notes
from components.charts import picture, s_curve
from components.cite import current_view_url
from components.downloads import data_section
from components.embed_code import embed_code
from components.language import current_language
from components.notices import sample_data_notice
from components.program_picker import program_picker
from components.program_view import (
    headline,
    reports_static_table,
    reports_table,
    source_caption,
    status_explained,
)
from components.progress_cards import dimension_title, stale_mark
from components.sources_panel import failing_sources, source_line
from core.contract import DIMENSIONS
from core.formatting import escape_markdown, long_date, percent
from core.health_rules import stale_programs
from core.i18n import t
from core.map_caption import picture_caption
from core.sitemap import page_path
from core.wilayah import city_today
from data_sources.published.map_data import program_sites
from data_sources.published.stored_history import program_edits
from data_sources.published.tables import page_about, published_tables, rows_frame
from server.pictures import S_CURVE_PICTURE, SITES_PICTURE
from server.portal import get_portal

lang = current_language()
portal = get_portal()
overview = portal.overview()

st.title(t("program.title", lang), anchor=False)
if portal.config.has_sample_sources:
    sample_data_notice(lang)
if not overview.progress:
    st.info(t("overview.empty", lang), icon=":material/info:")
    st.stop()

codes = [p.code for p in overview.progress]
names = {p.code: str(p.program["nama_program"]) for p in overview.progress}
code = program_picker(
    t("program.choose", lang),
    codes,
    lambda c: f"{names[c]} ({c})",
    key="program",
    lang=lang,
    unknown_key="program.unknown",
)
st.query_params["program"] = code  # the view is a link: sharing the URL shows this program
item = overview.program(code)
assert item is not None  # the selector offers only published programs
program = item.program
source = overview.program_source.get(code)

st.header(escape_markdown(str(program["nama_program"])), anchor=False)
# The first screen of a phone says what the page is for: the status and why, then realisation against plan
# (issue 23, item 4); who, when and what the program is come after.
status_explained(item, lang)
headline(item, lang)
source_caption(item, source, lang)
for stale in stale_programs([item], city_today(datetime.now(UTC)), portal.config.health.stale_days):
    st.caption(stale_mark(stale, lang))
# Figures changed after they were published are said in words, with a link to their history.
edit_notes(program_edits(portal.store, portal.memo, code), code, lang)
failing_sources([source] if source else [], lang)
about = [
    next((dimension_title(d, lang) for d in DIMENSIONS if d.canonical == program["dimensi"]), ""),
    escape_markdown(str(program["skpd"])),
    t(
        "program.period",
        lang,
        start=long_date(program["tanggal_mulai"], lang),
        end=long_date(program["tanggal_selesai"], lang),
    ),
]
# One element for what the program is: its dimension, SKPD and period, then its description.
description = escape_markdown(str(program["deskripsi"])) if program.get("deskripsi") else ""
st.markdown("\n\n".join([" · ".join(about), *([description] if description else [])]))
if program.get("tautan"):
    st.link_button(t("program.link", lang), str(program["tautan"]), icon=":material/open_in_new:")
# A resident who knows the program can rate it: the survey opens on this program, in this language.
st.page_link(
    "app_pages/feedback.py",
    label=t("program.survey", lang),
    icon=":material/rate_review:",
    query_params={"program": code, **({"lang": lang} if lang != "id" else {})},
)

reports = overview.reports_of(code)
if reports:
    st.subheader(t("program.curve", lang), anchor=False)
    # A picture the server draws first, with its figures in a table; Plotly (1.4 MB on the wire and seconds of a
    # phone's processor) loads only for a reader who asks for the interactive chart (issue 23).
    if st.toggle(t("chart.interactive", lang), key="s_curve_interactive"):
        # Built once per published data, program and language, and shared by every reader (never changed after).
        curve = portal.remember(("s_curve", code, lang), lambda: s_curve(reports, lang), overview.sources)
        st.plotly_chart(curve, config={"displayModeBar": False})
    else:
        curve_url = page_path(S_CURVE_PICTURE, lang, [("program", code)])
        st.markdown(picture(t("program.curve_alt", lang, program=program["nama_program"]), curve_url))
    # A static table (a few KB of JavaScript, where the interactive grid is 155 KB), drawn only once the reader opens
    # its box: a closed box's table was drawn all the same, a cell at a time (about 0.09 s of a phone's first view).
    box = st.expander(t("program.curve_table", lang), icon=":material/table:", key="s_curve_table", on_change="rerun")
    if box.open:
        box.table(
            {
                t("col.date", lang): [long_date(r["tanggal"], lang) for r in reports],
                t("col.plan", lang): [percent(r["rencana_persen"], lang) for r in reports],
                t("col.actual", lang): [percent(r["realisasi_persen"], lang) for r in reports],
            },
            hide_index=True,
        )
    source_caption(item, source, lang)
    st.subheader(t("program.reports", lang), anchor=False)
    # A static table first; the grid (sorting, search, its own full-screen view) when the reader asks (issue 23).
    if st.toggle(t("table.interactive", lang), key="reports_interactive"):
        reports_table(reports, lang)
    else:
        reports_static_table(reports, lang)
    source_caption(item, source, lang)
# The program's sites as a picture the server draws, with its figures in words: the interactive map (deck.gl,
# 809 KB and seconds of a phone's processor, and a basemap from a third party) is one link away, on /peta.
only_this = program_sites(portal, code)
if only_this.matching_sites or only_this.matching_homes:
    st.subheader(t("program.sites", lang), anchor=False)
    sites_url = page_path(SITES_PICTURE, lang, [("program", code)])
    st.markdown(picture(t("map.picture.alt", lang, program=program["nama_program"]), sites_url))
    st.caption(picture_caption(only_this, lang))
    source_caption(item, source, lang)
    st.page_link(
        "app_pages/map.py",
        label=t("program.full_map", lang),
        icon=":material/map:",
        query_params={"nama_program": code, **({"lang": lang} if lang != "id" else {})},
    )
if source is not None:
    source_line(source, lang)
# For a newsroom or an office: this program's figures as a card on their own page (/embed/program).
title = t("embed.frame_title", lang, program=str(program["nama_program"]), portal=portal.config.title.get(lang))
embed_code(code, title, portal.config.open_data.public_url, lang)
data_section(
    "program",
    f"laporan-{code}",
    lambda: rows_frame("capaian", reports, {source.snapshot_id: source} if source and source.snapshot_id else {}),
    lambda: published_tables(portal),
    page_about(
        portal.config,
        f"{program['nama_program']} ({code})",
        [source] if source else [],
        current_view_url(),
        [item.as_of],
    ),
    portal.config.title.get(lang),
    lang,
    folded=True,
)
