"""The program page's "Sematkan / Embed" box: the ``<iframe>`` code a newsroom or an office pastes into its own page
to show this program's figures (the server's embed, ``core.embed_html``), with a copy button."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from components.cite import page_url
from core.embed_html import EMBED_PROGRAM_PATH, PROGRAM_FRAME_HEIGHT
from core.i18n import t
from core.oembed import iframe
from core.sitemap import page_path


def _public_base(configured: str) -> str:
    """The portal's public address: the configured one, else the address this page was opened at (its origin)."""
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(page_url())
    # A portal served below a path (server.baseUrlPath) has its embeds there too.
    prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}" + (f"/{prefix}" if prefix else "")


def embed_code(code: str, frame_title: str, public_url: str, lang: str) -> None:
    """``frame_title``: what the frame shows, for screen readers (``title``); sheet text, escaped by ``iframe``.

    The code block is drawn only once the box is opened: its copy button brings Streamlit's syntax highlighter
    (about 500 KB), which no reader who does not ask for the code should download."""
    box = st.expander(t("embed.title", lang), icon=":material/code:", key="embed_code", on_change="rerun")
    if not box.open:
        return
    src = _public_base(public_url) + page_path(EMBED_PROGRAM_PATH, lang, [("program", code)])
    with box:
        st.caption(t("embed.help", lang))
        st.code(iframe(src, frame_title, PROGRAM_FRAME_HEIGHT), language="html", wrap_lines=True)
