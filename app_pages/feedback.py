"""Survei: the residents' satisfaction questionnaire (SKM), per Quick Win program or in general.

A response is committed to the store before the thank-you, and the thank-you shows its id.
The program is chosen outside the form, in the URL (``?program=``), so the questions name it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from components.client import client_address, session_id
from components.feedback_form import clear_form, feedback_form
from components.language import current_language
from components.notices import sample_data_notice
from components.program_picker import program_picker
from core.feedback_rules import check_form
from core.formatting import escape_markdown
from core.i18n import t
from core.survey import GENERAL
from server.portal import Portal, get_portal, spool_only_feedback, store_failed

lang = current_language()
portal: Portal | None
try:
    portal = get_portal()
    feedback = portal.feedback
except Exception as exc:
    if not store_failed(exc):
        raise
    # The store does not even open (logged for the admin): the form still works, and responses are spooled.
    portal = None
    feedback = spool_only_feedback()
settings = feedback.config.feedback
questionnaire = feedback.questionnaire

st.title(questionnaire.title.get(lang), anchor=False)
if not settings.enabled:
    st.info(t("feedback.closed", lang), icon=":material/info:")
    st.stop()
if feedback.config.has_sample_sources:
    sample_data_notice(lang)
st.markdown(escape_markdown(questionnaire.intro.get(lang)))

names = {GENERAL: questionnaire.general_choice.get(lang)}
store_down = portal is None
if portal is not None:
    try:
        names.update({p.code: str(p.program["nama_program"]) for p in portal.overview().progress})
    except Exception as exc:
        if not store_failed(exc):
            raise
        store_down = True
if store_down:
    # The store cannot be read (logged for the admin): a general response can still be given, and it goes to
    # the spool until the store is back.
    st.info(t("feedback.store_down", lang), icon=":material/cloud_off:")
codes = list(names)
program = program_picker(
    questionnaire.program_label.get(lang), codes, names.__getitem__, key="feedback_program", lang=lang
)
st.query_params["program"] = program
program_name = questionnaire.general_program.get(lang) if program == GENERAL else escape_markdown(names[program])

thanks = st.session_state.get("feedback_thanks")
if thanks:
    st.success(t("feedback.thanks", lang, id=thanks), icon=":material/check_circle:")
    if st.session_state.get("feedback_spooled"):
        st.caption(t("feedback.spooled", lang))
    st.page_link(
        "app_pages/survey_results.py",
        label=t("feedback.see_results", lang),
        icon=":material/bar_chart:",
        query_params={"program": program, **({"lang": lang} if lang != "id" else {})},
    )
    if st.button(t("feedback.again", lang), icon=":material/edit_note:"):
        del st.session_state["feedback_thanks"]
        st.session_state.pop("feedback_spooled", None)
        st.session_state.pop("feedback_opened_at", None)
        clear_form()
        st.rerun()
    st.stop()

# When the form was first shown to this session: a submission faster than a person can read is refused.
opened_at = st.session_state.setdefault("feedback_opened_at", datetime.now(UTC))

submitted = feedback_form(questionnaire, lang, program_name, program)
if submitted is not None:
    values, show_problems = submitted
    checked = check_form(questionnaire, values, codes)
    if checked.problems:
        show_problems(list(checked.problems))
    else:
        assert checked.response is not None
        result = feedback.submit(
            checked.response,
            session=session_id(),
            address=client_address(settings.client_address_header),
            opened_at=opened_at,
        )
        if result.spool_full:
            # Neither the store nor the spool could keep it (logged for the admin): no thank-you, no number; the
            # answers stay in the form for another try.
            st.error(t("feedback.spool_full", lang), icon=":material/cloud_off:")
        elif result.response_id is None:
            assert result.refusal is not None
            st.warning(result.refusal.get(lang), icon=":material/block:")
        else:
            # Committed to the store, or fsync'd to the spool when the store could not take it: only now say
            # thank you. The mirror (if any) follows from the outbox.
            st.session_state["feedback_thanks"] = result.response_id
            st.session_state["feedback_spooled"] = result.spooled
            if portal is not None:
                portal.mirror_in_background()
            st.rerun()

# Only a Google Forms address is embedded: the iframe runs whatever it loads.
if settings.google_form_url.startswith("https://docs.google.com/forms/"):
    st.divider()
    st.header(t("feedback.google_form", lang), anchor=False)
    st.caption(t("feedback.google_form_note", lang))
    url = settings.google_form_url
    if "embedded=true" not in url:
        url += ("&" if "?" in url else "?") + "embedded=true"
    st.iframe(url, height=900)
