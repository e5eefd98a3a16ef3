"""Tap targets a finger can hit on a phone: at least 24 x 24 px (WCAG 2.2, 2.5.8), measured in a real browser."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from .test_downloads_in_browser import open_downloads
from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

SMALLEST = 24


def size(target: Locator) -> tuple[float, float]:
    expect(target).to_be_visible(timeout=TIMEOUT_MS)
    box = target.bounding_box()
    assert box is not None
    return box["width"], box["height"]


def test_the_targets_found_too_small_on_a_phone_are_at_least_24_px(
    page: Page, portal_url: str, server_errors: Callable[[], str]
) -> None:
    """Issue #26 measured at 390 x 844: survey options 22 px tall, the chip's remove "x" 15 x 7, the licence link
    19 px. (The password field's eye, 32 x 16, is on /admin, which the test server, with no admin password, does
    not show; the same rule sizes it.)"""
    page.goto(f"{portal_url}/survei?program=umum", wait_until="domcontentloaded")
    wait_until_drawn(page, "Survei Kepuasan", server_errors)
    options = page.get_by_test_id("stMain").get_by_test_id("stRadioOption")
    assert options.count() > 10
    heights = {options.nth(i).inner_text(): size(options.nth(i))[1] for i in range(options.count())}
    assert min(heights.values()) >= SMALLEST, heights

    page.goto(f"{portal_url}/kesehatan-data?skpd=pupr", wait_until="domcontentloaded")
    wait_until_drawn(page, "Kesehatan", server_errors)
    # Streamlit says "Remove …"; an Indonesian page says "Hapus …" (core/streamlit_words.py).
    width, height = size(page.get_by_role("button", name="Hapus Dinas PUPR"))
    assert width >= SMALLEST and height >= SMALLEST, (width, height)

    page.goto(f"{portal_url}/program?program=QW24-PUPR-01", wait_until="domcontentloaded")
    wait_until_drawn(page, "Sungaiku Baiman", server_errors)
    open_downloads(page)  # the licence link is in the downloads' caption, drawn once the box is opened
    licence = page.get_by_role("link", name="CC BY 4.0").first
    licence.scroll_into_view_if_needed()
    width, height = size(licence)
    assert height >= SMALLEST, (width, height)
