"""Browser tests: one real Streamlit server for the session, driven by Playwright in Debian's chromium.

The server is ``portal_server`` (tests/conftest.py, tests/portal_server.py): the repo's app.py on a temporary
portal.toml with the sample workbooks, the store in a temporary folder. Chromium is Debian's (/usr/bin/chromium,
installed by ``make test``); a browser downloaded by ``playwright install`` is never used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from portal_server import REPO, PortalServer

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    mobile: bool


DESKTOP = Viewport("desktop", 1280, 900, mobile=False)
PHONE = Viewport("phone", 390, 844, mobile=True)
VIEWPORTS = (DESKTOP, PHONE)


@pytest.fixture(scope="session")
def portal_url(portal_server: PortalServer) -> str:
    """The running portal's base URL, without a trailing slash."""
    return portal_server.url


@pytest.fixture
def server_errors(portal_server: PortalServer) -> Callable[[], str]:
    """``server_errors()``: the tracebacks the server logged since the test began (the app shows the public
    only a short apology, so a page that fails is seen in the log, not on the page)."""
    start = portal_server.log.stat().st_size

    def errors() -> str:
        text = portal_server.output(start)
        return text if "Traceback" in text or "Uncaught app execution" in text else ""

    return errors


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's chromium, headless; a missing chromium fails the tests (``make test`` installs it)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium. `make test` installs it "
            "(apt-get install --no-install-recommends chromium); `playwright install` is not used.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(params=VIEWPORTS, ids=[v.name for v in VIEWPORTS])
def viewport(request: pytest.FixtureRequest) -> Viewport:
    return request.param


# Every browser test also proves the Content-Security-Policy holds (issue #21): each violation the browser reports
# on any page the test opened (a blocked script, style, picture, connection or WebAssembly) fails it at the end.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (e) => window.portalCspViolation(
    [location.pathname + location.search, e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(" ")));"""


@pytest.fixture
def page(browser: Browser, viewport: Viewport) -> Iterator[Page]:
    """A fresh page (its own context: no cookies or storage shared) at the desktop or the phone viewport; the test
    fails if the page reports a Content-Security-Policy violation."""
    context = browser.new_context(
        viewport={"width": viewport.width, "height": viewport.height},
        is_mobile=viewport.mobile,
        has_touch=viewport.mobile,
        locale="id-ID",
        timezone_id="Asia/Makassar",
    )
    violations: list[str] = []

    def violated(what: str) -> None:
        violations.append(what)

    context.expose_function("portalCspViolation", violated)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    yield page
    context.close()
    assert violations == [], f"the page broke its Content-Security-Policy: {violations}"


@pytest.fixture
def screenshot(request: pytest.FixtureRequest, page: Page, viewport: Viewport) -> Iterator[Any]:
    """``screenshot(lang, label="")`` saves test-artifacts/screenshots/<test-name>-<lang>-<width>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(lang: str, label: str = "") -> Path:
        name = request.node.originalname + (f"-{label}" if label else "")
        path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}-{lang}-{viewport.width}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    yield take
