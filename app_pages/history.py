"""Riwayat / History: every figure of a program as published over time, what changed between two dates,
and every figure changed after publication.

The view is a URL: ``?program=QW24-PERKIM-01&dari=2024-06-01&sampai=2024-09-30&berubah=ya``. Each date
means the data as published at the end of that day (WITA).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import urljoin

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.change_log import (
    changed_only,
    changes_list,
    changes_summary,
    edit_notes,
    edits_list,
    values_static_table,
    values_table,
    versions_chart,
    versions_table,
)
from components.charts import picture
from components.cite import current_view_url
from components.downloads import data_section
from components.language import current_language
from components.notices import sample_data_notice
from components.program_picker import program_picker
from core.atom_feed import FEED_PATH
from core.formatting import escape_markdown, long_date
from core.i18n import t
from core.sitemap import page_path
from core.typed_date import Problem, parse_day, read_day, typed
from core.wilayah import city_today
from data_sources.jobs.sample_history import HISTORY_FOLDER
from data_sources.published.stored_history import load_history
from data_sources.published.tables import comparison_frame, page_about, published_tables
from server.pictures import VERSIONS_PICTURE
from server.portal import get_portal

lang = current_language()
portal = get_portal()

st.title(t("history.title", lang), anchor=False)
if portal.config.has_sample_sources:
    sample_data_notice(lang)
# The feed of these changes, for newsrooms: an address on this same host, in the reader's language. Body text, not a
# caption: a link in a caption is drawn faded, below the contrast a reader needs. One element with the introduction.
feed = t("history.feed", lang, url=urljoin(current_view_url(), page_path(FEED_PATH, lang)))
st.markdown(f"{t('history.intro', lang)}\n\n{feed}")

history = load_history(portal.store, portal.memo)
if not history.snapshots or history.first_day is None or history.last_day is None:
    st.info(t("history.none", lang), icon=":material/info:")
    st.stop()
if any(s.origin.startswith(f"{HISTORY_FOLDER}/") for s in history.snapshots):
    st.caption(t("history.sample", lang))

names = history.program_names()

# -- one program's figures over time -------------------------------------------------------------
st.header(t("history.program.title", lang), anchor=False)
# Programs in the order the portal shows them, then any that are no longer published.
current = [p.code for p in portal.overview().progress]
codes = [c for c in current if c in names] + sorted(set(names) - set(current))
code = program_picker(
    t("history.program.choose", lang),
    codes,
    lambda c: f"{names[c]} ({c})",
    key="history_program",
    lang=lang,
    unknown_key="history.program.unknown",
)
st.query_params["program"] = code
edit_notes(history.edits_of(code), code, lang, history_link=False)

versions = history.realisation_versions(code)
if versions:
    st.markdown(f"**{t('history.program.chart', lang)}**")
    # A picture the server draws first, with its figures in a table; Plotly loads only for a reader who asks for the
    # interactive chart (issue 23).
    if st.toggle(t("chart.interactive", lang), key="history_interactive"):
        st.plotly_chart(versions_chart(versions, lang), config={"displayModeBar": False})
    else:
        chart_url = page_path(VERSIONS_PICTURE, lang, [("program", code)])
        st.markdown(picture(t("history.program.chart_alt", lang, program=names[code]), chart_url))
    st.caption(t("history.program.chart_caption", lang))
    versions_table(versions, lang)

only_changed = st.toggle(
    t("history.program.filter_changed", lang),
    value=st.query_params.get("berubah") == "ya",
    key="history_changed_only",
)
if only_changed:
    st.query_params["berubah"] = "ya"
elif "berubah" in st.query_params:
    del st.query_params["berubah"]
entries = history.value_history(code)
shown = changed_only(entries) if only_changed else entries
# A static table first; the grid (sorting, search, every value) when the reader asks (issue 23), as on the program page.
if st.toggle(t("table.interactive", lang), key="history_values_interactive"):
    values_table(shown, lang)
else:
    values_static_table(shown, lang)
st.caption(t("history.program.table_caption", lang))

# -- what changed between two dates --------------------------------------------------------------
st.header(t("history.compare.title", lang), anchor=False)
st.caption(t("history.compare.intro", lang))
first_day, last_day = history.first_day, history.last_day
latest_allowed = max(last_day, city_today(datetime.now(UTC)))


# Dates are typed into text inputs, read by core.typed_date: Streamlit's date input applies a typed date only when
# focus leaves it (not on Enter or Tab) and tells a date out of range in English only (see core.typed_date).
_PROBLEM_KEYS = {
    Problem.UNREADABLE: "history.compare.bad_date",
    Problem.TOO_EARLY: "history.compare.too_early",
    Problem.TOO_LATE: "history.compare.too_late",
}


def _day_input(column: DeltaGenerator, name: str, label: str, default: date) -> date:
    """A date box showing the date in the URL (``name``), or ``default``; the date it holds, kept within the
    history, with a note beneath it when that is not the date typed. Enter and Tab apply it."""
    raw = st.query_params.get(name)
    in_url = parse_day(raw) if raw is not None else None
    text = column.text_input(
        label,
        value=typed(in_url) if in_url else (raw[:40] if raw is not None else typed(default)),
        placeholder=t("history.compare.placeholder", lang),
        key=f"history_{name}",
    )
    reading = read_day(text, default, first_day, latest_allowed)
    if reading.problem is not None:
        column.info(
            t(
                _PROBLEM_KEYS[reading.problem],
                lang,
                value=escape_markdown(text.strip()[:40]),
                used=long_date(reading.day, lang),
                first=long_date(first_day, lang),
                last=long_date(latest_allowed, lang),
            ),
            icon=":material/info:",
        )
    return reading.day


left, right = st.columns(2)
first = _day_input(left, "dari", t("history.compare.from", lang), first_day)
second = _day_input(right, "sampai", t("history.compare.to", lang), last_day)
st.query_params["dari"], st.query_params["sampai"] = first.isoformat(), second.isoformat()
if first > second:
    st.info(
        t("history.compare.reversed", lang, from_=long_date(first, lang), to=long_date(second, lang)),
        icon=":material/swap_horiz:",
    )
    first, second = second, first

changed = history.changes_between(first, second)
if not changed:
    st.info(
        t("history.compare.none", lang, from_=long_date(first, lang), to=long_date(second, lang)),
        icon=":material/info:",
    )
else:
    st.markdown(changes_summary(changed, first, second, lang))
    lines = history.comparison(first, second)
    for sheet, key in (
        ("program", "history.compare.programs"),
        ("capaian", "history.compare.reports"),
        ("lokasi", "history.compare.sites"),
    ):
        if mine := [line for line in lines if line.sheet == sheet]:
            st.markdown(f"**{t(key, lang)}**")
            changes_list(mine, names, lang)

# -- every figure changed after publication ------------------------------------------------------
st.header(t("history.edits.title", lang), anchor=False)
st.caption(t("history.edits.intro", lang))
if history.edits:
    edits_list(history.edits, names, lang)
else:
    st.info(t("history.edits.none", lang), icon=":material/info:")

# What is downloaded is what the comparison above shows (its lines, in its order), with source and dates: not the
# program's values (they stay on screen and in the open-data riwayat.csv).
states = portal.source_states()
compared = history.comparison(first, second)
data_section(
    "history",
    f"riwayat-perubahan-{first.isoformat()}-{second.isoformat()}",
    lambda: comparison_frame(compared, names, states, first, second),
    lambda: published_tables(portal),
    page_about(
        portal.config,
        t("history.download_title", lang, from_=long_date(first, lang), to=long_date(second, lang)),
        [s for s in states if s.read_at is not None],
        current_view_url(),
        # "Data per" as everywhere: the newest date the compared figures describe.
        [line.data_per for line in compared],
    ),
    portal.config.title.get(lang),
    lang,
    folded=True,
)
