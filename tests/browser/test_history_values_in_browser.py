"""/riwayat's table of a program's values as published, in a real browser (issue 23): first a static table of the
program's data and its newest reports, whose date, field and value lie inside a 390 px phone's width, with no grid on
the page; the interactive grid with every value when the reader asks for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from core.i18n import t

from .conftest import Viewport
from .test_pages_in_browser import TIMEOUT_MS, Screenshot, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

KEY_COLUMNS = ("history.col.report_date", "history.col.field", "history.col.value")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_history_values_arrive_as_a_static_table_inside_the_screen_and_the_grid_comes_when_asked(
    page: Page,
    viewport: Viewport,
    portal_url: str,
    server_errors: Callable[[], str],
    screenshot: Screenshot,
    lang: str,
) -> None:
    suffix = "&lang=en" if lang == "en" else ""
    page.goto(f"{portal_url}/riwayat?program=QW24-DLH-01{suffix}", wait_until="domcontentloaded")
    wait_until_drawn(page, t("history.program.title", lang), server_errors)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    program_row = t("history.program_row", lang)
    # The values' table is the one whose first cell is the program's own row (the versions' table stays folded).
    static = page.get_by_test_id("stTable").filter(has_text=program_row).first
    static.scroll_into_view_if_needed()
    headers = static.locator("thead th")
    expect(headers.first).to_be_visible(timeout=TIMEOUT_MS)
    wanted = [t(key, lang) for key in KEY_COLUMNS]
    assert [h.strip() for h in headers.all_inner_texts()][: len(wanted)] == wanted
    for index in range(len(wanted)):
        box = headers.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport.width, (wanted[index], box)
    first_row = static.locator("tbody tr").first
    expect(first_row).to_contain_text(program_row)
    rows = static.locator("tbody tr").count()
    # Fewer rows than the program's values: the caption says how many of how many.
    said = t("history.program.static_cut", lang, shown=str(rows), total="\0").split("\0")[0]
    expect(page.get_by_test_id("stCaptionContainer").filter(has_text=said).first).to_be_visible()
    screenshot(lang, "history-values-static")

    page.get_by_test_id("stCheckbox").get_by_text(t("table.interactive", lang), exact=True).click(timeout=TIMEOUT_MS)
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible(timeout=TIMEOUT_MS)
    grid.scroll_into_view_if_needed()
    # The grid's accessible table lives inside its canvas: found by its roles in the DOM, not on the screen.
    expect(grid.get_by_role("columnheader", name=wanted[2], exact=True, include_hidden=True).first).to_be_attached(
        timeout=TIMEOUT_MS
    )
    expect(grid.get_by_role("gridcell", name=program_row, exact=True, include_hidden=True).first).to_be_attached()
    box = grid.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport.width, box
    screenshot(lang, "history-values-grid")
