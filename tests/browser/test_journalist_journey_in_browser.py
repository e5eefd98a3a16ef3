"""A journalist's journey in a real browser: a citation whose link works when pasted, a shared map view that keeps
every filter, and the Atom feed read as a page.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Locator, Page, expect

from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

# Drives Debian's chromium (make test-fast leaves these out; make test runs them).
pytestmark = pytest.mark.browser

CITE = {"id": "Kutip halaman ini", "en": "Cite this page"}
S_CURVE = {"id": "Kurva S: rencana dan realisasi kumulatif", "en": "S-curve: planned and actual cumulative progress"}


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _open_citation(page: Page, lang: str) -> Locator:
    """The "cite this" box, opened: its quotation."""
    page.get_by_text(CITE[lang], exact=True).click()
    quote = page.locator("blockquote").filter(has_text=re.compile("diakses|accessed")).last
    expect(quote).to_be_visible(timeout=TIMEOUT_MS)
    return quote


def _copied_url(page: Page, quote: Locator) -> str:
    """The URL in the quotation as a reader copies it: the whole quotation selected, copied to the clipboard
    (Ctrl+C), and the address taken from the pasted text."""
    quote.evaluate("quote => getSelection().selectAllChildren(quote)")
    page.keyboard.press("Control+C")
    pasted = page.evaluate("() => navigator.clipboard.readText()")
    assert pasted == page.evaluate("() => getSelection().toString()")
    found = re.search(r"(?<!\S)(h\S*)\s+\((?:diakses|accessed)", pasted)
    assert found, pasted
    return found.group(1)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_citation_s_link_copied_opens_the_same_view(
    page: Page, portal_url: str, server_errors: Callable[[], str], lang: str
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=portal_url)
    view = f"{portal_url}/program?program=QW24-PERKIM-01" + ("&lang=en" if lang == "en" else "")
    heading = S_CURVE[lang]
    page.goto(view, wait_until="domcontentloaded")
    wait_until_drawn(page, heading, server_errors)
    copied = _copied_url(page, _open_citation(page, lang))

    # Exactly an address: nothing invisible in it, the portal's own page, the view's parameters.
    assert copied.isascii() and copied.isprintable(), repr(copied)
    parts = urlsplit(copied)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", urlsplit(portal_url).netloc, "/program")
    assert _query(copied) == _query(view)

    page.goto(copied, wait_until="domcontentloaded")
    wait_until_drawn(page, heading, server_errors)
    expect(page.get_by_role("heading", name="Bakawan RTLH")).to_be_visible()
    assert _query(page.url) == _query(view)


def _choose(page: Page, filter_label: str, option: str) -> None:
    """Pick ``option`` in the map filter labelled ``filter_label``, as a reader does, and wait for the rerun."""
    page.get_by_test_id("stMultiSelect").filter(has_text=filter_label).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)


def test_the_map_keeps_the_program_of_its_link_through_other_filter_changes(
    page: Page, portal_url: str, server_errors: Callable[[], str]
) -> None:
    """The program page's "Open on the full map" link names the program by code; it stays in the URL, the
    citation and the map after the reader narrows the map with two other filters."""
    page.goto(f"{portal_url}/", wait_until="domcontentloaded")  # a fresh server's first page (see test_pages…)
    wait_until_drawn(page, "Portal Transparansi Quick Win Kota Banjarmasin", server_errors)
    page.goto(f"{portal_url}/peta?nama_program=QW24-PERKIM-01", wait_until="domcontentloaded")
    wait_until_drawn(page, "Peta lokasi program", server_errors)
    program = page.get_by_test_id("stMultiSelect").filter(has_text="Program Quick Win")
    expect(program.get_by_text("Bakawan RTLH", exact=False)).to_be_visible()

    _choose(page, "Status lokasi", "Selesai")
    expect(page).to_have_url(re.compile(r"[?&]status=Selesai(&|$)"), timeout=TIMEOUT_MS)
    _choose(page, "Kecamatan", "Banjarmasin Selatan")
    expect(page).to_have_url(re.compile(r"[?&]kecamatan=Banjarmasin\+Selatan(&|$)"), timeout=TIMEOUT_MS)
    wait_until_drawn(page, "Peta lokasi program", server_errors)

    wanted = {"nama_program": ["QW24-PERKIM-01"], "status": ["Selesai"], "kecamatan": ["Banjarmasin Selatan"]}
    assert _query(page.url) == wanted
    expect(program.get_by_text("Bakawan RTLH", exact=False)).to_be_visible()
    # The map shows that program's homes only: the three finished DLH sites in Banjarmasin Selatan are left out.
    expect(page.get_by_label(re.compile(r"^Peta Kota Banjarmasin: 0 lokasi program dan [1-9]"))).to_be_attached()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=portal_url)
    assert _query(_copied_url(page, _open_citation(page, "id"))) == wanted


ATOM = "{http://www.w3.org/2005/Atom}"
FEED_HEADING = {"id": "Perubahan data terbit", "en": "Published data changes"}
FEED_READER = {"User-Agent": "FeedReader/1.0 (+https://example.org/reader)", "Accept": "application/atom+xml, */*"}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_feed_opened_in_a_browser_is_a_page_and_a_feed_reader_gets_the_atom(
    page: Page, portal_url: str, lang: str
) -> None:
    feed_url = f"{portal_url}/riwayat.atom" + ("?lang=en" if lang == "en" else "")
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(feed_url, wait_until="domcontentloaded")

    # A page: its heading, what a feed is for, the address to paste, and the entries with their links.
    expect(page.get_by_role("heading", level=1, name=re.compile("^" + FEED_HEADING[lang]))).to_be_visible()
    expect(page.get_by_text(re.compile("feed reader", re.IGNORECASE)).first).to_be_visible()
    expect(page.locator("code").filter(has_text=feed_url)).to_be_visible()
    entries = page.get_by_role("article")
    expect(entries.first).to_be_visible()
    shown = [a.get_attribute("href") for a in page.get_by_role("heading", level=3).get_by_role("link").all()]
    assert shown and all(urlsplit(h).path == "/riwayat" and "program" in _query(h) for h in shown)

    # A feed reader asking for the same address gets the Atom document, the same bytes on every ask.
    with urllib.request.urlopen(urllib.request.Request(feed_url, headers=FEED_READER), timeout=60) as answer:
        assert answer.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
        atom = answer.read()
    again = page.request.get(feed_url, headers=FEED_READER)
    assert again.headers["content-type"] == "application/atom+xml; charset=utf-8" and again.body() == atom
    feed = ElementTree.fromstring(atom)
    assert feed.tag == ATOM + "feed"
    # The page lists the feed's entries: the same links, in the same order.
    assert [e.find(ATOM + "link").get("href") for e in feed.iter(ATOM + "entry")] == shown
    assert not blocked, blocked


def test_the_history_page_says_what_the_feed_is_for_and_its_link_opens_a_page(
    page: Page, portal_url: str, server_errors: Callable[[], str]
) -> None:
    page.goto(f"{portal_url}/", wait_until="domcontentloaded")  # a fresh server's first page (see test_pages…)
    wait_until_drawn(page, "Portal Transparansi Quick Win Kota Banjarmasin", server_errors)
    page.goto(f"{portal_url}/riwayat", wait_until="domcontentloaded")
    wait_until_drawn(page, "Riwayat data dan perubahan", server_errors)
    link = page.get_by_role("link", name="Ikuti perubahan lewat feed Atom")
    expect(link).to_be_visible()
    # One line: what the feed is for, beside its link.
    expect(page.get_by_test_id("stMarkdownContainer").filter(has=link)).to_contain_text("aplikasi pembaca feed")
    page.goto(link.get_attribute("href") or "", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", level=1, name=re.compile("^" + FEED_HEADING["id"]))).to_be_visible()
