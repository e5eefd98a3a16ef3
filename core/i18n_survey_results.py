"""Visible strings of the public survey (IKM) results page, Indonesian first."""

from __future__ import annotations

from core.text import Text

SURVEY_RESULTS_STRINGS: dict[str, Text] = {}
