"""Visible strings of the admin sign-in (password hash, lockout), Indonesian first."""

from __future__ import annotations

from core.text import Text

ADMIN_AUTH_STRINGS: dict[str, Text] = {}
