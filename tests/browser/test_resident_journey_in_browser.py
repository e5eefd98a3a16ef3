"""A resident's journey in a real browser (issue #26), on a phone and a desktop, in Indonesian and in English:
find one's kelurahan on the map and read its sites in the table, then open the program and rate it in the survey.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from portal_server import PortalServer

from core.i18n import t
from core.wilayah import KELURAHAN

from .conftest import Viewport
from .test_feedback_in_browser import QUESTIONNAIRE, answer, stored_responses
from .test_journalist_journey_in_browser import _choose, open_list
from .test_pages_in_browser import PAGES, TIMEOUT_MS, show_map_tables, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

Screenshot = Callable[..., Path]

KECAMATAN, KELURAHAN_NAME, PROGRAM = "Banjarmasin Selatan", "Kelayan Selatan", "QW24-PERKIM-01"
PROGRAM_NAME = "Bakawan RTLH"
ALL_KELURAHAN = {k.nama for k in KELURAHAN}
OF_KECAMATAN = {k.nama for k in KELURAHAN if k.kecamatan == KECAMATAN}
ELSEWHERE = "Kuripan"  # a kelurahan of Banjarmasin Timur


def _lang_query(lang: str, first: bool = True) -> str:
    return "" if lang == "id" else ("?" if first else "&") + "lang=en"


def _filter(page: Page, key: str, lang: str) -> Locator:
    label = t(key, lang)
    return page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text(label, exact=True))


def _offered_kelurahan(page: Page) -> set[str]:
    """The kelurahan names the open list offers (the list may draw only those in sight; others are left out)."""
    return {name for name in page.get_by_role("option").all_inner_texts() if name.strip() in ALL_KELURAHAN}


def _wait_for_rerun_with(page: Page, param: str) -> None:
    """Wait until the page's run with the new filter has drawn: its map picture names the filter.

    The URL and the "notRunning" state can both show the choice before that run redraws the filters; the
    Kelurahan filter is then still the old widget (its options changed, so Streamlit makes a new one), and a list
    opened or a pick made on it is lost with it. The script reads the filters before it draws the picture, so the
    picture of the new filter proves the filters above are the new ones."""
    expect(page.locator(f'img[src*="/grafik/peta-kota.svg"][src*="{param}"]')).to_be_attached(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)


def _chip_is_whole(chip: Locator) -> bool:
    """The chosen value's text is drawn whole: nothing cut off (no "Kela…") and the chip inside the screen."""
    return chip.evaluate(
        """chip => {
            const text = chip.querySelector('span[title]') ?? chip;
            const box = chip.getBoundingClientRect();
            return text.scrollWidth <= text.clientWidth + 1 && box.left >= 0 && box.right <= window.innerWidth;
        }"""
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_resident_finds_their_kelurahan_on_the_map_and_rates_its_program(
    page: Page,
    viewport: Viewport,
    portal_url: str,
    portal_server: PortalServer,
    server_errors: Callable[[], str],
    screenshot: Screenshot,
    lang: str,
) -> None:
    map_title = t("map.title", lang)
    page.goto(f"{portal_url}/{_lang_query(lang)}", wait_until="domcontentloaded")  # a fresh server's first page
    wait_until_drawn(page, PAGES[0].text(lang), server_errors)
    page.goto(f"{portal_url}/peta{_lang_query(lang)}", wait_until="domcontentloaded")
    wait_until_drawn(page, map_title, server_errors)

    # 1. The kecamatan narrows the kelurahan list to its own kelurahan.
    _choose(page, t("map.filter.kecamatan", lang), KECAMATAN)
    expect(page).to_have_url(re.compile(r"[?&]kecamatan=Banjarmasin\+Selatan(&|$)"), timeout=TIMEOUT_MS)
    _wait_for_rerun_with(page, "kecamatan=Banjarmasin+Selatan")
    kelurahan = _filter(page, "map.filter.kelurahan", lang)
    open_list(page, kelurahan)
    offered = _offered_kelurahan(page)
    assert offered and offered <= OF_KECAMATAN, offered - OF_KECAMATAN
    search = kelurahan.get_by_role("combobox")
    search.fill(ELSEWHERE)  # typed by name, a kelurahan of another kecamatan is not offered either
    expect(page.get_by_role("option", name=ELSEWHERE, exact=True)).to_have_count(0)
    search.fill("")
    page.keyboard.press("Escape")

    # 2. The chosen kelurahan reads whole in its chip, and the link keeps both choices.
    _choose(page, t("map.filter.kelurahan", lang), KELURAHAN_NAME)
    expect(page).to_have_url(re.compile(r"[?&]kelurahan=Kelayan\+Selatan(&|$)"), timeout=TIMEOUT_MS)
    _wait_for_rerun_with(page, "kelurahan=Kelayan+Selatan")
    wait_until_drawn(page, map_title, server_errors)
    chip = kelurahan.locator("[data-tag]").filter(has_text=KELURAHAN_NAME)
    chip.scroll_into_view_if_needed()
    expect(chip).to_be_in_viewport()
    assert _chip_is_whole(chip), chip.inner_text()
    assert _chip_is_whole(_filter(page, "map.filter.kecamatan", lang).locator("[data-tag]").first)
    screenshot(lang, "map-kelurahan")

    # 3. The table of sites shows their kelurahan without a sideways scroll (shown when asked for, issue 23).
    show_map_tables(page, lang)
    table = page.get_by_test_id("stDataFrame").first
    table.scroll_into_view_if_needed()
    expect(table).to_be_in_viewport()
    box = table.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport.width + 1, box
    # The grid's accessible table holds the columns it draws in sight: the kelurahan is among them.
    expect(
        table.get_by_role("columnheader", name=t("map.col.kelurahan", lang), exact=True, include_hidden=True)
    ).to_have_count(1)
    expect(table.get_by_role("gridcell", name=KELURAHAN_NAME, exact=True, include_hidden=True).first).to_be_attached()
    screenshot(lang, "map-table")

    # 4. The program's page links to its survey, in the reader's language; the survey opens on that program.
    page.goto(f"{portal_url}/program?program={PROGRAM}{_lang_query(lang, first=False)}", wait_until="domcontentloaded")
    wait_until_drawn(page, t("program.curve", lang), server_errors)
    survey = page.get_by_role("link", name=t("program.survey", lang))
    expect(survey).to_have_attribute(
        "href", re.compile(rf"(^|/)survei\?program={PROGRAM}" + ("&lang=en" if lang == "en" else "") + "$")
    )
    survey.click()
    wait_until_drawn(page, QUESTIONNAIRE.title.get(lang), server_errors)
    expect(page).to_have_url(re.compile(rf"/survei\?(?=.*program={PROGRAM})"), timeout=TIMEOUT_MS)
    if lang == "en":
        expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))

    # 5. A submit with a question unanswered says so where the resident is, and saves nothing.
    before = stored_responses(portal_server)
    # The questions name the program (its sheet name goes on, "Bakawan RTLH — rehabilitasi …").
    answer(page, QUESTIONNAIRE.yes_no[0].text(lang, PROGRAM_NAME).rstrip("?"), t("feedback.ya", lang))
    page.get_by_role("button", name=t("feedback.submit", lang)).click()
    first_error = page.get_by_test_id("stAlertContentError").filter(
        has_text=t("feedback.problem_numbers", lang, numbers="2")
    )
    expect(first_error.first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    expect(first_error.first).to_be_in_viewport()
    assert stored_responses(portal_server) == before
    screenshot(lang, "survey-unanswered")
