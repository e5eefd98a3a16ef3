"""``[map] basemap = "none"`` in a real browser: the interactive map asks nothing of a third party (no Carto style,
tiles or fonts), draws the portal's own rivers and sites, logs no error, and its legend says there is no basemap.

A server of its own (the session's server keeps the default Carto basemap, which this machine cannot reach).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect
from portal_server import PortalServer, running_portal

from core.map_style import RIVER_COLOUR

from .conftest import SCREENSHOTS
from .test_pages_in_browser import open_interactive_map

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
RIVER_ALPHA = 200 / 255  # components.map_deck draws the rivers at this opacity


@pytest.fixture(scope="module")
def own_basemap_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    with running_portal(tmp_path_factory.mktemp("no-basemap"), {"map": {"basemap": "none"}}) as server:
        yield server


def _river_pixels(chart: Locator) -> int:
    """Pixels in the rivers' sky blue as drawn: the layer's alpha (200 of 255) over the page's white."""
    pixels = Image.open(io.BytesIO(chart.screenshot())).convert("RGB").tobytes()
    r0, g0, b0 = (round(c * RIVER_ALPHA + 255 * (1 - RIVER_ALPHA)) for c in RIVER_COLOUR)
    triples = zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=True)
    return sum(1 for r, g, b in triples if abs(r - r0) < 25 and abs(g - g0) < 25 and abs(b - b0) < 25)


def test_without_a_basemap_the_map_asks_no_third_party_and_draws_its_own_rivers(
    page: Page, own_basemap_server: PortalServer
) -> None:
    base = own_basemap_server.url
    elsewhere: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else elsewhere.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    # The home page first: a fresh server's first visit elsewhere can meet Streamlit's "page not found" (issue 8).
    page.goto(base + "/", wait_until="domcontentloaded")
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    page.goto(base + "/peta?kelurahan=Kertak+Baru+Ilir", wait_until="domcontentloaded")
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    chart = open_interactive_map(page)  # the page first shows the server's picture (issue 23)
    expect(page.get_by_text("Tanpa peta dasar dari pihak ketiga").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(chart.locator("canvas").first).to_be_visible(timeout=TIMEOUT_MS)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while (rivers := _river_pixels(chart)) < 300 and time.monotonic() < deadline:
        time.sleep(0.5)  # polling a picture: deck.gl draws into a canvas, there is no element to wait on
    assert rivers >= 300, rivers
    chart.screenshot(path=str(SCREENSHOTS / "test_basemap-none-map.png"))
    assert not elsewhere, elsewhere
    assert not problems, problems
    expect(page.get_by_text("CARTO")).to_have_count(0)
