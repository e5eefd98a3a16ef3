"""Every public page in a real browser, in both languages, on a desktop and on a phone.

The machine has no internet: map tiles and Google's hosts never load, so nothing here waits for the network to
go idle; each step waits on the app's own elements.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Viewport

TIMEOUT_MS = 60_000


class PublicPage(NamedTuple):
    url_path: str
    text_id: str
    text_en: str

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_id

    @property
    def slug(self) -> str:
        return self.url_path.strip("/").replace("/", "-") or "home"


# The public pages: (url_path, a text expected in Indonesian, a text expected in English). A new page is one line.
PAGES = [
    PublicPage(*page)
    for page in [
        ("/", "Portal Transparansi Quick Win Kota Banjarmasin", "Quick Win Transparency Portal, City of Banjarmasin"),
        ("/program", "Kurva S: rencana dan realisasi kumulatif", "S-curve: planned and actual cumulative progress"),
        ("/peta", "Peta lokasi program", "Map of the program sites"),
        ("/riwayat", "Riwayat data dan perubahan", "Data history and changes"),
        ("/tentang", "Cara status dihitung", "How status is computed"),
        ("/survei", "Survei Kepuasan Masyarakat Program Quick Win", "Residents' satisfaction survey of the Quick Win"),
        ("/hasil-survei", "Hasil Survei Kepuasan Masyarakat", "Residents' satisfaction survey results"),
        ("/kesehatan-data", "Kesehatan data per SKPD", "Data health per office (SKPD)"),
    ]
]
LANGUAGES = ("id", "en")
SAMPLE_BANNER = {"id": "Data contoh", "en": "Sample data"}
LANGUAGE_RADIO = "Bahasa / Language"

Screenshot = Callable[..., Path]


def url(base: str, public_page: PublicPage, lang: str) -> str:
    return f"{base}/{public_page.url_path.lstrip('/')}" + ("?lang=en" if lang == "en" else "")


def visible_text(page: Page, text: str) -> Locator:
    return page.get_by_text(text).filter(visible=True).first


def assert_no_failure(page: Page, server_errors: Callable[[], str]) -> None:
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, f"Streamlit exception on the page: {exceptions.all_inner_texts()}"
    errors = server_errors()
    assert not errors, f"the server logged an error while the page was drawn:\n{errors}"


def wait_until_drawn(page: Page, text: str, server_errors: Callable[[], str]) -> None:
    """Until the script run is over and no element is still a loading placeholder (charts load their code
    lazily), with no failure on the page or in the server's log; then ``text`` is visible."""
    failure = page.get_by_test_id("stException").or_(page.get_by_test_id("stAlertContentError"))
    expect(visible_text(page, text).or_(failure).first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT_MS)
    assert_no_failure(page, server_errors)
    expect(visible_text(page, text)).to_be_visible()


def open_public_page(
    page: Page, base: str, public_page: PublicPage, lang: str, server_errors: Callable[[], str]
) -> None:
    page.goto(url(base, public_page, lang), wait_until="domcontentloaded")
    wait_until_drawn(page, public_page.text(lang), server_errors)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("public_page", PAGES, ids=[p.slug for p in PAGES])
def test_public_page(
    page: Page,
    viewport: Viewport,
    portal_url: str,
    server_errors: Callable[[], str],
    screenshot: Screenshot,
    public_page: PublicPage,
    lang: str,
) -> None:
    open_public_page(page, portal_url, public_page, lang, server_errors)
    expect(page.get_by_role("alert").filter(has_text=SAMPLE_BANNER[lang]).first).to_be_visible()
    widths = page.evaluate(
        """() => ({
            document: document.documentElement.scrollWidth,
            window: window.innerWidth,
            main: document.querySelector('[data-testid="stMain"]')?.scrollWidth ?? 0,
            mainBox: document.querySelector('[data-testid="stMain"]')?.clientWidth ?? 0,
        })"""
    )
    assert widths["window"] == viewport.width, f"the page is wider than the screen and was zoomed out: {widths}"
    assert widths["document"] <= widths["window"] + 1, f"the page scrolls sideways: {widths}"
    assert widths["main"] <= widths["mainBox"] + 1, f"the main area scrolls sideways: {widths}"
    screenshot(lang, public_page.slug)


