"""A journalist's journey in a real browser: a citation whose link works when pasted, a shared map view that keeps
every filter, the Atom feed read as a page, and /riwayat's comparison between two dates: each new value on screen
without sideways scrolling (phone and desktop), dates typed and applied with Enter or Tab, a wrong date told in the
page's language, and the download holding exactly the lines on screen.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .test_downloads_in_browser import open_downloads
from .test_pages_in_browser import TIMEOUT_MS, open_interactive_map, wait_until_drawn

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


def _idle(page: Page) -> None:
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)


def open_list(page: Page, box: Locator, option: Locator | None = None) -> None:
    """Open the multiselect ``box``'s list and wait for ``option`` (else any option) to show.

    The state can read "notRunning" just before the previous choice's rerun starts; that rerun then redraws the
    filters and closes a list opened meanwhile (seen on a phone under load). So the list is opened again, as a
    reader would tap again, until it stays open."""
    shown = option or page.get_by_role("option").first
    for attempt in range(5):
        _idle(page)
        box.click()
        try:
            expect(shown).to_be_visible(timeout=10_000)
            return
        except AssertionError:
            if attempt == 4:
                raise
            page.keyboard.press("Escape")


def _choose(page: Page, filter_label: str, option: str) -> None:
    """Pick ``option`` in the map filter labelled ``filter_label``, as a reader does, and wait for the rerun.

    A pick can be lost when a late run of the page replaces the filter's widget just after the tap (the Kelurahan
    list is a new widget whenever its options change with the kecamatan); the reader then sees no chip and taps
    again, and so does this, at most three times: a filter that drops every pick still fails."""
    box = page.get_by_test_id("stMultiSelect").filter(has_text=filter_label)
    wanted = page.get_by_role("option", name=option, exact=True)
    chip = box.locator("[data-tag]").filter(has_text=option)
    for pick in range(3):
        for attempt in range(5):
            open_list(page, box, wanted)
            try:
                wanted.click(timeout=10_000)
                break
            except PlaywrightTimeoutError:  # closed by a late redraw between showing and the tap
                if attempt == 4:
                    raise
        page.keyboard.press("Escape")
        _idle(page)
        try:
            expect(chip).to_have_count(1, timeout=10_000)
            return
        except AssertionError:
            if pick == 2:
                raise


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
    open_interactive_map(page)
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


# -- /riwayat: what changed between two dates -----------------------------------------------------------------------

HISTORY = {"id": "Riwayat data dan perubahan", "en": "Data history and changes"}
FROM = {"id": "Dari tanggal (HH/BB/TTTT)", "en": "From (DD/MM/YYYY)"}
TO = {"id": "Sampai tanggal (HH/BB/TTTT)", "en": "To (DD/MM/YYYY)"}
BUDGET = {"id": "Anggaran: ", "en": "Budget: "}
TOO_EARLY = {"id": "sebelum awal riwayat", "en": "is before the history begins"}
CSV_WHOLE_FLOAT = re.compile(r"(^|,)-?\d+\.0(,|$)")


def _open_history(page: Page, portal_url: str, server_errors: Callable[[], str], lang: str, **params: str) -> None:
    query = "&".join(f"{k}={v}" for k, v in {**params, **({"lang": "en"} if lang == "en" else {})}.items())
    page.goto(f"{portal_url}/riwayat?{query}", wait_until="domcontentloaded")
    wait_until_drawn(page, HISTORY[lang], server_errors)


def _rerun_done(page: Page) -> None:
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)


def _comparison_on_screen(page: Page) -> list[tuple[str, str]]:
    """Each changed field on screen, in order: (the program code of its item, the line's text)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('li:has(> ul > li)')].flatMap(item => {
            const head = item.firstChild.textContent + [...item.childNodes].filter(n => n.tagName !== 'UL')
                .map(n => n.textContent).join('');
            const codes = head.match(/\\(([A-Z0-9]+-[A-Z0-9]+-\\d+)\\)/g) || [''];
            const code = codes[codes.length - 1].slice(1, -1);
            return [...item.querySelectorAll(':scope > ul > li')].map(line => [code, line.textContent]);
        })"""
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_history_comparison_shows_each_new_value_on_screen_and_downloads_exactly_those_lines(
    page: Page, portal_url: str, server_errors: Callable[[], str], screenshot: Callable[..., object], lang: str
) -> None:
    _open_history(
        page, portal_url, server_errors, lang, program="QW24-PERKIM-01", dari="2024-04-01", sampai="2024-06-03"
    )
    width = page.viewport_size["width"] if page.viewport_size else 0
    lines = page.locator("li li")
    expect(lines.first).to_be_visible(timeout=TIMEOUT_MS)
    budget = lines.filter(has_text=BUDGET[lang]).first
    budget.scroll_into_view_if_needed()
    expect(budget).to_be_in_viewport()
    # Every line's new value (in bold) lies inside the screen's width: nothing to scroll sideways for.
    boxes = lines.locator("strong").evaluate_all(
        "all => all.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, e.textContent]; })"
    )
    assert boxes and all(left >= 0 and right <= width for left, right, _ in boxes), (width, boxes)
    assert any("9.200.000.000" in text or "9,200,000,000" in text for *_, text in boxes)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    screenshot(lang)

    shown = _comparison_on_screen(page)
    open_downloads(page, lang)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name="CSV", exact=True).click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    # Exactly the comparison on screen: one row per line, in the same order, for the same programs.
    assert [r["kode_program"] for r in rows] == [code for code, _ in shown]
    assert {r["dari"] for r in rows} == {"2024-04-01"} and {r["sampai"] for r in rows} == {"2024-06-03"}
    assert all(r["sumber"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["data_per"]) for r in rows)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00", r["dibaca_pada"]) for r in rows)
    cells = [cell for r in rows for cell in r.values()]
    assert not [c for c in cells if c in ("False", "True") or CSV_WHOLE_FLOAT.search(c) or re.search(r"\.\d{6}", c)]
    budget_row = next(r for r in rows if r["kolom"] == "anggaran")
    assert (budget_row["nilai_lama"], budget_row["nilai_baru"]) == ("10000000000", "9200000000")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_date_typed_on_the_history_page_applies_on_enter_and_on_tab_and_a_wrong_one_is_told_in_the_page_s_language(
    page: Page, portal_url: str, server_errors: Callable[[], str], screenshot: Callable[..., object], lang: str
) -> None:
    _open_history(page, portal_url, server_errors, lang, dari="2024-04-01", sampai="2024-06-03")
    second = page.get_by_role("textbox", name=TO[lang])
    second.fill("02/09/2024")
    second.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]sampai=2024-09-02(&|$)"), timeout=TIMEOUT_MS)
    first = page.get_by_role("textbox", name=FROM[lang])
    first.fill("3/6/2024")
    first.press("Tab")
    expect(page).to_have_url(re.compile(r"[?&]dari=2024-06-03(&|$)"), timeout=TIMEOUT_MS)
    _rerun_done(page)
    expect(page.get_by_text(re.compile("3 (Juni|June) 2024")).first).to_be_visible()

    first.fill("01/01/2020")
    first.press("Enter")
    told = page.get_by_text(TOO_EARLY[lang])
    expect(told).to_be_visible(timeout=TIMEOUT_MS)
    expect(page).to_have_url(re.compile(r"[?&]dari=2024-04-01(&|$)"), timeout=TIMEOUT_MS)
    expect(page.get_by_text("outside allowed range")).to_have_count(0)
    screenshot(lang, "out-of-range")
