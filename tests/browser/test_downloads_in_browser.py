"""A journalist downloads what a page shows in a real browser: the file arrives with its data and provenance."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

DOWNLOADS = {"id": "Unduh data", "en": "Download the data"}


def open_downloads(page: Page, lang: str = "id") -> None:
    """Open the page's downloads box, as a reader does: its buttons are drawn only then (issue 23)."""
    expect(page.get_by_role("button", name="CSV", exact=True)).to_have_count(0)
    page.get_by_test_id("stExpander").get_by_text(DOWNLOADS[lang], exact=True).click()
    expect(page.get_by_role("button", name="CSV", exact=True)).to_be_visible(timeout=TIMEOUT_MS)


def test_a_journalist_downloads_a_program_s_reports_as_csv_and_everything_as_json(
    page: Page, portal_url: str, server_errors: Callable[[], str], tmp_path: Path
) -> None:
    page.goto(f"{portal_url}/program?program=QW24-PUPR-01", wait_until="domcontentloaded")
    wait_until_drawn(page, "Kurva S: rencana dan realisasi kumulatif", server_errors)
    open_downloads(page)

    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name="CSV", exact=True).click()
    download = info.value
    # Named by its "data per": the newest report date it holds (issue #26, item 7), not when it was read.
    assert download.suggested_filename == "quickwin-banjarmasin_laporan-QW24-PUPR-01_data-per-2024-12-31.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["kode_program"] for r in rows} == {"QW24-PUPR-01"}
    # Each report's "data per" is its own date; the time the portal read the sheet is "dibaca_pada". Values as the
    # data dictionary writes them: ISO dates, moments with +08:00 and whole seconds, whole numbers without ".0".
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["tanggal"]) and r["data_per"] == r["tanggal"] for r in rows)
    assert all(
        r["sumber"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00", r["dibaca_pada"]) for r in rows
    )
    assert all(r["realisasi_anggaran"] == "" or re.fullmatch(r"-?\d+", r["realisasi_anggaran"]) for r in rows), text
    assert not re.search(r"\b(True|False)\b", text)

    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name="JSON").last.click()
    everything = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert everything["tentang"]["lisensi"] and everything["tentang"]["data_per"] == "2024-12-31"
    assert everything["tentang"]["dibaca_pada"].endswith("+08:00")
    assert len(everything["data"]["program"]) == 6


def test_tables_offer_no_export_that_skips_formula_defusing(
    page: Page, portal_url: str, server_errors: Callable[[], str]
) -> None:
    """A table's own CSV export would pass "=..." to Excel as a formula; only our defused downloads are offered."""
    page.goto(f"{portal_url}/program?program=QW24-PUPR-01", wait_until="domcontentloaded")
    wait_until_drawn(page, "Kurva S: rencana dan realisasi kumulatif", server_errors)
    # The grid is drawn when the reader asks for it (issue 23); the static table before it has no toolbar at all.
    page.get_by_test_id("stCheckbox").get_by_text("Tampilkan tabel interaktif", exact=False).click(timeout=TIMEOUT_MS)
    table = page.get_by_test_id("stDataFrame").last
    expect(table).to_be_visible(timeout=TIMEOUT_MS)
    table.scroll_into_view_if_needed()
    table.hover()
    expect(page.get_by_test_id("stElementToolbar").last).to_be_attached(timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
