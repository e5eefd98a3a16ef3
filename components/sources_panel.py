"""Where the figures come from and how old they are; a failed read shows the age of what is kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from core.formatting import age, date_time, escape_markdown
from core.i18n import t
from core.sources import SourceState

CITY_TZ = ZoneInfo("Asia/Makassar")


def _when(moment: datetime, lang: str) -> str:
    return f"{date_time(moment.astimezone(CITY_TZ), lang)} {t('tz', lang)}"


def sources_panel(states: Sequence[SourceState], lang: str, now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    with st.expander(t("sources.title", lang), icon=":material/database:"):
        for state in states:
            name = escape_markdown(state.skpd or state.name)
            if state.read_at is not None:
                line = t(
                    "sources.ok",
                    lang,
                    source=name,
                    origin=escape_markdown(state.origin or ""),
                    read=_when(state.read_at, lang),
                    age=age(now - state.read_at, lang),
                    accepted=state.accepted,
                    rejected=state.rejected,
                )
                st.markdown(line)
            if state.last_attempt_failed and state.read_at is not None and state.last_attempt_at is not None:
                st.warning(
                    t(
                        "sources.failed",
                        lang,
                        source=name,
                        when=_when(state.last_attempt_at, lang),
                        message=escape_markdown(state.last_message.get(lang)),
                        age=age(now - state.read_at, lang),
                    ),
                    icon=":material/sync_problem:",
                )
            elif state.read_at is None and state.last_attempt_failed:
                st.error(
                    t("sources.failed_never", lang, source=name, message=escape_markdown(state.last_message.get(lang))),
                    icon=":material/error:",
                )