@pytest.mark.parametrize("public_page", PAGES, ids=[p.slug for p in PAGES])
def test_language_switch_in_the_sidebar(
    page: Page, portal_url: str, server_errors: Callable[[], str], screenshot: Screenshot, public_page: PublicPage
) -> None:
    open_public_page(page, portal_url, public_page, "id", server_errors)
    expand = page.get_by_role("button", name="Expand sidebar")
    folded = expand.is_visible()  # on a phone the sidebar starts folded away
    if folded:
        expand.click()
    language = page.get_by_role("radiogroup", name=LANGUAGE_RADIO)
    expect(language).to_be_visible()
    expect(language.get_by_role("radio", name="Bahasa Indonesia")).to_be_checked()

    language.get_by_text("English", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"), timeout=TIMEOUT_MS)
    wait_until_drawn(page, public_page.text_en, server_errors)
    expect(language.get_by_role("radio", name="English")).to_be_checked()
    expect(page.get_by_role("alert").filter(has_text=SAMPLE_BANNER["en"]).first).to_be_visible()
    if folded:
        page.get_by_role("button", name="Collapse sidebar").click()
        expect(expand).to_be_visible()
        page.wait_for_function(  # the sidebar has slid off the screen
            """() => document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect().right <= 0""",
            timeout=TIMEOUT_MS,
        )
    screenshot("en", public_page.slug)
    if folded:
        expand.click()

    language.get_by_text("Bahasa Indonesia", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"[?&]lang="), timeout=TIMEOUT_MS)
    wait_until_drawn(page, public_page.text_id, server_errors)


def test_developer_chrome_is_hidden_from_the_public(
    page: Page, portal_url: str, server_errors: Callable[[], str]
) -> None:
    open_public_page(page, portal_url, PAGES[0], "id", server_errors)
    expect(page.get_by_test_id("stHeader")).to_be_attached()
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)


def test_a_shared_link_restores_the_program_and_the_map_filters(
    page: Page, portal_url: str, server_errors: Callable[[], str], screenshot: Screenshot
) -> None:
    """A journalist's link opens exactly the view they shared: program, filters and language."""
    page.goto(f"{portal_url}/program?program=QW24-PUPR-01&lang=en", wait_until="domcontentloaded")
    wait_until_drawn(page, "S-curve: planned and actual cumulative progress", server_errors)
    expect(page.get_by_role("heading", name="Sungaiku Baiman")).to_be_visible()
    screenshot("en", "shared-program")

    page.goto(f"{portal_url}/peta?kecamatan=Banjarmasin+Selatan&status=Selesai", wait_until="domcontentloaded")
    wait_until_drawn(page, "Peta lokasi program", server_errors)
    kecamatan = page.get_by_test_id("stMultiSelect").filter(has_text="Kecamatan")
    expect(kecamatan.get_by_text("Banjarmasin Selatan")).to_be_visible()
    status = page.get_by_test_id("stMultiSelect").filter(has_text="Status lokasi")
    expect(status.get_by_text("Selesai")).to_be_visible()
    screenshot("id", "shared-map")


def test_the_language_survives_moving_between_pages(
    page: Page, portal_url: str, server_errors: Callable[[], str]
) -> None:
    open_public_page(page, portal_url, PAGES[0], "en", server_errors)
    expand = page.get_by_role("button", name="Expand sidebar")
    if expand.is_visible():
        expand.click()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Program").click()
    wait_until_drawn(page, "S-curve: planned and actual cumulative progress", server_errors)
    expect(page).to_have_url(re.compile(r"/program\?.*lang=en"), timeout=TIMEOUT_MS)


def test_a_card_on_the_home_page_opens_its_program(
    page: Page, portal_url: str, server_errors: Callable[[], str]
) -> None:
    """The card's link (a Page object made once per app, not a path resolved per card) lands on the program."""
    open_public_page(page, portal_url, PAGES[0], "en", server_errors)
    link = page.get_by_role("link", name="View program").and_(page.locator('[href*="program=QW24-PUPR-01"]'))
    link.click()
    wait_until_drawn(page, "S-curve: planned and actual cumulative progress", server_errors)
    expect(page).to_have_url(re.compile(r"/program\?(?=.*program=QW24-PUPR-01)(?=.*lang=en)"), timeout=TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Sungaiku Baiman")).to_be_visible()
