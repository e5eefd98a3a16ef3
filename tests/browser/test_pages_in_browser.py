"""Every public page in a real browser, in both languages, on a desktop and on a phone: drawn whole, fitting the
screen, with no serious or critical accessibility problem axe-core finds, and every icon in the portal's icon font.

The machine has no internet: map tiles and Google's hosts never load, so nothing here waits for the network to
go idle; each step waits on the app's own elements.
"""

from __future__ import annotations

import io
import re
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from core.i18n import t
from server.icon_font import icon_names

from .conftest import PHONE, Viewport

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

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
# axe-core's impacts that block a reader (the bar); "moderate" and "minor" are reported, not failed.
BLOCKING = ("serious", "critical")
AXE = Axe()
SAMPLE_BANNER = {"id": "Data contoh", "en": "Sample data"}
SITES_PICTURE = {"id": re.compile("^Peta Kota Banjarmasin"), "en": re.compile("^Map of Banjarmasin")}

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
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"{r.failure} {r.url}") if r.url.startswith(portal_url) else None)
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((portal_url, "data:", "blob:")) else elsewhere.append(r.url))
    open_public_page(page, portal_url, public_page, lang, server_errors)
    expect(page.get_by_role("alert").filter(has_text=SAMPLE_BANNER[lang]).first).to_be_visible()
    # Nothing the page asks of the portal fails (a console error for the reader, and a Lighthouse mark).
    assert not [f for f in failed if portal_url in f], failed
    # A reader's address reaches no one but the portal (only the interactive map, once opened, fetches Carto's
    # basemap: /peta first shows the server's picture).
    assert not elsewhere, elsewhere
    if public_page.url_path in ("/program", "/peta"):
        sites = page.get_by_role("img", name=SITES_PICTURE[lang])
        expect(sites).to_be_visible()
        assert sites.evaluate("image => image.complete && image.naturalWidth") > 300  # drawn, at a phone's width
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
    assert not blocking_accessibility_problems(page)
    assert icons_drawn(page) <= icon_names(), "an icon the portal's cut of the icon font does not have"
    screenshot(lang, public_page.slug)


def blocking_accessibility_problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the drawn page, one line each with the elements."""
    violations = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: {[node['html'][:120] for node in v['nodes']]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


def icons_drawn(page: Page) -> set[str]:
    """The names of the icons drawn with the icon font (each is its name, turned into a glyph by the font)."""
    return set(
        page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => getComputedStyle(e).fontFamily.includes('Material Symbols') && e.children.length === 0)
                .map(e => e.textContent.trim()).filter(Boolean)"""
        )
    )


@pytest.mark.parametrize("public_page", PAGES, ids=[p.slug for p in PAGES])
def test_the_language_button_in_the_header_switches_the_page_and_keeps_its_address(
    page: Page, portal_url: str, server_errors: Callable[[], str], screenshot: Screenshot, public_page: PublicPage
) -> None:
    open_public_page(page, portal_url, public_page, "id", server_errors)
    switch = page.locator(".st-key-language_switch").get_by_role("button", name="English", exact=True)
    expect(switch).to_be_visible()
    box = switch.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 64, "the button sits in the header bar, above the page"
    assert box["x"] + box["width"] <= page.viewport_size["width"], "and inside the screen"
    before = re.sub(r"[?&]lang=[^&]*", "", page.url)

    switch.click()
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"), timeout=TIMEOUT_MS)
    wait_until_drawn(page, public_page.text_en, server_errors)
    expect(page.get_by_role("alert").filter(has_text=SAMPLE_BANNER["en"]).first).to_be_visible()
    # The rest of the address is kept: the program shown, the map's filters.
    assert _query_without_lang(page.url) == _query_without_lang(before) and _path(page.url) == _path(before)
    screenshot("en", public_page.slug)

    page.locator(".st-key-language_switch").get_by_role("button", name="Bahasa Indonesia", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"[?&]lang="), timeout=TIMEOUT_MS)
    wait_until_drawn(page, public_page.text_id, server_errors)
    assert _query_without_lang(page.url) == _query_without_lang(before)


def test_the_language_button_keeps_the_maps_filters_a_name_given_twice_included(
    page: Page, portal_url: str, server_errors: Callable[[], str]
) -> None:
    page.goto(f"{portal_url}/peta?status=Selesai&status=Terhambat&kecamatan=Banjarmasin+Selatan", wait_until="commit")
    wait_until_drawn(page, "Peta lokasi program", server_errors)
    page.locator(".st-key-language_switch").get_by_role("button", name="English", exact=True).click()
    wait_until_drawn(page, "Map of the program sites", server_errors)
    assert _query_without_lang(page.url) == [
        ("kecamatan", "Banjarmasin Selatan"),
        ("status", "Selesai"),
        ("status", "Terhambat"),
    ]
    status = page.get_by_test_id("stMultiSelect").filter(has_text="Site status")
    expect(status.get_by_text("Terhambat")).to_be_visible()  # the canonical word in both languages


