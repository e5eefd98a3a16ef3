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
from core.plain_page import BASE_STYLE, add
from core.sitemap import page_path
from core.text import LANGUAGES

STYLE = BASE_STYLE + (
    "code{word-break:break-all;background:#f0f2f5;padding:0 .2em}"
    "article{border-top:1px solid #d0d4da;padding:.5rem 0}h2{font-size:1.25rem}"
    "h3{font-size:1.05rem;margin:.5rem 0 0}"
)


def feed_page_html(found: Sequence[Entry], site: Site, lang: str) -> str:
    base = site.base_url.rstrip("/")
    feed_url = base + page_path(FEED_PATH, lang)
    html = ElementTree.Element("html", {"lang": lang})
    head = add(html, "head")
    add(head, "meta", charset="utf-8")
    add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    feed_title = t("feed.title", lang, site=site.title.get(lang))
    add(head, "title", feed_title)
    add(head, "link", rel="alternate", type=MEDIA_TYPE, href=feed_url, title=feed_title)
    add(head, "style", STYLE)
    main = add(add(html, "body"), "main")
    add(main, "h1", feed_title)
    add(main, "p", t("feed.page.what", lang))
    address = add(main, "p", t("feed.page.address", lang) + " ")
    add(address, "code", feed_url)
    add(main, "p", t("feed.subtitle", lang) + (" " + t("feed.sample", lang) if site.sample else ""))
    links = add(main, "p")
    add(links, "a", t("feed.page.history", lang), href=base + page_path(HISTORY_PATH, lang))
    for other in LANGUAGES:
        if other != lang:
            separator = add(links, "span", " · ")
            add(separator, "a", t("feed.page.other_language", other), href=base + page_path(FEED_PATH, other))
            separator.set("lang", other)
    add(main, "h2", t("feed.page.entries", lang))
    if not found:
        add(main, "p", t("feed.page.none", lang))
    for entry in found:
        link = base + history_link(entry, lang)
        article = add(main, "article")
        add(add(article, "h3"), "a", title(entry, lang), href=link)
        article.append(ElementTree.fromstring(content_html(entry, site, lang, link)))
    return "<!DOCTYPE html>\n" + ElementTree.tostring(html, encoding="unicode", method="html")
