"""The program page's reports table in a real browser (issue #26, item 4): what matters, the date, progress
against plan and the evidence link, is on screen without sideways scrolling at 1280 px and on a 390 px phone, in the
static table the page shows first (issue 23) and in the interactive grid a reader asks for."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from core.i18n import t

from .conftest import Viewport
from .test_pages_in_browser import TIMEOUT_MS, Screenshot, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

KEY_COLUMNS = {"id": ["Tanggal", "Realisasi", "Rencana", "Bukti"], "en": ["Date", "Progress", "Plan", "Evidence"]}
CURVE = {"id": "Kurva S: rencana dan realisasi kumulatif", "en": "S-curve: planned and actual cumulative progress"}


def _drawn_headers(page: Page, table_id: str) -> list[str]:
    """The column headers the grid draws in its visible width, in order.

    The grid paints on a canvas; beside it, it keeps an accessible table of the cells in its visible window only
    (the columns scrolled out of view are not in it). A column is wholly on screen when the one after it is
    drawn too: that column starts where it ends."""
    return page.evaluate(
        """(id) => [...document.querySelectorAll(`[data-testid="stDataFrame"]`)[id]
                .querySelectorAll('[role="columnheader"]')].map((th) => th.textContent.trim())""",
        table_id,
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_reports_table_shows_date_progress_plan_and_evidence_without_sideways_scrolling(
    page: Page,
    viewport: Viewport,
    portal_url: str,
    server_errors: Callable[[], str],
    screenshot: Screenshot,
    lang: str,
) -> None:
    suffix = "&lang=en" if lang == "en" else ""
    page.goto(f"{portal_url}/program?program=QW24-PUPR-01{suffix}", wait_until="domcontentloaded")
    wait_until_drawn(page, CURVE[lang], server_errors)
    # First the static table (the curve's table is folded away in its expander): its key headers and the newest
    # report's evidence link lie inside the screen's width.
    static = page.get_by_test_id("stTable").filter(visible=True).last
    static.scroll_into_view_if_needed()
    headers = static.locator("thead th")
    expect(headers.first).to_be_visible(timeout=TIMEOUT_MS)
    key = KEY_COLUMNS[lang]
    assert [h.strip() for h in headers.all_inner_texts()][: len(key)] == key
    for index in range(len(key)):
        box = headers.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport.width, (key[index], box)
    link = static.locator("tbody tr").first.get_by_role("link", name=t("col.open", lang), exact=True)
    expect(link).to_be_visible(timeout=TIMEOUT_MS)
    box = link.bounding_box()
    assert box is not None and box["x"] + box["width"] <= viewport.width, box
    assert (link.get_attribute("href") or "").startswith("https://")
    screenshot(lang, "reports-static")

    # Then the grid, when the reader asks for it.
    page.get_by_test_id("stCheckbox").get_by_text(t("table.interactive", lang), exact=True).click(timeout=TIMEOUT_MS)
    tables = page.get_by_test_id("stDataFrame")
    expect(tables.first).to_be_visible(timeout=TIMEOUT_MS)
    reports = tables.filter(visible=True).last
    reports.scroll_into_view_if_needed()
    # The grid's accessible table lives inside its canvas: found by its roles in the DOM, not on the screen.
    expect(reports.locator('[role="columnheader"]').first).to_be_attached(timeout=TIMEOUT_MS)
    box = reports.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport.width, box
    index = tables.count() - 1
    headers = _drawn_headers(page, index)
    assert headers[: len(key)] == key, headers
    # The evidence column ends inside the table's visible width: the column after it is drawn as well.
    assert len(headers) > len(key), f"{key[-1]} is cut at {viewport.width} px: {headers}"
    screenshot(lang, "reports")
