"""Visible strings of the transparency log on /admin (issue 24), Indonesian first."""

from __future__ import annotations

from core.text import Text

LOG_ADMIN_STRINGS: dict[str, Text] = {
    "admin.log.source": Text("Log transparansi", "Transparency log"),
}
