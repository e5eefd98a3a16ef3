"""The portal's own "page not found": the answer, with a 404, to any address the portal does not serve.

Without it Streamlit answers every unknown address with its bare app page, titled "Streamlit", and a 200 (issue
25, item 5): crawlers indexed such soft 404s, and a client that looks for a file by convention (CSVW's
``/.well-known/csvm``, a sitemap index) took the page for the file. This page says plainly that the address does
not exist, in the reader's language, links to the public pages, and asks not to be indexed.

Pure: the caller hands in the portal's title, its address and whether the data health page is public. Nothing of
the requested address is written into the page (it is the reader's text, and an address such as ``/\\evil.example``
reads as another host to a browser). No script, so its policy allows none; every text is escaped by ElementTree.
"""

from __future__ import annotations

from xml.etree import ElementTree

from core.i18n import t
from core.plain_page import BASE_STYLE, add
from core.sitemap import HEALTH_PAGE, page_path
from core.text import LANGUAGES

# The public pages a lost reader can go on to, by URL path, with the navigation's own names for them.
LINKED_PAGES: tuple[tuple[str, str], ...] = (
    ("/", "nav.overview"),
    ("/program", "nav.program"),
    ("/peta", "nav.map"),
    ("/riwayat", "nav.history"),
    ("/survei", "nav.feedback"),
    ("/hasil-survei", "nav.survey_results"),
    (HEALTH_PAGE, "nav.health"),
    ("/tentang", "nav.about"),
)
STYLE = BASE_STYLE + "li{margin:.35rem 0}"


def not_found_html(site_title: str, base_url: str, lang: str, health_public: bool) -> str:
    """The page in ``lang``: what happened, the public pages (the data health page only while it is public), and
    the portal in the other language."""
    base = base_url.rstrip("/")
    html = ElementTree.Element("html", {"lang": lang})
    head = add(html, "head")
    add(head, "meta", charset="utf-8")
    add(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    add(head, "meta", name="robots", content="noindex")
    add(head, "title", f"{t('not_found.title', lang)} · {site_title}")
    add(head, "style", STYLE)
    main = add(add(html, "body"), "main")
    add(main, "p", site_title)
    add(main, "h1", t("not_found.title", lang))
    add(main, "p", t("not_found.what", lang))
    add(main, "p", t("not_found.pages", lang))
    pages = add(main, "ul")
    for path, name in LINKED_PAGES:
        if path != HEALTH_PAGE or health_public:
            add(add(pages, "li"), "a", t(name, lang), href=base + page_path(path, lang))
    for other in LANGUAGES:
        if other != lang:
            home = base + page_path("/", other)
            add(add(main, "p", lang=other), "a", t("not_found.other_language", other), href=home)
    return "<!DOCTYPE html>\n" + ElementTree.tostring(html, encoding="unicode", method="html")
