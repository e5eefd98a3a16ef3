"""The Atom feed of changes (``core.atom_feed``) as a page, for a reader who opens the feed's address in a browser.

A browser shows ``application/atom+xml`` as a wall of text. XSLT through an ``xml-stylesheet`` instruction is
no way out: Chromium (156) shows such a feed as plain text without applying it, applies it to ``application/xml``
only under a red banner saying XSLT is being removed from every browser. So the portal answers a browser's own
navigation to the feed's address with this page (``server.feeds``), and every other request (a feed reader) with
the Atom document, byte for byte the same as ever.

The page says what a feed is for, gives the address to paste into a feed reader, and lists the same entries with
their links. Sheet text is data: every text is escaped by ElementTree; each entry's content is the feed's own
``content_html``, built the same way. Pure: the caller hands in what the feed is built from.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree

from core.atom_feed import FEED_PATH, HISTORY_PATH, MEDIA_TYPE, Entry, Site, content_html, history_link, title
from core.i18n import t
from core.sitemap import page_path
from core.text import LANGUAGES

# Plain and readable on a phone; no script, no font or picture from anywhere (the page's CSP allows none).
STYLE = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;margin:0 auto;max-width:46rem;padding:1rem;"
    "color:#1b1b1b;background:#fff}a{color:#0b4f9c}code{word-break:break-all;background:#f0f2f5;padding:0 .2em}"
    "article{border-top:1px solid #d0d4da;padding:.5rem 0}h1{font-size:1.5rem}h2{font-size:1.25rem}"
    "h3{font-size:1.05rem;margin:.5rem 0 0}"
)
# No script, no frame, nothing loaded but the page itself; its one style element is inline.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _add(parent: ElementTree.Element, tag: str, text: str | None = None, /, **attrs: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag, attrs)
    element.text = text
    return element


def feed_page_html(found: Sequence[Entry], site: Site, lang: str) -> str:
    base = site.base_url.rstrip("/")
    feed_url = base + page_path(FEED_PATH, lang)
    html = ElementTree.Element("html", {"lang": lang})
    head = _add(html, "head")
    _add(head, "meta", charset="utf-8")
    _add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    feed_title = t("feed.title", lang, site=site.title.get(lang))
    _add(head, "title", feed_title)
    _add(head, "link", rel="alternate", type=MEDIA_TYPE, href=feed_url, title=feed_title)
    _add(head, "style", STYLE)
    main = _add(_add(html, "body"), "main")
    _add(main, "h1", feed_title)
    _add(main, "p", t("feed.page.what", lang))
    address = _add(main, "p", t("feed.page.address", lang) + " ")
    _add(address, "code", feed_url)
    _add(main, "p", t("feed.subtitle", lang) + (" " + t("feed.sample", lang) if site.sample else ""))
    links = _add(main, "p")
    _add(links, "a", t("feed.page.history", lang), href=base + page_path(HISTORY_PATH, lang))
    for other in LANGUAGES:
        if other != lang:
            separator = _add(links, "span", " · ")
            _add(separator, "a", t("feed.page.other_language", other), href=base + page_path(FEED_PATH, other))
            separator.set("lang", other)
    _add(main, "h2", t("feed.page.entries", lang))
    if not found:
        _add(main, "p", t("feed.page.none", lang))
    for entry in found:
        link = base + history_link(entry, lang)
        article = _add(main, "article")
        _add(_add(article, "h3"), "a", title(entry, lang), href=link)
        article.append(ElementTree.fromstring(content_html(entry, site, lang, link)))
    return "<!DOCTYPE html>\n" + ElementTree.tostring(html, encoding="unicode", method="html")
