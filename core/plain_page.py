"""What the portal's plain HTML pages share (the Atom feed's reader page, ``core.feed_page``; the 404 page,
``core.page_not_found``): pages with no app, no script and nothing loaded but themselves, built as an element tree so
that every text in them is escaped by the serializer."""

from __future__ import annotations

from xml.etree import ElementTree

# Plain and readable on a phone; no script, no font or picture from anywhere (the pages' CSP allows none).
BASE_STYLE = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;margin:0 auto;max-width:46rem;padding:1rem;"
    "color:#1b1b1b;background:#fff}a{color:#0b4f9c}h1{font-size:1.5rem}"
)
# No script, no frame, nothing loaded but the page itself; its one style element is inline.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def add(parent: ElementTree.Element, tag: str, text: str | None = None, /, **attrs: str) -> ElementTree.Element:
    """A child element with its text (escaped on output) and attributes."""
    element = ElementTree.SubElement(parent, tag, attrs)
    element.text = text
    return element
