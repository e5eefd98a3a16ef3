"""An SKPD clerk previews a draft in a real browser: a wrong file gets a clear message, a sound workbook its
report and the cards as residents will see them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from core import contract
from data_sources.files.sheet_template import GUIDE_SHEET

from .conftest import REPO
from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

SAMPLE = REPO / "sample_data" / "diskop_baiman_store.xlsx"
Screenshot = Callable[..., Path]


def test_a_clerk_uploads_a_draft_and_sees_its_report_and_cards(
    page: Page, portal_url: str, server_errors: Callable[[], str], screenshot: Screenshot, tmp_path: Path
) -> None:
    page.goto(f"{portal_url}/pratinjau", wait_until="domcontentloaded")
    wait_until_drawn(page, "Pratinjau sheet SKPD", server_errors)
    chooser = page.get_by_test_id("stFileUploaderDropzoneInput")

    not_a_workbook = tmp_path / "laporan.xlsx"
    not_a_workbook.write_bytes(b"%PDF-1.7 bukan workbook")
    chooser.set_input_files(not_a_workbook)
    expect(page.get_by_text("bukan workbook Excel")).to_be_visible(timeout=TIMEOUT_MS)

    chooser.set_input_files(SAMPLE)
    expect(page.get_by_text("Seperti yang akan dilihat warga")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Baiman Store").first).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(
        timeout=TIMEOUT_MS
    )  # the report of the sample's deliberate mistakes
    expect(page.get_by_text("Tidak ada yang disimpan").first).to_be_visible()
    screenshot("id", "preview")


def test_a_clerk_downloads_the_official_template_from_the_preview_page(
    page: Page, portal_url: str, server_errors: Callable[[], str], tmp_path: Path
) -> None:
    """Issue #26: the clerk's path starts with the template, which only the command line gave."""
    page.goto(f"{portal_url}/pratinjau", wait_until="domcontentloaded")
    wait_until_drawn(page, "Pratinjau sheet SKPD", server_errors)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name="Unduh templat sheet SKPD (.xlsx)").click()
    download = info.value
    assert download.suggested_filename == "templat-sheet-skpd.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames[0] == GUIDE_SHEET
    for spec in contract.WORKSHEETS:
        assert [c.value for c in book[spec.name][1]] == [c.name for c in spec.columns]


def test_a_clerk_who_chose_the_sheet_link_keeps_that_choice_when_switching_language(
    page: Page, portal_url: str, server_errors: Callable[[], str]
) -> None:
    """The choice's words change with the language ("Tautan Google Sheet" / "Google Sheet link"): Streamlit looked for
    the old words among the new and fell back to the upload (components.language.keep_choices)."""
    page.goto(f"{portal_url}/pratinjau", wait_until="domcontentloaded")
    wait_until_drawn(page, "Pratinjau sheet SKPD", server_errors)
    page.get_by_test_id("stRadio").get_by_text("Tautan Google Sheet", exact=True).click()
    expect(page.get_by_role("radio", name="Tautan Google Sheet")).to_be_checked()
    page.locator(".st-key-language_switch").get_by_role("button", name="English", exact=True).click()
    expect(page.get_by_role("radio", name="Google Sheet link")).to_be_checked(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    expect(page.get_by_role("radio", name="Google Sheet link")).to_be_checked()
    expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_have_count(0)
