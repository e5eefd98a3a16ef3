"""The admin page, signed in, as the moderation and void-a-batch tests drive it (AppTest, the real password check)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.passwords import hash_password

ADMIN = str(Path(__file__).resolve().parent.parent / "app_pages" / "admin.py")
PASSWORD = "kata-sandi-moderator-uji"
HASH = hash_password(PASSWORD)


def signed_in() -> AppTest:
    at = AppTest.from_file(ADMIN, default_timeout=60)
    at.secrets["admin"] = {"password_hash": HASH}
    at.run()
    at.text_input[0].input(PASSWORD)
    next(b for b in at.button if b.label == "Masuk").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at
