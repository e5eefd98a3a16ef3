"""The portal's text is drawn in the reader's own fonts (issue 23): Streamlit's web font (Source Sans, 171 KB, a tenth
of a first view) is never fetched, on a page with a first paint and on one without (the admin page), and the app's
text and headings use the system font stack the first paint uses. The icon font (cut to the portal's icons,
``server.icon_font``) is the only font that comes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import Viewport
from .test_pages_in_browser import TIMEOUT_MS

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

SYSTEM_STACK = "system-ui"
FONT_FILES = "() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.woff2'))"


@pytest.mark.parametrize("path", ["/", "/program?program=QW24-PUPR-01&lang=en", "/admin"])
def test_no_web_font_is_fetched_and_the_app_s_text_is_in_the_system_fonts(
    page: Page, viewport: Viewport, portal_url: str, path: str
) -> None:
    page.goto(portal_url + path, wait_until="domcontentloaded")
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    text = page.get_by_test_id("stMarkdownContainer").filter(visible=True).first
    expect(text).to_be_visible(timeout=TIMEOUT_MS)
    # What the app's text and the title are drawn in: the stack, first.
    assert text.evaluate("(el) => getComputedStyle(el).fontFamily").startswith(SYSTEM_STACK)
    title = page.get_by_test_id("stHeading").filter(visible=True).first
    assert title.evaluate("(el) => getComputedStyle(el.querySelector('h1, h2, h3') || el).fontFamily").startswith(
        SYSTEM_STACK
    )
    # Fonts are fetched as text needs them: wait until the page's fonts are settled before reading what came.
    page.evaluate("() => document.fonts.ready.then(() => true)")
    fetched = page.evaluate(FONT_FILES)
    assert fetched, "the icon font comes (the page has icons): the check sees font requests"
    assert all("MaterialSymbols" in name for name in fetched), fetched
