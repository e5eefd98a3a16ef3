"""The first paint already says what the page says, on a phone over slow 4G with a 4x slower CPU.

Chromium is throttled through its DevTools protocol (Lighthouse's mobile figures: 150 ms round trip,
1.6 Mbit/s down, 750 kbit/s up, CPU 4x), and the page is sampled from navigation until the app has drawn its
own title. How fast is measured by ``make bench-web`` (a benchmark, not a test); what is proved here is the
order of things: the program's name is on the first painted frame, the page is never empty in between, the
pre-drawn summary gives way to the app, and no "Page not found" pop-up or raw list of page files shows.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from portal_server import PortalServer

from data_sources.config.portal_config import load_config
from data_sources.published.published_data import Overview, PublishedData

from .conftest import PHONE

pytestmark = pytest.mark.browser

# Generous: a throttled phone takes tens of seconds to run Streamlit's JavaScript on this machine.
APP_DRAWN_TIMEOUT_S = 120.0
SAMPLE_EVERY_S = 0.25


@dataclass(frozen=True)
class Sample:
    predrawn: bool  # the server's summary is shown
    name_shown: bool  # the program's name is visible somewhere on the page
    app_title: bool  # the app has drawn its own title
    not_found: bool  # Streamlit's "Page not found" dialog
    raw_files: bool  # the navigation lists the raw page files (admin among them)


def _throttle(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8},
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})


SAMPLE_SCRIPT = """(name) => {
  const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const pre = document.getElementById('pratayang');
  const text = document.body ? document.body.innerText : '';
  const links = [...document.querySelectorAll(
    '[data-testid="stSidebarNav"] a, [data-testid="stSidebarNavLink"], ' +
    '[data-testid="stTopNav"] a, [data-testid="stTopNavLink"]'
  )];
  return {
    predrawn: shown(pre),
    name_shown: text.includes(name),
    app_title: shown(document.querySelector('[data-testid="stHeading"] h1')),
    not_found: /Page not found|Halaman tidak ditemukan/.test(text) && !!document.querySelector('[role="dialog"]'),
    raw_files: links.some((a) => /(^|\\/)admin$/.test(a.getAttribute('href') || '') || a.innerText.trim() === 'admin'),
  };
}"""


def _samples(page: Page, url: str, name: str) -> list[Sample]:
    _throttle(page)
    page.goto(url, wait_until="commit")
    samples: list[Sample] = []
    deadline = time.monotonic() + APP_DRAWN_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            found = page.evaluate(SAMPLE_SCRIPT, name)
        except Exception:  # the document is being replaced at the very start of the navigation
            found = None
        if found is not None:
            samples.append(Sample(**found))
            if found["app_title"] and not found["predrawn"]:
                break
        page.wait_for_timeout(SAMPLE_EVERY_S * 1000)
    return samples


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": PHONE.width, "height": PHONE.height},
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Makassar",
    )
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def published(portal_server: PortalServer) -> Overview:
    with urllib.request.urlopen(portal_server.url + "/robots.txt", timeout=60):  # a first start fills the store
        pass
    return PublishedData(load_config(Path(portal_server.log).parent / "portal.toml")).overview()


@pytest.mark.parametrize("path", ["/program?program=QW24-PUPR-01", "/"])
def test_the_first_paint_shows_the_program_and_the_page_is_never_empty_until_the_app_draws(
    phone_page: Page, portal_url: str, published: Overview, path: str
) -> None:
    item = published.program("QW24-PUPR-01")
    assert item is not None
    name = str(item.program["nama_program"])
    samples = _samples(phone_page, portal_url + path, name)
    painted = [s for s in samples if s.predrawn or s.app_title]
    assert painted, samples[:5]
    assert painted[0].predrawn and painted[0].name_shown  # the first painted frame already names the program
    first = samples.index(painted[0])
    assert all(s.predrawn or s.app_title for s in samples[first:]), "an empty page between the summary and the app"
    assert samples[-1].app_title and not samples[-1].predrawn, "the app never drew, or the summary stayed over it"
    assert not any(s.not_found for s in samples), "the 'Page not found' pop-up showed"
    assert not any(s.raw_files and not s.predrawn for s in samples), "the raw list of page files showed"
