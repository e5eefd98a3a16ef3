"""Which address and language a request is for: the portal's public address for absolute links, the reader's
language from ``?lang=``, and the path Streamlit serves the app under."""

from __future__ import annotations

from starlette.requests import Request
from streamlit import config as streamlit_config

from core.text import DEFAULT_LANGUAGE, LANGUAGES
from server.portal import Portal


def base_url(request: Request, portal: Portal) -> str:
    """The portal's public address: ``[open_data] public_url``, else the address this request came to."""
    configured = portal.config.open_data.public_url
    return configured.rstrip("/") if configured else str(request.base_url).rstrip("/")


def request_language(request: Request) -> str:
    asked = request.query_params.get("lang", DEFAULT_LANGUAGE)
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def base_url_path() -> str:
    return str(streamlit_config.get_option("server.baseUrlPath") or "")
