"""The admin's feedback tools: moderating suggestions, the population per program, the mirror's state.

Suggestions are shown as text elements (``st.text``), never as Markdown or HTML: they are data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from core.formatting import date_time, escape_markdown, number
from core.i18n import t
from data_sources.store.feedback_store import FeedbackStore, OutboxStatus


def moderation_queue(store: FeedbackStore, program_names: Mapping[str, str], lang: str) -> None:
    st.header(t("moderation.title", lang), anchor=False)
    pending = store.suggestions("pending")
    if not pending:
        st.info(t("moderation.none", lang), icon=":material/done_all:")
    else:
        st.caption(t("moderation.waiting", lang, count=number(len(pending), lang, 0)))
    for item in pending:
        with st.container(border=True):
            _heading(item, program_names, lang)
            st.caption(t("moderation.as_written", lang))
            st.text(item["suggestion"])
            st.caption(t("moderation.as_published", lang))
            st.text(item["suggestion_masked"])
            if item["contact"]:
                # Given with consent, for a reply; it is never published.
                st.text(t("moderation.contact", lang, contact=item["contact"]))
            approve, reject = st.columns(2)
            if approve.button(t("moderation.approve", lang), key=f"approve_{item['id']}", icon=":material/check:"):
                _moderate(store, item["id"], "approved")
            if reject.button(t("moderation.reject", lang), key=f"reject_{item['id']}", icon=":material/block:"):
                _moderate(store, item["id"], "rejected")
    done = st.session_state.pop("moderation_done", None)
    if done:
        st.success(t("moderation.done", lang, id=done[0], status=t(f"moderation.status.{done[1]}", lang)))
    approved = store.suggestions("approved")
    with st.expander(t("moderation.approved_list", lang, count=len(approved))):
        for item in approved:
            _heading(item, program_names, lang)
            st.text(item["suggestion_masked"])
            if st.button(t("moderation.withdraw", lang), key=f"withdraw_{item['id']}", icon=":material/undo:"):
                _moderate(store, item["id"], "rejected")


def _heading(item: Mapping[str, Any], program_names: Mapping[str, str], lang: str) -> None:
    program = program_names.get(item["program"], item["program"])
    st.text(t("moderation.item", lang, id=item["id"], program=program, when=date_time(item["created_at"], lang)))


def _moderate(store: FeedbackStore, response_id: str, status: str) -> None:
    store.moderate(response_id, status)
    st.session_state["moderation_done"] = (response_id, status)
    st.rerun()


def population_settings(store: FeedbackStore, program_names: Mapping[str, str], lang: str) -> None:
    st.header(t("population.title", lang), anchor=False)
    st.caption(t("population.help", lang))
    current = store.populations()
    with st.form("populations"):
        chosen = {
            code: st.number_input(
                name, min_value=0, max_value=10_000_000, step=1, value=current.get(code, 0), key=f"population_{code}"
            )
            for code, name in program_names.items()
        }
        if st.form_submit_button(t("population.save", lang), icon=":material/save:"):
            for code, value in chosen.items():
                store.set_population(code, int(value) or None)
            st.success(t("population.saved", lang), icon=":material/check:")


def mirror_panel(configured: bool, status: OutboxStatus, lang: str) -> bool:
    """The mirror's state; True when the admin asks to send now."""
    st.header(t("mirror.title", lang), anchor=False)
    if not configured:
        st.info(t("mirror.off", lang), icon=":material/info:")
        return False
    st.write(
        t("mirror.status", lang, mirrored=number(status.mirrored, lang, 0), waiting=number(status.waiting, lang, 0))
    )
    if status.last_error:
        st.warning(t("mirror.error", lang, error=escape_markdown(status.last_error)), icon=":material/sync_problem:")
    return st.button(t("mirror.now", lang), icon=":material/cloud_upload:")
