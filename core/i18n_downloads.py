"""Visible strings of downloads, the data dictionary and "cite this", Indonesian first."""

from __future__ import annotations

from core.text import Text

DOWNLOADS_STRINGS: dict[str, Text] = {
    "cite.title": Text("Kutip halaman ini", "Cite this page"),
}
