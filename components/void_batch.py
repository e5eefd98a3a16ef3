"""Voiding a batch of survey responses (admin), and the results page's statement of what was voided.

A scripted browser can stuff the survey within the limits (new sessions, many addresses, one by one). The admin
picks a time window, optionally one program and one address hash, sees who sent how many there, and voids the
batch with a reason. Voided responses leave the index (IKM) and the downloads but stay in the store, listed here
with their void: the audit trail. The reason is data typed by the admin: shown as text, never as Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from core.formatting import date_time, number
from core.i18n import t
from core.survey_summary import OVERALL
from core.wilayah import CITY_TIMEZONE, city_today
from data_sources.store.feedback_store import FeedbackStore

ANY = ""


def _short(key: str | None, lang: str) -> str:
    return key[:12] if key else t("void.unknown_address", lang)


def void_panel(store: FeedbackStore, program_names: Mapping[str, str], lang: str) -> None:
    st.header(t("void.title", lang), anchor=False)
    st.caption(t("void.help", lang))
    today = city_today(datetime.now(UTC))
    left, right = st.columns(2)
    since_day = left.date_input(t("void.from", lang), value=today - timedelta(days=1), key="void_since_day")
    since_time = left.time_input(
        t("void.from", lang), value=time(0, 0), key="void_since_time", label_visibility="hidden"
    )
    until_day = right.date_input(t("void.to", lang), value=today, key="void_until_day")
    until_time = right.time_input(
        t("void.to", lang), value=time(23, 59), key="void_until_time", label_visibility="hidden"
    )
    since = datetime.combine(since_day, since_time, CITY_TIMEZONE).astimezone(UTC)
    # "Until 10:15" includes the minute 10:15 itself.
    until = (datetime.combine(until_day, until_time, CITY_TIMEZONE) + timedelta(minutes=1)).astimezone(UTC)
    names = {ANY: t("void.all_programs", lang), **program_names}
    program = st.selectbox(t("void.program", lang), list(names), format_func=names.__getitem__, key="void_program")
    senders = store.senders(since, until, program or None) if until > since else []
    if senders:
        st.caption(t("void.senders", lang))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("void.address", lang): _short(s["client_key"], lang),
                        t("void.col.count", lang): s["responses"],
                        t("void.col.voided_at", lang): f"{date_time(s['first'], lang)} – {date_time(s['last'], lang)}",
                    }
                    for s in senders
                ]
            ),
            hide_index=True,
        )
    choices = [ANY, *(s["client_key"] for s in senders if s["client_key"])]

    def address_label(key: str) -> str:
        # The hash alone, never its count (the table above has it): Streamlit keeps a choice by its words, and a
        # count that grew while the admin typed the reason ("(6)", then "(7)": the script still sending) made the
        # choice fall back to every address, and the window's genuine responses were voided with the script's.
        return t("void.any_address", lang) if key == ANY else key[:12]

    address = st.selectbox(t("void.address", lang), choices, format_func=address_label, key="void_address")
    with st.form("void_batch"):
        reason = st.text_input(t("void.reason", lang), max_chars=300, key="void_reason")
        sent = st.form_submit_button(t("void.submit", lang), icon=":material/block:")
    if sent:
        if not reason.strip():
            st.error(t("void.need_reason", lang))
        elif until <= since:
            st.error(t("void.bad_window", lang))
        else:
            count = store.void(
                since=since, until=until, reason=reason, program=program or None, client_key=address or None
            )
            if count:
                st.success(t("void.done", lang, count=number(count, lang, 0)), icon=":material/check:")
            else:
                st.info(t("void.none_match", lang), icon=":material/info:")
    past = store.voids()
    if past:
        st.subheader(t("void.past", lang), anchor=False)
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("void.col.voided_at", lang): date_time(v["voided_at"], lang),
                        t("void.col.count", lang): v["count"],
                        t("void.col.window", lang): f"{date_time(v['since'], lang)} – {date_time(v['until'], lang)}",
                        t("void.col.program", lang): names.get(v["program"] or ANY, v["program"]),
                        t("void.col.client_key", lang): (v["client_key"] or "")[:12],
                        t("void.col.reason", lang): v["reason"],
                    }
                    for v in past
                ]
            ),
            hide_index=True,
        )


def voided_notice(voids: Sequence[Mapping[str, Any]], scope: str, lang: str) -> None:
    """On the results page: how many responses of this scope were voided, and each void's reason."""
    shown = []
    for v in voids:
        per_program: Mapping[str, int] = v["per_program"]
        count = sum(per_program.values()) if scope == OVERALL else per_program.get(scope, 0)
        if count:
            shown.append((v, count))
    if not shown:
        return
    total = sum(count for _, count in shown)
    st.caption(t("void.voided_note", lang, count=number(total, lang, 0)))
    for v, count in shown:
        # The reason is the admin's free text: st.text, never Markdown.
        when = date_time(v["voided_at"], lang)
        st.text(t("void.line", lang, when=when, count=number(count, lang, 0)) + str(v["reason"]))
