"""Kesehatan Data / Data health: per SKPD source, how its last reads went and what was rejected.

Public by default (transparency about data quality is part of the point); ``[health] public =
false`` puts it behind the admin password. The SKPD filter lives in the URL (``?skpd=...``,
repeatable), so each office can bookmark its own view.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from components.admin_console import admin_signed_in
from components.health_report import (
    has_issues_shown,
    oc4ids_prefix_warning,
    skpd_filter,
    source_section,
    summary,
)
from components.language import current_language
from components.notices import sample_data_notice
from core.formatting import number
from core.health_rules import stale_programs
from core.i18n import t
from core.wilayah import city_today
from data_sources.published.sync_health import sources_health
from server.portal import get_portal

lang = current_language()
portal = get_portal()
settings = portal.config.health

st.title(t("health.title", lang), anchor=False)
if not settings.public:
    if not st.session_state.get("admin_signed_in"):
        st.info(t("health.private", lang), icon=":material/lock:")
    if not admin_signed_in(lang, portal.config, portal.login_attempts, portal.admin_sessions):
        st.stop()

if portal.config.has_sample_sources:
    sample_data_notice(lang)
st.markdown(t("health.intro", lang))


def open_data_note() -> None:
    """The OC4IDS placeholder's warning, at the end of the page: a note for data users, after what the page is for
    (drawn at the top it was the phone's largest paint, at 6.6 s, issue 23); shown with or without sources."""
    oc4ids_prefix_warning(portal.config.open_data.oc4ids_prefix, portal.config.open_data.enabled, lang)


sources = sources_health(portal)
if not sources:
    st.info(t("health.no_sources", lang), icon=":material/info:")
    open_data_note()
    st.stop()

overview = portal.overview()
stale = stale_programs(overview.progress, city_today(datetime.now(UTC)), settings.stale_days)
# Which source published each program: its stale programs are listed in that source's section.
owner = {code: state.name for code, state in overview.program_source.items()}

chosen = skpd_filter(sources, lang)
shown = [s for s in sources if not chosen or s.label in chosen]
shown_names = {s.name for s in shown}
summary(shown, [p for p in stale if owner.get(p.code) in shown_names], lang)
st.caption(t("health.stale_rule", lang, days=number(settings.stale_days, lang, 0)))

# Each source's issues are a static table first; the grid (sorting, search, full screen) when the reader asks, with
# one toggle for the page: the grid and what it loads are about 210 KB, which kept a phone's time to interactive over
# 10 s (issue 23). Only where some source shown has issues to show.
interactive = any(has_issues_shown(s) for s in shown) and st.toggle(
    t("table.interactive", lang), key="health_interactive"
)
now = datetime.now(UTC)
for source in shown:
    mine = [p for p in stale if owner.get(p.code) == source.name]
    source_section(source, mine, settings.stale_days, lang, now, interactive=interactive)
open_data_note()
