"""Visible strings of the SKPD preview page, Indonesian first."""

from __future__ import annotations

from core.text import Text

PREVIEW_STRINGS: dict[str, Text] = {}
