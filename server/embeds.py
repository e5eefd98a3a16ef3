"""The embeds (``/embed``, ``/embed/program?program=…``) and their oEmbed answer (``/oembed?url=…``).

An embed is a page the server draws from the published data (``core.embed_html``), not the Streamlit app: no
script, no cookie, nothing from another host, a few kB. It is drawn once per snapshot set, program and language,
then kept on the memo's ``embed`` shelf; an unknown program gets the same small 404 whatever was asked, so odd
addresses cost nothing and fill no shelf.
"""

from __future__ import annotations

import html
import json

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from core.embed_html import EMBED_PATH, EmbedSite, all_embed, not_found_embed, program_embed
from core.i18n import t
from core.oembed import Provider, answer, target
from core.sitemap import page_path
from server.conditional import tagged
from server.pictures import HOME_IMAGE, PROGRAM_IMAGE
from server.portal import Portal, get_portal
from server.site_address import base_url, request_language

# Drawn with this in place of the portal's address, put in as each request is answered: the kept page depends
# only on the data, the program and the language, never on an address a request named.
_BASE_MARK = "\x1fbase\x1f"
_EMBED_TYPE = "text/html; charset=utf-8"
# An embed is a copy of a program page's figures: the program page is what search engines should list.
_HEADERS = {"X-Robots-Tag": "noindex"}


def _site(portal: Portal, lang: str, base: str) -> EmbedSite:
    about = portal.config.portal
    return EmbedSite(
        base, portal.config.title.get(lang), about.licence, about.licence_url, portal.config.has_sample_sources
    )


def _with_base(body: str, base: str) -> bytes:
    return body.replace(_BASE_MARK, html.escape(base, quote=True)).encode("utf-8")


def embed(request: Request) -> Response:
    """Every program's card (``/embed``) or one program's (``/embed/program?program=CODE``), in ``lang``."""
    portal = get_portal()
    overview = portal.overview()
    lang = request_language(request)
    site = _site(portal, lang, _BASE_MARK)
    if request.url.path == EMBED_PATH:

        def build() -> str:
            origins = {code: source.origin for code, source in overview.program_source.items()}
            return all_embed(overview.progress, origins, site, lang)

        key: tuple[str, ...] = ("embed", "", lang)
    else:
        item = overview.program(request.query_params.get("program", ""))
        if item is None:
            # Not kept per value asked: one short page per language, drawn anew (a few hundred bytes).
            headers = {"Cache-Control": "public, max-age=60", **_HEADERS}
            return HTMLResponse(not_found_embed(lang), status_code=404, headers=headers)
        source = overview.program_source.get(item.code)

        def build() -> str:
            return program_embed(item, source.origin if source else None, site, lang)

        key = ("embed", item.code, lang)
    body = portal.remember(key, build, overview.sources, shelf="embed")
    return tagged(request, _with_base(body, base_url(request, portal)), _EMBED_TYPE, _HEADERS)


def oembed(request: Request) -> Response:
    """oEmbed for a program page or the home page: JSON only (XML is a 501, as the specification asks); any other
    address, another site's included, is a 404."""
    if request.query_params.get("format", "json") != "json":
        return PlainTextResponse("format tidak didukung / format not supported: json only", status_code=501)
    portal = get_portal()
    overview = portal.overview()
    base = base_url(request, portal)
    found = target(request.query_params.get("url", ""), base, {item.code for item in overview.progress})
    if found is None:
        return PlainTextResponse("bukan halaman portal ini / not a page of this portal", status_code=404)
    portal_title = portal.config.title.get(found.lang)
    if found.code is None:
        title = f"{t('embed.all_title', found.lang)} · {portal_title}"
        thumbnail = base + page_path(HOME_IMAGE, found.lang)
    else:
        item = overview.program(found.code)
        assert item is not None  # target() accepts only published programs
        title = t("embed.frame_title", found.lang, program=str(item.program["nama_program"]), portal=portal_title)
        thumbnail = base + page_path(PROGRAM_IMAGE, found.lang, [("program", found.code)])
    provider = Provider(portal_title, base + page_path("/", found.lang), portal.config.sync.interval_minutes * 60)
    limits = (request.query_params.get("maxwidth"), request.query_params.get("maxheight"))
    body = answer(base, found, title, provider, thumbnail, *limits)
    encoded = json.dumps(body, ensure_ascii=False).encode("utf-8")
    # Public data: a page's script on another site may ask for it too (oEmbed consumers in the browser).
    return tagged(request, encoded, "application/json", {"Access-Control-Allow-Origin": "*"})
