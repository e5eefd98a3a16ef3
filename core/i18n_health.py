"""Visible strings of the data health page (Kesehatan Data), Indonesian first."""

from __future__ import annotations

from core.text import Text

HEALTH_STRINGS: dict[str, Text] = {}
