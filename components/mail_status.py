"""The admin page's panel of the e-mail notifications to SKPDs: how many wait, failed or went out, and the latest
mails with their state, last error and next attempt.

Never a mail's text: it stays in the store. The recipients are the offices' own addresses from portal.toml, and
the errors are built without secrets (``data_sources/jobs/notify_mail.py``); both are shown as table cells, never
as Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.formatting import date_time, number
from core.i18n import t
from data_sources.store.mail_outbox import MailOutbox

# The latest mails shown: a few syncs' worth for six sources.
RECENT = 20


def mail_status(enabled: bool, outbox: MailOutbox, lang: str, limit: int = RECENT) -> None:
    st.header(t("notify.title", lang), anchor=False)
    if not enabled:
        st.info(t("notify.off", lang), icon=":material/unsubscribe:")
    counts = outbox.counts()
    st.write(
        t(
            "notify.status",
            lang,
            waiting=number(counts.waiting, lang, 0),
            failed=number(counts.failed, lang, 0),
            sent=number(counts.sent, lang, 0),
        )
    )
    if counts.failed:
        st.warning(t("notify.retry", lang), icon=":material/sync_problem:")
    mails = outbox.recent(limit)
    if not mails:
        st.caption(t("notify.empty", lang))
        return
    st.caption(t("notify.recent", lang))
    rows = [
        {
            t("notify.col.created", lang): date_time(m.created_at, lang),
            t("notify.col.source", lang): m.source,
            t("notify.col.recipient", lang): m.recipient,
            t("notify.col.subject", lang): m.subject,
            # A word, never a colour alone.
            t("notify.col.state", lang): t(f"notify.state.{m.state}", lang),
            t("notify.col.attempts", lang): m.attempts,
            t("notify.col.next", lang): date_time(m.next_attempt_at, lang) if m.sent_at is None else "-",
            t("notify.col.sent", lang): date_time(m.sent_at, lang) if m.sent_at is not None else "-",
            t("notify.col.error", lang): m.last_error or "-",
        }
        for m in mails
    ]
    # st.dataframe shows cell text as text, never as markup.
    st.dataframe(pd.DataFrame(rows), hide_index=True)
