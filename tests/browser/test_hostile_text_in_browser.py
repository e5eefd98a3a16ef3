"""Sheet text never becomes a link or an image in a real browser: a draft whose program name holds a markdown
link, a HYPERLINK formula's text and a bare www. name, and whose worksheet title is a markdown image, is
previewed; no <a> or <img> points at the sheet author's host, and no request goes there.

AppTest sees the markdown Streamlit is given, not what its markdown renderer makes of it (remark-gfm links
bare URLs after unescaping), so only a browser can prove this.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_workbook import hostile_workbook
from playwright.sync_api import Page, expect

from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

pytestmark = pytest.mark.browser

EVIL = "evil."


def test_a_hostile_draft_shows_its_text_as_text_with_no_link_and_no_image(
    page: Page, portal_url: str, server_errors: Callable[[], str], tmp_path: Path
) -> None:
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if EVIL in request.url else None)
    page.goto(f"{portal_url}/pratinjau", wait_until="domcontentloaded")
    wait_until_drawn(page, "Pratinjau sheet SKPD", server_errors)
    draft = tmp_path / "draf.xlsx"
    hostile_workbook(draft)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(draft)
    expect(page.get_by_text("Seperti yang akan dilihat warga")).to_be_visible(timeout=TIMEOUT_MS)
    wait_until_drawn(page, "Seperti yang akan dilihat warga", server_errors)
    expect(page.get_by_text("tidak menjalankan rumus")).to_be_visible()

    assert page.locator(f'a[href*="{EVIL}"]').count() == 0
    assert page.locator(f'img[src*="{EVIL}"]').count() == 0
    assert asked == []
    # The text reads as typed (the word joiners are invisible).
    shown = page.inner_text("body").replace("\u2060", "")
    assert 'Baiman [x](https://evil.example) =HYPERLINK("http://evil.example","klik") www.evil.example' in shown
    assert "![i](http://evil.invalid/x.png)!A2" in shown
