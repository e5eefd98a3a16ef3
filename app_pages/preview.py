"""Pratinjau: an SKPD checks a draft sheet and sees it as the public would, before it goes live.

Nothing is stored: the published snapshot is not touched, and an uploaded file lives only in memory
for this page run.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from components.charts import s_curve
from components.check_report import counts_line, formula_notice, issues_table, planned_notes
from components.language import current_language, keep_choices
from components.map_deck import site_deck
from components.program_view import headline, status_explained
from components.progress_cards import dimension_cards
from core.formatting import escape_markdown
from core.health_rules import stale_by_code
from core.i18n import t
from core.site_map import MapFilter
from core.wilayah import city_today
from data_sources.files.sheet_template import template_bytes
from data_sources.published.draft_preview import Preview, preview_sheet, preview_upload
from data_sources.published.map_data import configured_view
from data_sources.readers.protocol import SourceUnreadable
from server.portal import get_portal

TEMPLATE_FILE = "templat-sheet-skpd.xlsx"

lang = current_language()
portal = get_portal()
config = portal.config

st.title(t("preview.title", lang), anchor=False)
st.markdown(t("preview.intro", lang))
# The clerk's first step: the official template (made only when clicked; nothing about the reader goes in it).
st.download_button(
    t("preview.template", lang),
    template_bytes,
    file_name=TEMPLATE_FILE,
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon=":material/download:",
    help=t("preview.template_help", lang),
    key="preview_template",
)

keep_choices(["preview_way"])  # "Unggah berkas .xlsx" / "Upload an .xlsx file"
way = st.radio(
    t("preview.way", lang),
    ["upload", "sheet"],
    format_func=lambda w: t(f"preview.way.{w}", lang),
    horizontal=True,
    key="preview_way",
)
preview: Preview | None = None
try:
    if way == "upload":
        mb = config.preview.max_upload_mb
        uploaded = st.file_uploader(
            t("preview.upload", lang, mb=mb), type=["xlsx"], max_upload_size=mb, key="preview_file"
        )
        if uploaded is not None:
            preview = preview_upload(config, uploaded.getvalue(), uploaded.name, city_today(datetime.now(UTC)))
    else:
        with st.form("preview_sheet"):
            url = st.text_input(t("preview.sheet", lang), placeholder="https://docs.google.com/spreadsheets/d/…")
            asked = st.form_submit_button(t("preview.read", lang), icon=":material/visibility:")
        if asked and url.strip():
            with st.spinner(t("preview.reading", lang)):
                preview = preview_sheet(config, url, city_today(datetime.now(UTC)))
except SourceUnreadable as problem:
    st.error(problem.text.get(lang), icon=":material/error:")

if preview is not None:
    result = preview.result
    st.info(t("preview.nothing_stored", lang), icon=":material/visibility:")
    formula_notice(preview.formulas, preview.more_formulas, lang)
    st.header(t("preview.report", lang), anchor=False)
    counts_line(result, lang)
    issues_table(result.issues, lang)
    planned_notes(preview.notes, lang)

    st.header(t("preview.public_view", lang), anchor=False)
    progress = preview.progress
    if not progress:
        st.info(t("preview.no_programs", lang), icon=":material/info:")
    else:
        # The stale mark too: a draft whose last report is old shows it as the public card would.
        stale = stale_by_code(progress, preview.today, config.health.stale_days)
        # Only the dimensions the draft has: five empty cards would push the clerk's own below the fold.
        dimension_cards(progress, {}, lang, links=False, stale=stale, only_with_programs=True)
        for item in progress:
            with st.expander(escape_markdown(str(item.program["nama_program"])), icon=":material/timeline:"):
                status_explained(item, lang)
                headline(item, lang)
                reports = preview.reports_of(item.code)
                if reports:
                    st.plotly_chart(s_curve(reports, lang), config={"displayModeBar": False}, key=f"curve_{item.code}")
        sites, homes = preview.sites()
        if sites or homes:
            st.header(t("map.title", lang), anchor=False)
            # The public map's limits, so the clerk sees the map exactly as residents will.
            view = configured_view(config, sites, homes, MapFilter())
            st.pydeck_chart(site_deck(view, lang, height=420, basemap=config.map.basemap), key="preview_map")
