"""oEmbed (https://oembed.com): a blog or news site given the address of a program page (or the home page) asks
``/oembed?url=…&format=json`` and gets the embed's ``<iframe>`` to put in its article.

Pure: which of the portal's pages an address names, the ``<iframe>`` and the answer; the server hands in the
portal's address and its programs. Only the portal's own program pages and home page are answered: anything else
is not ours (a 404), so the endpoint can never be made to vouch for another site.
"""

from __future__ import annotations

import html
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from core.embed_html import ALL_FRAME_HEIGHT, EMBED_PATH, EMBED_PROGRAM_PATH, MAX_WIDTH, PROGRAM_FRAME_HEIGHT
from core.sitemap import page_path
from core.text import DEFAULT_LANGUAGE, LANGUAGES

OEMBED_PATH = "/oembed"
# The link previews' pictures (server.pictures draws them at these addresses, 1200 × 630).
PREVIEW_WIDTH, PREVIEW_HEIGHT = 1200, 630


@dataclass(frozen=True)
class Target:
    """A portal page an oEmbed ``url`` names: a program (``code``) or the home page (``code`` None)."""

    code: str | None
    lang: str


def _same_site(url: str, base: str) -> str | None:
    """The page's path below the portal's address, when ``url`` is under it (either scheme: a proxy in front may
    speak https while the portal hears http); None when it is another site's."""
    asked, ours = urlsplit(url), urlsplit(base)
    if asked.scheme not in ("http", "https") or asked.netloc.lower() != ours.netloc.lower():
        return None
    prefix = ours.path.rstrip("/")
    if asked.path != prefix and not asked.path.startswith(prefix + "/"):
        return None
    return asked.path[len(prefix) :] or "/"


def target(url: str, base: str, programs: Collection[str]) -> Target | None:
    """The program page (``/program?program=CODE``) or home page (``/``) ``url`` names, with its language;
    None for any other address, another site's, an unknown program or a parameter the page does not take."""
    path = _same_site(url, base)
    if path is None:
        return None
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    params = dict(query)
    if len(params) != len(query) or not set(params) <= {"program", "lang"}:
        return None
    lang = params.get("lang", DEFAULT_LANGUAGE)
    if lang not in LANGUAGES:
        return None
    if path == "/" and "program" not in params:
        return Target(None, lang)
    if path == "/program" and params.get("program") in programs:
        return Target(params["program"], lang)
    return None


def embed_url(base: str, found: Target) -> str:
    if found.code is None:
        return base + page_path(EMBED_PATH, found.lang)
    return base + page_path(EMBED_PROGRAM_PATH, found.lang, [("program", found.code)])


def frame_height(found: Target) -> int:
    return ALL_FRAME_HEIGHT if found.code is None else PROGRAM_FRAME_HEIGHT


def iframe(src: str, title: str, height: int) -> str:
    """The embed code: the frame takes its column's full width (up to the card's own), its title says what it
    shows to a screen reader, and it loads only when scrolled near."""
    return (
        f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" loading="lazy" height="{height}" '
        f'style="width:100%;max-width:{MAX_WIDTH}px;border:0"></iframe>'
    )


def _bounded(value: int, limit: str | None) -> int:
    """The consumer's ``maxwidth``/``maxheight`` when smaller (oEmbed: the answer must not exceed them)."""
    return min(value, int(limit)) if limit is not None and limit.isdigit() and int(limit) > 0 else value


@dataclass(frozen=True)
class Provider:
    name: str  # the portal's title in the page's language
    url: str  # the portal's home page
    cache_age: int  # seconds an answer stays true: the portal reads its sources this often


def answer(
    base: str,
    found: Target,
    title: str,
    provider: Provider,
    thumbnail: str,
    maxwidth: str | None = None,
    maxheight: str | None = None,
) -> dict[str, Any]:
    """The oEmbed answer of type ``rich``: the embed's ``<iframe>``, its size, and the page's preview picture."""
    width, height = _bounded(MAX_WIDTH, maxwidth), _bounded(frame_height(found), maxheight)
    return {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": provider.name,
        "provider_url": provider.url,
        "cache_age": provider.cache_age,
        "html": iframe(embed_url(base, found), title, height),
        "width": width,
        "height": height,
        "thumbnail_url": thumbnail,
        "thumbnail_width": PREVIEW_WIDTH,
        "thumbnail_height": PREVIEW_HEIGHT,
    }


def discovery_url(page_url: str) -> str | None:
    """The oEmbed address a program page or the home page names in its head (``<link rel="alternate"
    type="application/json+oembed">``), from the page's canonical address; None for any other page."""
    parts = urlsplit(page_url)
    if parts.path.endswith("/program") and "program" in dict(parse_qsl(parts.query)):
        base_path = parts.path[: -len("/program")]
    elif parts.path.endswith("/") or not parts.path:
        base_path = parts.path.rstrip("/")
    else:
        return None
    query = urlencode([("url", page_url), ("format", "json")])
    return f"{parts.scheme}://{parts.netloc}{base_path}{OEMBED_PATH}?{query}"
