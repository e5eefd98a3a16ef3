"""The embeds in a real browser at the narrowest and widest frames they are made for (280 and 800 px), light and
dark: no sideways scrolling, no serious or critical problem axe-core finds, dark when the reader's system is, and
one program's card whole in the frame height the embed code gives; and the embed code copied from the program page
showing the card inside another page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from core.embed_html import PROGRAM_FRAME_HEIGHT
from tests.browser.conftest import SCREENSHOTS

from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
AXE = Axe()
WIDTHS = (280, 800)


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def frame(browser: Browser, scheme: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page as big as the embed's frame (the width asked, the embed code's height), in the colour scheme asked."""
    context = browser.new_context(
        viewport={"width": request.param, "height": PROGRAM_FRAME_HEIGHT},
        color_scheme=scheme,  # type: ignore[arg-type]
        locale="id-ID",
    )
    page = context.new_page()
    yield page
    context.close()


def _codes(portal_url: str, page: Page) -> list[str]:
    """The programs the every-program embed links to, in its order."""
    page.goto(portal_url + "/embed")
    hrefs = page.eval_on_selector_all("h2 a", "links => links.map(a => a.href)")
    return [re.sub(r".*program=([^&]+).*", r"\1", href) for href in hrefs]


def _sideways_overflow(page: Page) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def _blocking_problems(page: Page) -> list[str]:
    violations = AXE.run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in BLOCKING]


def _background_luminance(page: Page) -> float:
    colour = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(c) / 255 for c in re.findall(r"\d+", colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_embeds_fit_their_frame_without_sideways_scrolling_and_are_axe_clean(
    portal_url: str, frame: Page, scheme: str, lang: str
) -> None:
    query = "&lang=en" if lang == "en" else ""
    codes = _codes(portal_url, frame)
    assert len(codes) == 6
    width = frame.viewport_size["width"] if frame.viewport_size else 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path in [f"/embed/program?program={code}{query}" for code in codes] + ["/embed" + query.replace("&", "?")]:
        frame.goto(portal_url + path)
        assert _sideways_overflow(frame) <= 0, f"{path} scrolls sideways at {width} px"
        if path.startswith("/embed/program"):
            height = frame.evaluate("() => Math.ceil(document.body.getBoundingClientRect().height)")
            assert height <= PROGRAM_FRAME_HEIGHT, f"{path} is {height} px tall at {width} px: the frame cuts it"
        assert _blocking_problems(frame) == [], path
        assert (_background_luminance(frame) < 0.2) == (scheme == "dark"), f"{path} in {scheme}"
    frame.screenshot(path=str(SCREENSHOTS / f"embed-{scheme}-{lang}-{width}.png"), full_page=True)
    frame.goto(f"{portal_url}/embed/program?program={codes[0]}{query}")
    frame.screenshot(path=str(SCREENSHOTS / f"embed-program-{scheme}-{lang}-{width}.png"), full_page=True)


def test_the_embed_code_from_the_program_page_shows_the_program_s_card_inside_another_page(
    browser: Browser, portal_url: str, server_errors: Callable[[], str]
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{portal_url}/program?program=QW24-PERKIM-01&lang=en", wait_until="domcontentloaded")
        wait_until_drawn(page, "S-curve: planned and actual cumulative progress", server_errors)
        expect(page.get_by_test_id("stCode")).to_have_count(0)  # closed: no code block, no highlighter
        page.get_by_text("Embed", exact=True).click()
        code = page.get_by_test_id("stCode").locator("code")
        expect(code).to_contain_text("<iframe", timeout=TIMEOUT_MS)
        snippet = code.inner_text()
        assert f'src="{portal_url}/embed/program?program=QW24-PERKIM-01&amp;lang=en"' in snippet

        # A news article on another page (about:blank, not the portal's origin) with the code pasted in.
        page.set_content(f"<!doctype html><title>Berita</title><main><p>Artikel.</p>{snippet}</main>")
        card = page.frame_locator("iframe").get_by_role("heading", name=re.compile("Bakawan RTLH"))
        expect(card).to_be_visible(timeout=TIMEOUT_MS)
        box = page.locator("iframe").bounding_box()
        assert box is not None and box["height"] == 480 and box["width"] >= 350  # the column's full width
        page.screenshot(path=str(SCREENSHOTS / "embed-in-an-article-390.png"), full_page=True)
    finally:
        context.close()
