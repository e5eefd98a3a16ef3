"""Where the figures come from and how old they are; a failed read shows the age of what is kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import streamlit as st

from core.formatting import age, date_time, escape_markdown
from core.i18n import t
from core.sources import SourceState
from core.text import without_folders


def _when(moment: datetime, lang: str) -> str:
    return f"{date_time(moment, lang)} {t('tz', lang)}"


def failing_sources(states: Sequence[SourceState], lang: str, now: datetime | None = None) -> None:
    """Above the figures, not in a fold: which SKPD's data could not be refreshed, and how old they are."""
    now = now or datetime.now(UTC)
    for state in states:
        if not state.last_attempt_failed or state.last_attempt_at is None:
            continue
        name = escape_markdown(state.skpd or state.name)
        # The public sees the file's name, never the folder the server keeps it in (the admin page does).
        message = escape_markdown(without_folders(state.last_message.get(lang)))
        if state.read_at is not None:
            text = t(
                "sources.failed",
                lang,
                source=name,
                when=_when(state.last_attempt_at, lang),
                message=message,
                age=age(now - state.read_at, lang),
            )
            st.warning(text, icon=":material/sync_problem:")
        else:
            st.error(t("sources.failed_never", lang, source=name, message=message), icon=":material/error:")


def source_line(state: SourceState, lang: str, now: datetime | None = None) -> None:
    """Where and when one source's figures were read, and how many of its rows were published."""
    line = source_words(state, lang, now)
    if line:
        st.caption(line)


def source_words(state: SourceState, lang: str, now: datetime | None = None) -> str:
    """``source_line``'s words (escaped Markdown), or nothing for a source never read."""
    if state.read_at is None:
        return ""
    now = now or datetime.now(UTC)
    return t(
        "sources.ok",
        lang,
        source=escape_markdown(state.skpd or state.name),
        origin=escape_markdown(without_folders(state.origin or "")),
        read=_when(state.read_at, lang),
        age=age(now - state.read_at, lang),
        accepted=state.accepted,
        rejected=state.rejected,
    )


def sources_panel(states: Sequence[SourceState], lang: str, now: datetime | None = None) -> None:
    """Every source with where and when its figures were read, drawn once the reader opens the box (a closed box's
    lines were drawn all the same, on every first view of the home page)."""
    box = st.expander(t("sources.title", lang), icon=":material/database:", key="sources_panel", on_change="rerun")
    if box.open:
        with box:
            for state in states:
                source_line(state, lang, now)
