"""The questionnaire form, drawn from the questionnaire file, with a message under each wrong answer.

Widgets keep their keys across reruns, so whatever the respondent entered stays on screen when a
check fails or a limit refuses the submission. The form only collects; ``core.feedback_rules`` checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from components.language import NAMES as LANGUAGE_NAMES
from components.language import keep_choices
from core.feedback_rules import NO, NOT_APPLICABLE, YES, Problem
from core.formatting import escape_markdown
from core.i18n import t
from core.questionnaire import Questionnaire, ScaleQuestion

PREFIX = "fb_"  # session-state keys of the form's widgets


def _carry_over_a_language_switch(questionnaire: Questionnaire, lang: str) -> None:
    """Keep the answers the server has when the reader switches language, and ask again for the others.

    The answers already sent (a submission with a mistake, or a limit's refusal) are kept by ``keep_choices``. A
    choice made but not yet sent is only in the browser (a form sends nothing until its button is pressed), in the
    old words, which the new options do not have: the notice asks for it again. (Options named by numbers with the
    words as captions would carry it over, but a screen reader would then name each option by its number alone.)
    """
    questions = [*questionnaire.yes_no, *questionnaire.elements, questionnaire.benefit, *questionnaire.profile]
    before = keep_choices(PREFIX + question.key for question in questions)
    if before is None:
        return
    # Said twice: the reader pressed the language button with the form scrolled to where they were answering, far
    # below its top; a short toast shows wherever they are, the whole notice stays at the top of the form.
    st.toast(t("feedback.language_switched_short", lang), icon=":material/translate:", duration="long")
    st.info(t("feedback.language_switched", lang, language=LANGUAGE_NAMES[before]), icon=":material/translate:")


def _scale_radio(question: ScaleQuestion, number: int, lang: str, program: str, allow_na: str | None) -> Any:
    options: list[Any] = [4, 3, 2, 1] + ([NOT_APPLICABLE] if allow_na else [])

    def label(value: Any) -> str:
        if value == NOT_APPLICABLE:
            return allow_na or ""
        return f"{value} · {question.scale[value - 1].get(lang)}"

    return st.radio(
        f"**{number}.** {question.text(lang, program)}",
        options,
        index=None,
        format_func=label,
        key=PREFIX + question.key,
        horizontal=True,
    )


def feedback_form(
    questionnaire: Questionnaire, lang: str, program_name: str, program: str
) -> tuple[dict[str, Any], Callable[[list[Problem]], None]] | None:
    """Draw the form; on submit return the values and a function that shows problems under their fields.

    ``program_name`` is already escaped for Markdown (it replaces ``{program}`` in question labels).
    """
    _carry_over_a_language_switch(questionnaire, lang)
    slots: dict[str, Any] = {}
    # How the message by the button names each field: its question number, or its label when unnumbered.
    names: dict[str, str] = {"program": questionnaire.program_label.get(lang)}
    values: dict[str, Any] = {"program": program}
    q = questionnaire
    with st.form("feedback", enter_to_submit=False, border=True):
        summary = st.empty()
        number = 0
        for question in q.yes_no:
            number += 1
            values[question.key] = st.radio(
                f"**{number}.** {question.text(lang, program_name)}",
                [YES, NO],
                index=None,
                format_func=lambda v: t(f"feedback.{v}", lang),
                key=PREFIX + question.key,
                horizontal=True,
            )
            slots[question.key] = st.empty()
            names[question.key] = str(number)
        st.markdown(f"## {t('feedback.elements_heading', lang)}")
        st.caption(escape_markdown(q.not_applicable_help.get(lang)))
        for element in q.elements:
            number += 1
            values[element.key] = _scale_radio(element, number, lang, program_name, q.not_applicable.get(lang))
            slots[element.key] = st.empty()
            names[element.key] = str(number)
        number += 1
        values["manfaat"] = _scale_radio(q.benefit, number, lang, program_name, None)
        slots["manfaat"] = st.empty()
        names["manfaat"] = str(number)
        values["saran"] = st.text_area(
            q.suggestion_label.get(lang),
            max_chars=q.suggestion_max_chars,
            help=q.suggestion_help.get(lang),
            key=PREFIX + "saran",
        )
        st.caption(escape_markdown(q.suggestion_help.get(lang)))
        slots["saran"] = st.empty()
        names["saran"] = q.suggestion_label.get(lang)
        with st.expander(t("feedback.profile_heading", lang), icon=":material/person:"):
            st.caption(t("feedback.profile_note", lang))
            for question in q.profile:
                labels = {c.value: c.label.get(lang) for c in question.choices}
                values[question.key] = st.selectbox(
                    question.label.get(lang),
                    list(labels),
                    index=None,
                    format_func=labels.__getitem__,
                    placeholder=t("feedback.profile_placeholder", lang),
                    key=PREFIX + question.key,
                )
                slots[question.key] = st.empty()
                names[question.key] = question.label.get(lang)
        values["kontak"] = st.text_input(q.contact_label.get(lang), max_chars=100, key=PREFIX + "kontak")
        slots["kontak"] = st.empty()
        names["kontak"] = q.contact_label.get(lang)
        values["setuju"] = st.checkbox(q.contact_consent.get(lang), key=PREFIX + "setuju")
        slots["setuju"] = st.empty()
        names["setuju"] = t("feedback.consent_short", lang)
        # Right above the button, where the respondent is looking when they press it: the messages under the
        # questions can be a phone's two screens higher up (issue #26).
        at_button = st.empty()
        sent = st.form_submit_button(t("feedback.submit", lang), type="primary", icon=":material/send:")

    def show(problems: list[Problem]) -> None:
        summary.error(t("feedback.problems", lang, count=len(problems)), icon=":material/error:")
        where = list(dict.fromkeys(names.get(problem.field, problem.field) for problem in problems))
        numbers = [name for name in where if name.isdigit()]
        labels = [escape_markdown(name) for name in where if not name.isdigit()]
        parts = ([t("feedback.problem_numbers", lang, numbers=", ".join(numbers))] if numbers else []) + labels
        at_button.error(
            t("feedback.problems_at_button", lang, count=len(problems), where="; ".join(parts)),
            icon=":material/arrow_upward:",
        )
        for problem in problems:
            slot = slots.get(problem.field, summary)
            slot.error(problem.message.get(lang), icon=":material/arrow_upward:")

    return (values, show) if sent else None


def clear_form() -> None:
    """Forget the answers, for "fill in another response"."""
    for key in list(st.session_state):
        if str(key).startswith(PREFIX):
            del st.session_state[key]
