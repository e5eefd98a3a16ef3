"""Hasil Survei / Survey results: the IKM per program and overall, with its sample size, trend and suggestions.

The scope is chosen by a selector kept in the URL (``?program=QW24-PUPR-01``, ``?program=umum``; no
parameter is every program), so a shared link shows the same results.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from components.language import current_language
from components.notices import sample_data_notice
from components.program_picker import program_picker
from components.survey_report import (
    benefit_section,
    downloads,
    empty_state,
    export_about,
    headline,
    method,
    nrr_section,
    sample_statement,
    suggestions_section,
    trend_section,
    when,
)
from components.void_batch import voided_notice
from core.formatting import escape_markdown
from core.i18n import t
from core.survey import GENERAL
from core.survey_summary import OVERALL, in_scope, program_results, scopes
from data_sources.config.portal_config import ConfigError
from data_sources.files.exports import responses_frame, to_csv_bytes, to_json_bytes, to_xlsx_bytes
from server.portal import get_portal

lang = current_language()
portal = get_portal()
now = datetime.now(UTC)
store = portal.feedback_store
responses = store.public_responses()
names = {p.code: str(p.program["nama_program"]) for p in portal.overview().progress}


def label(scope: str) -> str:
    if scope == OVERALL:
        return t("survey_results.scope.all", lang)
    if scope == GENERAL:
        return t("survey_results.scope.general", lang)
    return f"{names[scope]} ({scope})" if scope in names else scope


st.title(t("survey_results.title", lang), anchor=False)
if portal.config.has_sample_sources:
    sample_data_notice(lang)
st.markdown(t("survey_results.intro", lang))

voids = store.voids()
if not responses:
    empty_state(lang)
    voided_notice(voids, OVERALL, lang)
    method(lang)
    st.stop()

options = scopes(responses, list(names))
scope = program_picker(
    t("survey_results.choose", lang),
    options,
    label,
    key="survey_program",
    lang=lang,
    unknown_key="survey_results.unknown",
)
# The view is a link: sharing the URL shows these results. Every program is the default, so no parameter.
if scope == OVERALL:
    if "program" in st.query_params:
        del st.query_params["program"]
else:
    st.query_params["program"] = scope
scope_label = escape_markdown(label(scope))
st.caption(t("survey_results.as_of", lang, when=when(now, lang)))

results = program_results(responses, scope, store.populations())
if not results.responses:
    empty_state(lang, scope_label)
else:
    headline(results, lang)
    voided_notice(voids, scope, lang)
    sample_statement(results.sample, scope_label, lang)
    nrr_section(results, lang)
    trend_section(results, lang)
    try:
        benefit = portal.feedback.questionnaire.benefit
        program_name = names.get(scope) if scope not in (OVERALL, GENERAL) else None
        question = benefit.text(lang, program_name or portal.feedback.questionnaire.general_program.get(lang))
        scale = benefit.scale
    except ConfigError:
        # The questionnaire file is missing or wrong: the results stand; the labels fall back to the usual ones.
        question, scale = None, None
    benefit_section(results, question, scale, lang)
    suggestions = store.approved_suggestions(None if scope == OVERALL else scope)
    suggestions_section(suggestions, {option: label(option) for option in options}, lang)

chosen = in_scope(responses, scope)
if chosen:
    config = portal.config.portal
    about = export_about(config.title_id, label(scope), now, config.licence, config.licence_url, lang)
    downloads(
        lambda: to_csv_bytes(responses_frame(chosen)),
        lambda: to_xlsx_bytes(
            responses_frame(chosen),
            t("survey_results.sheet.responses", lang),
            about,
            t("survey_results.sheet.about", lang),
        ),
        lambda: to_json_bytes(responses_frame(chosen), dict(about)),
        count=len(chosen),
        scope=scope,
        scope_label=label(scope),
        source=config.title_id,
        licence=config.licence,
        licence_url=config.licence_url,
        now=now,
        lang=lang,
    )
method(lang)
