"""Browser tests: one real Streamlit server for the session, driven by Playwright in Debian's chromium.

The server runs the repo's app.py on a portal.toml written to a temporary folder: the repo's own sources,
the sample workbooks by absolute path, every source marked ``sample = true``, and the store in that folder,
so the repo's data/ is never touched. Chromium is Debian's (/usr/bin/chromium, installed by ``make test``);
a browser downloaded by ``playwright install`` is never used.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from servers import free_port, stop, wait_healthy

REPO = Path(__file__).resolve().parents[2]
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
SERVER_START_TIMEOUT = 60.0
MAP_SITE_LIMIT = 20


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    mobile: bool


DESKTOP = Viewport("desktop", 1280, 900, mobile=False)
PHONE = Viewport("phone", 390, 844, mobile=True)
VIEWPORTS = (DESKTOP, PHONE)


# --- the portal configuration and the server ---------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r} in portal.toml")


def _toml_table(header: str, table: dict[str, Any]) -> str:
    lines = [header]
    lines += [f"{key} = {_toml_value(value)}" for key, value in table.items() if not isinstance(value, dict)]
    text = "\n".join(lines) + "\n"
    for key, value in table.items():
        if isinstance(value, dict):
            text += "\n" + _toml_table(f"[{header.strip('[]')}.{key}]", value)
    return text


def write_portal_config(folder: Path) -> Path:
    """The repo's portal.toml with the workbooks by absolute path, ``sample = true`` and the store in ``folder``."""
    data = tomllib.loads((REPO / "portal.toml").read_text(encoding="utf-8"))
    sources = data.pop("sources", [])
    data["store"] = {**data.get("store", {}), "path": (folder / "portal.sqlite").as_posix()}
    # A browser fills the form within a second; the real minimum (20 s) would only make the test wait, and even
    # 1 s made a fast submission fail. The too-fast rule has its own tests (test_feedback_rules, _page).
    data["feedback"] = {**data.get("feedback", {}), "min_seconds": 0}
    # The sample has 28 public sites: above 20 the map counts them per kelurahan, so the browser draws both forms.
    data["map"] = {**data.get("map", {}), "site_limit": MAP_SITE_LIMIT}
    parts = [_toml_table(f"[{name}]", table) for name, table in data.items()]
    for source in sources:
        source = dict(source)
        if source.get("path"):
            path = Path(source["path"])
            source["path"] = (path if path.is_absolute() else REPO / path).as_posix()
        source["sample"] = True
        parts.append(_toml_table("[[sources]]", source))
    config = folder / "portal.toml"
    config.write_text("\n".join(parts), encoding="utf-8")
    return config


@dataclass(frozen=True)
class PortalServer:
    url: str
    log: Path

    def output(self, start: int = 0) -> str:
        """What the server has printed (stdout and stderr), from byte ``start`` on."""
        with open(self.log, "rb") as log:
            log.seek(start)
            return log.read().decode("utf-8", errors="replace")


@pytest.fixture(scope="session")
def portal_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    """``streamlit run app.py`` in the repo on a free port, on the temporary portal.toml, for the whole session."""
    folder = tmp_path_factory.mktemp("browser-portal")
    config = write_portal_config(folder)
    port = free_port()
    env = {**os.environ, "PORTAL_CONFIG": str(config), "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "GOOGLE_APPLICATION_CREDENTIALS", "SHEETS_API_URL", "SHEETS_EXPORT_URL"):
        env.pop(name, None)
    portal = PortalServer(f"http://127.0.0.1:{port}", folder / "streamlit.log")
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false"]
    with open(portal.log, "wb") as log:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)

    try:
        wait_healthy(f"{portal.url}/_stcore/health", server, portal.output, SERVER_START_TIMEOUT)
        yield portal
    finally:
        stop(server)


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


@pytest.fixture
def page(browser: Browser, viewport: Viewport) -> Iterator[Page]:
    """A fresh page (its own context: no cookies or storage shared) at the desktop or the phone viewport."""
    context = browser.new_context(
        viewport={"width": viewport.width, "height": viewport.height},
        is_mobile=viewport.mobile,
        has_touch=viewport.mobile,
        locale="id-ID",
        timezone_id="Asia/Makassar",
    )
    page = context.new_page()
    yield page
    context.close()


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
