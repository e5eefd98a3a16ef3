"""/tentang's verifiable-history section in a real browser (issue 24): the verifier key a journalist copies is whole
on screen, broken over lines rather than run off a 390 px phone's edge, and costs no code font or highlighter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from log_support import LogPortal, log_portal
from playwright.sync_api import Page, expect

from core.i18n import t

from .conftest import Viewport
from .test_pages_in_browser import TIMEOUT_MS, Screenshot

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def signed_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LogPortal]:
    with log_portal(tmp_path_factory.mktemp("key-in-browser")) as running:
        yield running


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_verifier_key_is_whole_inside_the_screen_and_loads_no_code_font(
    page: Page, viewport: Viewport, signed_portal: LogPortal, screenshot: Screenshot, lang: str
) -> None:
    page.goto(f"{signed_portal.url}/tentang" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
    heading = page.get_by_test_id("stHeading").filter(has_text=t("about.log", lang))
    expect(heading).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    key = page.get_by_test_id("stMarkdownContainer").filter(has_text=signed_portal.verifier).last
    key.scroll_into_view_if_needed()
    expect(key).to_be_visible()
    # Selected and copied, it is the key exactly: broken by the browser's wrapping, not by characters of ours.
    assert signed_portal.verifier in key.inner_text().replace("\n", "")
    # The text's own extent (a paragraph's box stays in the column while an unbroken word overflows it).
    right = key.evaluate(
        """(el) => { const range = document.createRange(); range.selectNodeContents(el);
                     return Math.max(...[...range.getClientRects()].map((r) => r.right)); }"""
    )
    assert right <= viewport.width, f"the key runs to {right} px on a {viewport.width} px screen"
    # Whether this random key has a place to break depends on where its base64 holds a "/": the paragraph must
    # break a word that cannot fit, whatever the key (Streamlit's Markdown does; this holds us to it).
    wrap = key.locator("p").last.evaluate("(p) => getComputedStyle(p).overflowWrap")
    assert wrap in ("break-word", "anywhere"), wrap
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map((r) => r.name)")
    assert not [name for name in loaded if "SourceCode" in name], loaded  # the monospace web font (90 KB)
    screenshot(lang, "verifier-key")
