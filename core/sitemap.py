"""What search engines are told: robots.txt and the sitemap of every public page in both languages.

Pure: the caller hands in the programs with the time their data were read, and the portal's address.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from xml.etree import ElementTree

from core.text import DEFAULT_LANGUAGE, LANGUAGES

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# The hreflang of the page for a reader whose language the portal does not speak (Google's "x-default").
X_DEFAULT = "x-default"

# The public pages besides a program's own, by URL path (the paths app.py gives them). The data health page
# is listed only while it is public ([health] public).
PUBLIC_PAGES = ("/", "/peta", "/riwayat", "/survei", "/hasil-survei", "/tentang")
HEALTH_PAGE = "/kesehatan-data"
# Never for search engines: the admin page and the SKPD's draft preview (nothing there is published data).
PRIVATE_PAGES = ("/admin", "/pratinjau")


@dataclass(frozen=True)
class ProgramRead:
    code: str
    read_at: datetime | None  # when the program's source was read ("dibaca_pada"): when its page last changed


@dataclass(frozen=True)
class Entry:
    """One page in one language, with its other-language alternates."""

    path: str  # with its query, e.g. "/program?program=QW24-PUPR-01&lang=en"
    lastmod: datetime | None
    alternates: tuple[tuple[str, str], ...]  # (language, path), every language including this one


def page_path(path: str, lang: str, params: Sequence[tuple[str, str]] = ()) -> str:
    """A page's URL path in a language: Indonesian, the default, needs no ``lang`` parameter.

    ``params`` are the view's own (a program, the map's filters, repeatable), in order.
    """
    query = [*params, *([("lang", lang)] if lang != DEFAULT_LANGUAGE else [])]
    return path + ("?" + urlencode(query) if query else "")


def entries(programs: Sequence[ProgramRead], health_public: bool) -> list[Entry]:
    """Every public page and every program page, in each language; ``lastmod`` is when the portal last read
    the page's sources ("dibaca_pada")."""
    newest = max((p.read_at for p in programs if p.read_at is not None), default=None)
    pages: list[tuple[str, list[tuple[str, str]], datetime | None]] = [(path, [], newest) for path in PUBLIC_PAGES]
    if health_public:
        pages.append((HEALTH_PAGE, [], newest))
    pages += [("/program", [("program", p.code)], p.read_at) for p in programs]
    found = []
    for path, params, lastmod in pages:
        alternates = tuple((lang, page_path(path, lang, params)) for lang in LANGUAGES)
        found += [Entry(page_path(path, lang, params), lastmod, alternates) for lang in LANGUAGES]
    return found


def sitemap_xml(base_url: str, pages: Iterable[Entry]) -> bytes:
    """The sitemap (sitemaps.org 0.9) with hreflang alternates and x-default, absolute URLs under ``base_url``."""
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    root = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    base = base_url.rstrip("/")
    for page in pages:
        url = ElementTree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ElementTree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = base + page.path
        if page.lastmod is not None:
            ElementTree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = page.lastmod.isoformat(timespec="seconds")
        # Every language, then x-default (the Indonesian page, which needs no ``lang``): what the pages' own heads
        # say (core.page_html), so a search engine reads one answer for a reader whose language is neither.
        default = dict(page.alternates).get(DEFAULT_LANGUAGE)
        for lang, path in [*page.alternates, *([(X_DEFAULT, default)] if default is not None else [])]:
            link = ElementTree.SubElement(url, f"{{{XHTML_NS}}}link")
            link.attrib.update({"rel": "alternate", "hreflang": lang, "href": base + path})
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def robots_txt(base_url: str) -> str:
    """Everything public may be crawled; the admin page and the draft preview may not."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE_PAGES), "Allow: /", ""]
    lines.append(f"Sitemap: {base_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"
