"""The data health page's issues in a real browser (issue 23): the first view has no data grid, only each source's
static table, whose cell link lies inside a 390 px phone's screen and opens the Google sheet at that very cell, and
whose sheet text stays text; the grid comes when the reader asks for it.

Its own portal reads a Google source through the Sheets emulator (the session's portal reads local workbooks, whose
cells have no link): the Baiman Store sample, one of its values made hostile Markdown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import openpyxl
import pytest
from conftest import GoogleSetup
from playwright.sync_api import Page, expect
from portal_server import running_portal
from sheets_emulator import SheetsEmulator

from core.i18n import t

from .conftest import REPO, Viewport
from .test_pages_in_browser import TIMEOUT_MS, blocking_accessibility_problems, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

SAMPLE = REPO / "sample_data" / "diskop_baiman_store.xlsx"
# Typed into a kelurahan cell: the report's value and its message (which quotes it) are Markdown cells.
HOSTILE = "**x** [a](javascript:alert(1))"
HOSTILE_CELL = "G6"  # the sample's misspelt kelurahan, a warning
FIRST_CELL = "C5"  # the sample's first rejected row (rencana_persen 235): the static table lists rejected rows first
TITLE = {"id": "Kesehatan data per SKPD", "en": "Data health per office (SKPD)"}
Screenshot = Callable[..., Path]


class GooglePortal(NamedTuple):
    url: str
    key: str


def _hostile_copy(folder: Path) -> Path:
    book = openpyxl.load_workbook(SAMPLE)
    book["lokasi"][HOSTILE_CELL] = HOSTILE
    path = folder / "diskop_baiman_store.xlsx"
    book.save(path)
    return path


@pytest.fixture(scope="module")
def google_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GooglePortal]:
    """A portal whose one source is a Google sheet in the emulator; it fills its store on the first page."""
    folder = tmp_path_factory.mktemp("google-health")
    with SheetsEmulator() as sheets:
        account = sheets.service_account()
        key_file = folder / "service-account.json"
        key_file.write_text(json.dumps(account), encoding="utf-8")
        key = sheets.load_xlsx(_hostile_copy(folder), shared_with=[account["client_email"]])
        config = GoogleSetup(sheets, folder, account, key_file, {"diskop": key}).write_config()
        emulator = {"SHEETS_API_URL": sheets.base_url, "SHEETS_EXPORT_URL": sheets.base_url}
        with running_portal(folder, config=config, environment=emulator) as server:
            yield GooglePortal(server.url, key)


def _no_errors() -> str:
    return ""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_first_view_is_a_static_table_whose_cell_link_opens_the_sheet_there_inside_the_screen(
    page: Page, viewport: Viewport, google_portal: GooglePortal, screenshot: Screenshot, lang: str
) -> None:
    """At 390 x 844 (and 1280 px): no data grid until asked for; the first rejected row's cell link inside the
    screen, to the sheet at that cell; the table fits the phone's screen with its message whole."""
    suffix = "?lang=en" if lang == "en" else ""
    page.goto(f"{google_portal.url}/kesehatan-data{suffix}", wait_until="domcontentloaded")
    wait_until_drawn(page, TITLE[lang], _no_errors)
    # No grid on the first view: its code and what it lazy-loads (about 210 KB) wait for the reader's toggle.
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    [table] = page.get_by_test_id("stTable").all()

    # The first rejected row's cell: a link labelled with its A1 cell, inside the screen, to the sheet at that cell,
    # its worksheet under it.
    first = table.locator("tbody tr").first
    link = first.get_by_role("link", name=FIRST_CELL, exact=True)
    link.scroll_into_view_if_needed()
    expect(link).to_be_visible(timeout=TIMEOUT_MS)
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport.width, box
    href = link.get_attribute("href") or ""
    assert re.fullmatch(
        rf"https://docs\.google\.com/spreadsheets/d/{re.escape(google_portal.key)}/edit#gid=\d+&range={FIRST_CELL}",
        href,
    ), href
    expect(first.locator("td").nth(1)).to_have_text(re.compile(rf"^{FIRST_CELL}\s+capaian$"))
    # Every link of the table is a cell's; the hostile value and the message quoting it are text, not markup.
    links = table.get_by_role("link")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    names = links.all_inner_texts()
    assert hrefs and all(h.startswith("https://docs.google.com/spreadsheets/d/") for h in hrefs), hrefs
    assert all(h.endswith(f"&range={name}") for h, name in zip(hrefs, names, strict=True)), (hrefs, names)
    expect(table.locator("strong, em, img")).to_have_count(0)
    hostile = table.locator("tbody tr").filter(has=page.get_by_role("link", name=HOSTILE_CELL, exact=True))
    # The kind, the cell, the message whole; then the column and the value, hidden on a phone (the message quotes
    # them), so the table fits its screen without a sideways scroll.
    message = hostile.locator("td").nth(2)
    expect(message).to_contain_text(f"'{HOSTILE}'")
    box = message.bounding_box()
    assert box is not None and box["x"] + box["width"] <= viewport.width, box
    value = hostile.locator("td").last
    shown = ["severity", "cell", "message"] + ([] if viewport.mobile else ["column", "value"])
    expect(table.locator("thead th").filter(visible=True)).to_have_text([t(f"health.col.{c}", lang) for c in shown])
    if viewport.mobile:
        expect(value).to_be_hidden()
    else:
        expect(value).to_have_text(HOSTILE)
    # The box the table scrolls in, if it must (Streamlit's own, around the <table>).
    scroll = table.locator("table").evaluate("t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]")
    assert scroll[0] <= scroll[1] + 1, f"the table scrolls sideways: {scroll}"
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] + 1, widths
    assert not blocking_accessibility_problems(page)
    screenshot(lang, "static")
    # The table's end: the hostile row (the last warning) and the hint that a cell's address opens the sheet.
    hint = page.get_by_text(t("health.open_hint", lang), exact=True)
    hint.scroll_into_view_if_needed()
    expect(hint).to_be_visible()
    screenshot(lang, "static-end")

    # The grid when the reader asks for it, in place of the static table.
    page.get_by_test_id("stCheckbox").get_by_text(t("table.interactive", lang), exact=True).click(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stTable")).to_have_count(0)
    screenshot(lang, "grid")