def _path(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def _query_without_lang(url: str) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query) if k != "lang")


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
    """The address of a page the navigation opens has no language; the session's holds (components/language.py).
    On a phone the top navigation is folded into a menu the header's button opens."""
    open_public_page(page, portal_url, PAGES[0], "en", server_errors)
    expand = page.get_by_role("button", name="Expand sidebar")
    if expand.is_visible():
        expand.click()
        nav = page.get_by_test_id("stSidebarNav")
    else:
        nav = page.get_by_test_id("stTopNav")
    nav.get_by_role("link", name="Program").click()
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


def _badge_pixels(chart: Locator) -> int:
    """Pixels of the map in the yellow of the "… lokasi" boxes (Okabe–Ito yellow, nearly opaque)."""
    pixels = Image.open(io.BytesIO(chart.screenshot())).convert("RGB").tobytes()
    triples = zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=True)
    return sum(1 for r, g, b in triples if abs(r - 240) < 20 and abs(g - 228) < 20 and abs(b - 70) < 30)


def _until_badges(chart: Locator, at_least: int, timeout_s: float = TIMEOUT_MS / 1000) -> int:
    """The yellow pixel count once it reaches ``at_least`` (deck.gl draws a moment after the canvas appears)."""
    deadline = time.monotonic() + timeout_s
    while (found := _badge_pixels(chart)) < at_least and time.monotonic() < deadline:
        time.sleep(0.5)  # polling a picture: there is no element to wait on inside the canvas
    return found


def open_interactive_map(page: Page, lang: str = "id") -> Locator:
    """The reader asks for the interactive map (issue 23: the page first shows the server's picture); its chart."""
    page.get_by_role("button", name=t("map.open", lang)).click(timeout=TIMEOUT_MS)
    chart = page.get_by_test_id("stDeckGlJsonChart").first
    expect(chart).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    return chart


