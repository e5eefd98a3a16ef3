"""An SKPD clerk's journey in a real browser (issue #26): a draft with a bad cell uploaded on /pratinjau, and the
message that says what is wrong read in full, inside the screen, on a phone and a desktop, in both languages.

The template download that starts the journey is tested in test_preview_in_browser.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from .conftest import REPO, Viewport
from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

SAMPLE = REPO / "sample_data" / "disperkim_bakawan_rtlh.xlsx"
HEADING = {"id": "Pratinjau sheet SKPD", "en": "Preview an SKPD sheet"}
# What the report says about a planned progress of 1000 % (typed as 10 into a percent-formatted cell).
OUT_OF_RANGE = {"id": "rencana_persen", "en": "rencana_persen"}
Screenshot = Callable[..., Path]


def _draft_with_a_bad_cell(folder: Path) -> Path:
    """The sample workbook with one planned progress far over 100 %: the report's message names the column."""
    book = openpyxl.load_workbook(SAMPLE)
    sheet = book["capaian"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("rencana_persen") + 1, value=1000)
    path = folder / "draf-disperkim.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_message_about_a_bad_cell_is_read_in_full_inside_the_screen(
    page: Page,
    viewport: Viewport,
    portal_url: str,
    server_errors: Callable[[], str],
    screenshot: Screenshot,
    tmp_path: Path,
    lang: str,
) -> None:
    page.goto(f"{portal_url}/pratinjau" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
    wait_until_drawn(page, HEADING[lang], server_errors)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(_draft_with_a_bad_cell(tmp_path))

    # The item of the report that names the bad cell: its cell and its whole message.
    item = page.get_by_role("listitem").filter(has_text="capaian!").filter(has_text=OUT_OF_RANGE[lang]).first
    expect(item).to_be_visible(timeout=TIMEOUT_MS)
    item.scroll_into_view_if_needed()
    box = item.bounding_box()
    assert box is not None
    # Inside the screen without sideways scrolling, and nothing of it cut off or hidden behind an ellipsis.
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport.width, (box, viewport)
    clipped = item.evaluate(
        """item => [item, ...item.querySelectorAll('*')].some(
            e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')"""
    )
    assert not clipped, "a part of the message is cut off"
    text = item.inner_text()
    assert "…" not in text and "1000" in text, text
    screenshot(lang, "message")
