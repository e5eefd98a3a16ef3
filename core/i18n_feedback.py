"""Visible strings of the feedback questionnaire page, Indonesian first."""

from __future__ import annotations

from core.text import Text

FEEDBACK_STRINGS: dict[str, Text] = {}