def show_map_tables(page: Page, lang: str = "id") -> None:
    """The reader shows the map's tables (sent only when asked for, issue 23)."""
    page.get_by_test_id("stCheckbox").get_by_text(t("map.table.show", lang), exact=True).click(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_map_page_s_first_screen_shows_the_map_and_the_interactive_map_opens_when_asked(
    page: Page, viewport: Viewport, portal_url: str, server_errors: Callable[[], str], screenshot: Screenshot, lang: str
) -> None:
    """Issue 23, item 4: on a 390 x 844 phone (and a desktop) the map's picture starts in the first screen once the
    app has drawn, the filters after it; deck.gl is not loaded until the reader asks, and then draws."""
    open_public_page(page, portal_url, PAGES[0], lang, server_errors)  # a fresh server's first page (issue 8)
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(f"{portal_url}/peta?kecamatan=Banjarmasin+Selatan" + ("&lang=en" if lang == "en" else ""))
    wait_until_drawn(page, t("map.title", lang), server_errors)
    picture = page.get_by_test_id("stMain").get_by_role("img", name=SITES_PICTURE[lang])
    expect(picture).to_be_visible()
    assert picture.evaluate("image => image.complete && image.naturalWidth") > 300
    box = picture.bounding_box()
    assert box is not None and 0 <= box["y"] < viewport.height, (box, viewport)  # starts inside the first screen
    first_filter = page.get_by_test_id("stMultiSelect").first.bounding_box()
    assert first_filter is not None and first_filter["y"] > box["y"]  # the filters come after the map
    expect(page.get_by_test_id("stDeckGlJsonChart")).to_have_count(0)
    screenshot(lang, "map-first-screen")
    loaded_before = len(scripts)

    chart = open_interactive_map(page, lang)
    expect(chart.locator("canvas").first).to_be_visible(timeout=TIMEOUT_MS)
    assert len(scripts) > loaded_before  # deck.gl's code comes now, not with the page
    expect(page.get_by_role("img", name=SITES_PICTURE[lang])).to_have_count(0)
    expect(page.get_by_text(t("map.legend.title", lang), exact=True)).to_be_visible()


def test_the_map_counts_sites_per_kelurahan_above_its_limit_and_draws_each_in_a_narrower_view(
    page: Page, portal_url: str, server_errors: Callable[[], str], screenshot: Screenshot
) -> None:
    """deck.gl draws the counted form (text boxes with a background) without an error; a kelurahan draws each site."""
    problems: list[str] = []
    # The basemap's style and tiles cannot load on this machine (no internet): those network failures are
    # expected; anything else deck.gl reports (a layer property it refuses, a failed draw) is a problem.
    offline = ("Failed to load resource", "Failed to fetch")
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and not any(o in message.text for o in offline)
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    # A fresh server's very first visit to a page other than the home page makes Streamlit report "page not
    # found" (Streamlit issues #8860/#9992, see the note on issue 8); the home page first keeps that out.
    open_public_page(page, portal_url, PAGES[0], "id", server_errors)

    page.goto(f"{portal_url}/peta", wait_until="domcontentloaded")
    wait_until_drawn(page, "Peta lokasi program", server_errors)
    expect(visible_text(page, "terlalu banyak untuk digambar satu per satu")).to_be_visible()
    show_map_tables(page)  # before deck.gl draws: its software WebGL keeps a loaded machine's tab busy
    chart = open_interactive_map(page)
    expect(visible_text(page, "Lokasi program per kelurahan")).to_be_visible()
    expect(chart.locator("canvas").first).to_be_visible(timeout=TIMEOUT_MS)
    # The boxes are drawn in the canvas (WebGL): their yellow is looked for in the picture of the map.
    assert _until_badges(chart, at_least=300) >= 300
    screenshot("id", "map-counted")

    page.goto(f"{portal_url}/peta?kelurahan=Kertak+Baru+Ilir", wait_until="domcontentloaded")
    wait_until_drawn(page, "Peta lokasi program", server_errors)
    kelurahan = page.get_by_test_id("stMultiSelect").filter(has_text="Kelurahan")
    expect(kelurahan.get_by_text("Kertak Baru Ilir")).to_be_visible()
    expect(page.get_by_text("terlalu banyak untuk digambar satu per satu")).to_have_count(0)
    show_map_tables(page)
    open_interactive_map(page)
    expect(visible_text(page, "Lokasi program")).to_be_visible()
    expect(page.get_by_test_id("stDeckGlJsonChart").locator("canvas").first).to_be_visible(timeout=TIMEOUT_MS)
    screenshot("id", "map-one-kelurahan")
    assert _badge_pixels(page.get_by_test_id("stDeckGlJsonChart").first) < 50  # no counting boxes here
    assert not problems, problems


def test_the_accessibility_check_fails_on_faint_text_and_an_image_without_a_text_alternative(page: Page) -> None:
    page.set_content(
        '<html lang="id"><body><main><h1>Uji</h1><p style="color:#bbb">teks pucat</p>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    )
    problems = " ".join(blocking_accessibility_problems(page))
    assert "color-contrast (serious)" in problems and "image-alt (critical)" in problems


LAYOUT_SHIFTS = """(() => { window.__shifts = []; new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__shifts.push(e.value);
}).observe({type: 'layout-shift', buffered: true}); })();"""


def test_the_language_button_takes_its_place_in_the_header_without_moving_the_page(
    browser: Browser, portal_url: str, server_errors: Callable[[], str]
) -> None:
    """Its style is in the page's head (core.page_html.LANGUAGE_SWITCH_STYLE): drawn in the page's flow first, it had
    moved the whole page up 56 px when the app's own style came, a layout shift of 0.36 on a phone (issue 23)."""
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True)
    page = context.new_page()
    page.add_init_script(LAYOUT_SHIFTS)
    page.goto(portal_url + "/", wait_until="commit")
    wait_until_drawn(page, PAGES[0].text_id, server_errors)
    expect(page.locator(".st-key-language_switch").get_by_role("button", name="English")).to_be_visible()
    assert sum(page.evaluate("window.__shifts")) < 0.1
    context.close()


def test_on_a_narrower_window_the_navigation_folds_its_last_pages_away_from_the_language_button(
    browser: Browser, portal_url: str, server_errors: Callable[[], str]
) -> None:
    """At 800 px the pages do not all fit beside the button: the last ones go into the navigation's own menu, whose
    words ("3 more") are Streamlit's English, said in Indonesian (core.streamlit_words)."""
    context = browser.new_context(viewport={"width": 800, "height": 700})
    page = context.new_page()
    page.goto(portal_url + "/", wait_until="commit")
    wait_until_drawn(page, PAGES[0].text_id, server_errors)
    nav = page.get_by_test_id("stTopNav")
    expect(nav.get_by_text(re.compile(r"^\d+ lainnya$"))).to_be_visible()
    expect(nav.get_by_text(re.compile(r"\bmore\b"))).to_have_count(0)
    button = page.locator(".st-key-language_switch").get_by_role("button", name="English").bounding_box()
    assert button is not None
    for link in nav.get_by_role("link").all():
        box = link.bounding_box()
        if box is not None and link.is_visible():
            assert box["x"] + box["width"] <= button["x"], f"{link.inner_text()} runs under the language button"
    context.close()


@pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["phone"])
def test_on_a_phone_the_open_page_menu_has_its_close_button_to_itself(
    page: Page, portal_url: str, server_errors: Callable[[], str]
) -> None:
    """The phone's page menu (Streamlit's sidebar as a drawer) puts its close button in the header's right part,
    where the language button is: the button steps aside while the menu is open and comes back when it closes."""
    open_public_page(page, portal_url, PAGES[0], "id", server_errors)
    language = page.locator(".st-key-language_switch").get_by_role("button", name="English")
    expect(language).to_be_visible()
    page.get_by_role("button", name="Expand sidebar").click()
    close = page.get_by_role("button", name="Collapse sidebar")
    expect(close).to_be_visible()
    expect(language).to_be_hidden()
    # What a finger on the middle of the close button touches is the close button (once the drawer has slid in:
    # the wait fails the test if it never is).
    page.wait_for_function(
        """(button) => { const r = button.getBoundingClientRect();
            return button.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }""",
        arg=close.element_handle(),
        timeout=TIMEOUT_MS,
    )
    close.click()
    expect(language).to_be_visible()
