"""A folded box's content is drawn when the reader opens it, in a real browser: the chart's figures as a table on
the home and program pages, and where and when each source was read.

Folded boxes used to be drawn in full on every first view, cell by cell, though nobody had opened them: about 0.09 s
of a phone's blocked main thread each on the home and program pages (BENCHMARKS.md, issue 23). Now the box asks the
server for its content when it opens; these tests prove that content arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest
from playwright.sync_api import Page, expect

from core.i18n import t

from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser


class FoldedBox(NamedTuple):
    slug: str
    path: str
    title_key: str  # a heading of the page, to know it is drawn
    box_key: str
    inside: dict[str, str]  # a text the opened box shows, per language
    kind: str  # the test id of what the box draws


BOXES = (
    FoldedBox(
        "program-curve",
        "/program?program=QW24-PUPR-01",
        "program.curve",
        "program.curve_table",
        {"id": "31 Desember 2024", "en": "31 December 2024"},
        "stTable",
    ),
    FoldedBox(
        "home-chart",
        "/",
        "overview.chart",
        "overview.chart_table",
        {"id": "Bakawan RTLH", "en": "Bakawan RTLH"},
        "stTable",
    ),
    FoldedBox(
        "home-sources",
        "/",
        "overview.chart",
        "sources.title",
        {"id": "baris terbit", "en": "rows published"},
        "stCaptionContainer",
    ),
)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("box", BOXES, ids=[b.slug for b in BOXES])
def test_a_folded_box_draws_its_content_when_the_reader_opens_it(
    page: Page, portal_url: str, server_errors: Callable[[], str], box: FoldedBox, lang: str
) -> None:
    suffix = ("&" if "?" in box.path else "?") + "lang=en" if lang == "en" else ""
    page.goto(f"{portal_url}{box.path}{suffix}", wait_until="domcontentloaded")
    wait_until_drawn(page, t(box.title_key, lang), server_errors)
    folded = page.get_by_test_id("stExpander").filter(has_text=t(box.box_key, lang))
    content = folded.get_by_test_id(box.kind).filter(has_text=box.inside[lang])
    expect(content).to_have_count(0)  # closed: nothing drawn

    folded.get_by_text(t(box.box_key, lang), exact=True).click()
    expect(content.first).to_be_visible(timeout=TIMEOUT_MS)
