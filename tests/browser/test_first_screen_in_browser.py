"""The first screen of a phone (390 x 844) shows what the page is for, once the app has drawn (issue 23, item 4):
on `/`, at least two programs with their status words; on a program's page, its status and its realisation
against plan. Measured as each element's box in the first 844 px of the page, the page not scrolled."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from portal_server import PortalServer

from core.formatting import percent
from core.i18n import t
from core.page_summary import status_word
from data_sources.config.portal_config import load_config
from data_sources.published.published_data import Overview, PublishedData

from .conftest import PHONE
from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

pytestmark = pytest.mark.browser

LANGUAGES = ("id", "en")
# The shortest name and the longest (three lines on a phone), so the program page holds for every name between.
PROGRAMS = ("QW24-PUPR-01", "QW24-DPMPTSP-01")


@pytest.fixture(scope="module")
def published(portal_server: PortalServer) -> Overview:
    with urllib.request.urlopen(portal_server.url + "/robots.txt", timeout=60):  # a first start fills the store
        pass
    return PublishedData(load_config(Path(portal_server.log).parent / "portal.toml")).overview()


def _in_first_screen(element: Locator) -> bool:
    box = element.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE.height


def _not_scrolled(page: Page) -> None:
    assert page.evaluate("() => window.scrollY") == 0
    assert page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollTop ?? 0") == 0


@pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["phone"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_home_page_s_first_screen_shows_at_least_two_programs_with_their_status_words(
    page: Page, portal_url: str, server_errors: Callable[[], str], published: Overview, lang: str
) -> None:
    page.goto(f"{portal_url}/" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
    wait_until_drawn(page, str(published.progress[0].program["nama_program"]), server_errors)
    _not_scrolled(page)
    main = page.get_by_test_id("stMain")
    seen = []
    for item in published.progress:
        name, word = str(item.program["nama_program"]), status_word(item.track, lang)
        # The name and its status word in one line of the page's own list (not the pre-drawn summary, gone by now).
        line = main.locator("li").filter(has_text=name).filter(has_text=word).first
        expect(line).to_be_visible(timeout=TIMEOUT_MS)
        if _in_first_screen(line):
            seen.append((name, word))
    assert len(seen) >= 2, seen


@pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["phone"])
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", PROGRAMS)
def test_a_program_page_s_first_screen_shows_its_status_and_realisation_against_plan(
    page: Page, portal_url: str, server_errors: Callable[[], str], published: Overview, lang: str, code: str
) -> None:
    item = published.program(code)
    assert item is not None and item.latest is not None
    page.goto(f"{portal_url}/program?program={code}" + ("&lang=en" if lang == "en" else ""))
    wait_until_drawn(page, t("program.curve", lang), server_errors)
    page.evaluate("() => window.scrollTo(0, 0)")
    _not_scrolled(page)
    main = page.get_by_test_id("stMain")
    status = main.get_by_role("heading", name=status_word(item.track, lang)).first
    expect(status).to_be_visible()
    assert _in_first_screen(status), status.bounding_box()
    plan = percent(item.latest["rencana_persen"], lang)
    realisation = main.get_by_test_id("stMetric").filter(has_text=t("program.actual_vs_plan", lang, plan=plan))
    expect(realisation).to_contain_text(percent(item.latest["realisasi_persen"], lang))
    assert _in_first_screen(realisation), realisation.bounding_box()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_home_page_s_server_drawn_first_screen_shows_them_too(
    browser: Browser, portal_url: str, published: Overview, lang: str
) -> None:
    """The summary the server draws, as a phone shows it before (or without) the app: the same first screen."""
    context = browser.new_context(
        viewport={"width": PHONE.width, "height": PHONE.height}, is_mobile=True, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(f"{portal_url}/" + ("?lang=en" if lang == "en" else ""))
        summary = page.locator("#pratayang")
        expect(summary).to_be_visible()
        seen = []
        for item in published.progress:
            name, word = str(item.program["nama_program"]), status_word(item.track, lang)
            line = summary.locator("li").filter(has_text=name).filter(has_text=word).first
            if _in_first_screen(line):
                seen.append((name, word))
        assert len(seen) >= 2, seen
    finally:
        context.close()
