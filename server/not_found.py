"""A 404 with the portal's own page (``core.page_not_found``) for any address the portal does not serve (issue 25,
item 5), instead of Streamlit's bare app page and a 200.

Streamlit mounts its frontend's files at the root, after every route, and that mount answers any address it has
no file for with ``index.html`` and a 200, so that a page's own URL loads the app. The portal's pages each have a
route of their own (``server.pages``: ``/``, ``/peta``... and ``/admin``, ``/pratinjau``), so that fallback now
serves only addresses nobody meant: ``/no-such-page``, ``/.well-known/csvm``, ``/sitemap_index.xml``.

So a GET or HEAD is answered here with the 404 page when no route of the app but that mount matches it and the
mount has no file of that name. Every route is asked as the router itself would ask it (``route.matches``): the
portal's own, Streamlit's (``/_stcore/…``, ``/media/…``, ``/component/…``, ``/app/static/…``), whatever a
Streamlit release adds. What the mount answers differently from its fallback is left to it: an address ending in
``/`` (its 301 to the address without it, which is then judged), one starting ``//`` (its 400), and ``/static/``
(``server.static_assets`` answers a missing bundle there). The mount's ``index.html`` is not served on its own: it
is the very page titled "Streamlit" the fallback was.

Requests with other methods are left alone: the mount answers them with a 405, never a page.
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Match, Mount, get_route_path
from starlette.types import ASGIApp, Receive, Scope, Send

from core.page_not_found import not_found_html
from core.plain_page import CONTENT_SECURITY_POLICY
from server.portal import get_portal
from server.site_address import base_url, request_language

# Streamlit's frontend (index.html, manifest.json, favicon.png, static/), and the name of the mount serving it
# (streamlit.web.server.starlette.starlette_static_routes).
FRONTEND = Path(streamlit.__file__).parent / "static"
STATIC_MOUNT = "static-assets"
ASSETS = "static/"
# The shell the portal's own pages are made from; at its own address it is Streamlit's untitled page.
SHELL = "index.html"


@functools.cache
def frontend_files(frontend: Path = FRONTEND) -> frozenset[str]:
    """The files at the frontend's top (``manifest.json``, ``favicon.png``), read once: fixed for a release."""
    return frozenset(p.name for p in frontend.iterdir() if p.is_file() and p.name != SHELL)


def not_found_response(request: Request) -> Response:
    """The portal's 404 page in the reader's language (``?lang=``, as every page): never indexed, never kept."""
    portal = get_portal()
    lang = request_language(request)
    body = not_found_html(portal.config.title.get(lang), base_url(request, portal), lang, portal.config.health.public)
    headers = {
        # A route may exist after the next release: nothing keeps this answer.
        "Cache-Control": "no-cache",
        "X-Robots-Tag": "noindex",
        "Content-Language": lang,
        # The page has no script at all; security_headers adds the frame rule.
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    }
    return HTMLResponse(body, status_code=404, headers=headers)


class UnknownPaths:
    """The portal's 404 page for a GET or HEAD that only Streamlit's fallback would answer; the rest passes."""

    def __init__(self, app: ASGIApp, files: frozenset[str] | None = None) -> None:
        self.app = app
        self.files = frontend_files() if files is None else files

    def _served(self, scope: Scope) -> bool:
        path: str = scope["path"]
        if path.startswith("//") or (len(path) > 1 and path.endswith("/")):
            return True  # the mount's own 400 or 301
        router = getattr(scope.get("app"), "router", None)
        if router is None:
            return True  # not inside a Starlette app: nothing to judge by
        for route in router.routes:
            match, child = route.matches(scope)
            if match is Match.NONE:
                continue
            if isinstance(route, Mount) and route.name == STATIC_MOUNT:
                relative = get_route_path({**scope, **child}).lstrip("/")
                return not relative or relative in self.files or relative.startswith(ASSETS)
            return True  # a route of the portal's or Streamlit's (a PARTIAL match: its own 405)
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or self._served(scope):
            await self.app(scope, receive, send)
            return
        # Off the event loop: the first request of a process makes the Portal (its configuration, its store).
        response = await run_in_threadpool(not_found_response, Request(scope))
        await response(scope, receive, send)
