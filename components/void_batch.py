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
from core.survey_summary import OVERALL
from core.text import Text
from core.wilayah import CITY_TIMEZONE, city_today
from data_sources.store.feedback_store import FeedbackStore

ANY = ""
TITLE = Text("Batalkan sekumpulan tanggapan", "Void a batch of responses")
HELP = Text(
    "Untuk isian massal oleh skrip: pilih rentang waktu (WITA), bila perlu satu program dan satu hash alamat, lalu "
    "tulis alasannya. Tanggapan yang dibatalkan keluar dari IKM dan unduhan, tetapi tetap tersimpan untuk audit; "
    "halaman hasil menyebut jumlah dan alasannya.",
    "For scripted stuffing: choose a time window (WITA), optionally one program and one address hash, and write "
    "the reason. Voided responses leave the IKM and the downloads but stay stored for the audit; the results page "
    "states how many and why.",
)
FROM = Text("Dari (WITA)", "From (WITA)")
TO = Text("Sampai (WITA, termasuk menit ini)", "Until (WITA, this minute included)")
PROGRAM = Text("Program", "Program")
ALL_PROGRAMS = Text("Semua program", "Every program")
ADDRESS = Text("Hash alamat", "Address hash")
ANY_ADDRESS = Text("Semua alamat", "Every address")
SENDERS = Text("Pengirim di rentang ini, terbanyak dulu", "Senders in this window, busiest first")
UNKNOWN = Text("(alamat tidak diketahui)", "(address unknown)")
REASON = Text("Alasan (tampil di halaman hasil)", "Reason (shown on the results page)")
SUBMIT = Text("Batalkan tanggapan ini", "Void these responses")
NEED_REASON = Text("Tulis alasannya dulu.", "Write the reason first.")
BAD_WINDOW = Text("Akhir rentang harus setelah awalnya.", "The window must end after it starts.")
NONE_MATCH = Text("Tidak ada tanggapan yang cocok; tidak ada yang dibatalkan.", "No response matches; nothing voided.")
DONE = Text("{count} tanggapan dibatalkan.", "{count} responses voided.")
PAST = Text("Pembatalan sebelumnya (audit)", "Earlier voids (audit)")
COLUMNS = {
    "voided_at": Text("waktu", "when"),
    "count": Text("tanggapan", "responses"),
    "window": Text("rentang", "window"),
    "program": Text("program", "program"),
    "client_key": Text("hash alamat", "address hash"),
    "reason": Text("alasan", "reason"),
}
VOIDED_NOTE = Text(
    "{count} tanggapan dibatalkan admin dan tidak dihitung dalam IKM ini. Alasannya:",
    "{count} responses were voided by the admin and are not counted in this IKM. Why:",
)
VOID_LINE = Text("{when}, {count} tanggapan: ", "{when}, {count} responses: ")


def _short(key: str | None, lang: str) -> str:
    return key[:12] if key else UNKNOWN.get(lang)


def void_panel(store: FeedbackStore, program_names: Mapping[str, str], lang: str) -> None:
    st.header(TITLE.get(lang), anchor=False)
    st.caption(HELP.get(lang))
    today = city_today(datetime.now(UTC))
    left, right = st.columns(2)
    since_day = left.date_input(FROM.get(lang), value=today - timedelta(days=1), key="void_since_day")
    since_time = left.time_input(FROM.get(lang), value=time(0, 0), key="void_since_time", label_visibility="hidden")
    until_day = right.date_input(TO.get(lang), value=today, key="void_until_day")
    until_time = right.time_input(TO.get(lang), value=time(23, 59), key="void_until_time", label_visibility="hidden")
    since = datetime.combine(since_day, since_time, CITY_TIMEZONE).astimezone(UTC)
    # "Until 10:15" includes the minute 10:15 itself.
    until = (datetime.combine(until_day, until_time, CITY_TIMEZONE) + timedelta(minutes=1)).astimezone(UTC)
    names = {ANY: ALL_PROGRAMS.get(lang), **program_names}
    program = st.selectbox(PROGRAM.get(lang), list(names), format_func=names.__getitem__, key="void_program")
    senders = store.senders(since, until, program or None) if until > since else []
    if senders:
        st.caption(SENDERS.get(lang))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        ADDRESS.get(lang): _short(s["client_key"], lang),
                        COLUMNS["count"].get(lang): s["responses"],
                        COLUMNS["voided_at"].get(lang): f"{date_time(s['first'], lang)} – {date_time(s['last'], lang)}",
                    }
                    for s in senders
                ]
            ),
            hide_index=True,
        )
    counts = {s["client_key"]: s["responses"] for s in senders if s["client_key"]}
    choices = [ANY, *counts]

    def address_label(key: str) -> str:
        if key == ANY:
            return ANY_ADDRESS.get(lang)
        return f"{key[:12]} ({number(counts[key], lang, 0)})"

    address = st.selectbox(ADDRESS.get(lang), choices, format_func=address_label, key="void_address")
    with st.form("void_batch"):
        reason = st.text_input(REASON.get(lang), max_chars=300, key="void_reason")
        sent = st.form_submit_button(SUBMIT.get(lang), icon=":material/block:")
    if sent:
        if not reason.strip():
            st.error(NEED_REASON.get(lang))
        elif until <= since:
            st.error(BAD_WINDOW.get(lang))
        else:
            count = store.void(
                since=since, until=until, reason=reason, program=program or None, client_key=address or None
            )
            if count:
                st.success(DONE.get(lang).format(count=number(count, lang, 0)), icon=":material/check:")
            else:
                st.info(NONE_MATCH.get(lang), icon=":material/info:")
    past = store.voids()
    if past:
        st.subheader(PAST.get(lang), anchor=False)
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        COLUMNS["voided_at"].get(lang): date_time(v["voided_at"], lang),
                        COLUMNS["count"].get(lang): v["count"],
                        COLUMNS["window"].get(lang): f"{date_time(v['since'], lang)} – {date_time(v['until'], lang)}",
                        COLUMNS["program"].get(lang): names.get(v["program"] or ANY, v["program"]),
                        COLUMNS["client_key"].get(lang): (v["client_key"] or "")[:12],
                        COLUMNS["reason"].get(lang): v["reason"],
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
    st.caption(VOIDED_NOTE.get(lang).format(count=number(total, lang, 0)))
    for v, count in shown:
        # The reason is the admin's free text: st.text, never Markdown.
        when = date_time(v["voided_at"], lang)
        st.text(VOID_LINE.get(lang).format(when=when, count=number(count, lang, 0)) + str(v["reason"]))
