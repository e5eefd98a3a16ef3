"""Visible strings of the map page (merged into ``core.i18n.STRINGS``)."""

from __future__ import annotations

from core.text import Text

MAP_STRINGS: dict[str, Text] = {}
