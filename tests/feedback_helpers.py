"""Builders for feedback responses as the form produces them: real values through the real check_form."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from core.feedback_rules import Response, check_form
from core.questionnaire import Questionnaire
from core.survey import ELEMENTS, GENERAL

# 1, 2, 3, 4, 1, ... over the nine SKM elements: every answer value occurs.
ELEMENT_ANSWERS: dict[str, Any] = {key: 1 + i % 4 for i, key in enumerate(ELEMENTS)}


def form_values(**overrides: Any) -> dict[str, Any]:
    """What the form sends for a resident who knows and used the program, with ``overrides`` by key."""
    values: dict[str, Any] = {
        "program": GENERAL,
        "tahu": "ya",
        "pernah": "ya",
        **ELEMENT_ANSWERS,
        "manfaat": 3,
        "saran": "",
        "kontak": "",
        "setuju": False,
    }
    values.update(overrides)
    return values


def checked_response(
    questionnaire: Questionnaire, programs: Collection[str] = (GENERAL,), **overrides: Any
) -> Response:
    """A response that passed ``check_form``; fails the test with the problems when it does not."""
    checked = check_form(questionnaire, form_values(**overrides), programs)
    assert checked.response is not None, [(p.field, p.message.en) for p in checked.problems]
    return checked.response
