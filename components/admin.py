"""Pieces of the admin page: the sign-in, the sync status table, the result of a manual sync."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from typing import Protocol

import pandas as pd
import streamlit as st

from core.formatting import date_time, number
from core.i18n import t
from core.sources import SourceState
from core.text import Text


def _configured_password() -> str | None:
    try:
        return str(st.secrets["admin"]["password"]) or None
    except (KeyError, FileNotFoundError, AttributeError):
        return None
    except Exception:
        return None


def admin_signed_in(lang: str) -> bool:
    """True once this session gave the password in ``[admin] password`` of secrets.toml."""
    if st.session_state.get("admin_signed_in"):
        return True
    expected = _configured_password()
    if expected is None:
        st.info(t("admin.disabled", lang), icon=":material/lock:")
        return False
    with st.form("admin_sign_in"):
        given = st.text_input(t("admin.password", lang), type="password")
        submitted = st.form_submit_button(t("admin.sign_in", lang))
    if submitted:
        # compare_digest: the time taken does not tell how much of the password was right.
        if hmac.compare_digest(given.encode(), expected.encode()):
            st.session_state["admin_signed_in"] = True
            st.rerun()
        st.error(t("admin.wrong_password", lang), icon=":material/error:")
    return False


def sync_status_table(states: Sequence[SourceState], lang: str) -> None:
    rows = [
        {
            t("admin.col.source", lang): s.name,
            t("admin.col.skpd", lang): s.skpd,
            t("admin.col.last", lang): date_time(s.last_attempt_at, lang) if s.last_attempt_at else "-",
            t("admin.col.outcome", lang): t(f"admin.outcome.{s.last_outcome}", lang) if s.last_outcome else "-",
            t("admin.col.requests", lang): s.last_requests,
            t("admin.col.bytes", lang): number(s.last_bytes, lang, 0),
            t("admin.col.duration", lang): number(s.last_duration_ms, lang, 0),
            t("admin.col.message", lang): s.last_message.get(lang),
        }
        for s in states
    ]
    # st.dataframe shows cell text as text, never as markup.
    st.dataframe(pd.DataFrame(rows), hide_index=True)


class _Outcome(Protocol):
    source: str
    outcome: str
    message: Text | None


def sync_results(outcomes: Sequence[_Outcome], lang: str) -> None:
    for o in outcomes:
        if o.outcome == "failed":
            st.error(f"{o.source}: {o.message.get(lang) if o.message else ''}", icon=":material/error:")
        else:
            st.success(f"{o.source}: {t('admin.outcome.' + o.outcome, lang)}", icon=":material/check:")
