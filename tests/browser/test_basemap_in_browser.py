"""``[map] basemap = "none"`` and ``"pmtiles"`` in a real browser.

- ``"none"``: the interactive map asks nothing of a third party (no Carto style, tiles or fonts), draws the portal's
  own rivers and sites, logs no error, and its legend says there is no basemap.
- ``"pmtiles"``: the map draws the basemap the portal serves itself, from a PMTiles archive built from the portal's
  own geometry (tests/city_basemap.py): its areas in the style's colours under the portal's layers, every request
  to the portal, no console error, and a policy that names no map host.

Servers of their own (the session's server keeps the default Carto basemap, which this machine cannot reach).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from city_basemap import build_city_archive
from PIL import Image
from playwright.sync_api import Locator, Page, Response, expect
from portal_server import PortalServer, running_portal

from core.basemap_style import BUILT_UP, EARTH, STYLE_PATH
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


@pytest.fixture(scope="module")
def city_basemap_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalServer]:
    folder = tmp_path_factory.mktemp("own-basemap")
    archive = build_city_archive(folder / "city.pmtiles")
    with running_portal(folder, {"map": {"basemap": "pmtiles", "basemap_file": archive.name}}) as server:
        yield server


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _pixels_of(chart: Locator, *colours: str) -> list[int]:
    """How many of the map's pixels are each of the style's flat fills (within a shade: no blending inside)."""
    pixels = Image.open(io.BytesIO(chart.screenshot())).convert("RGB").tobytes()
    triples = list(zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=True))
    wanted = [_rgb(c) for c in colours]
    return [sum(1 for p in triples if all(abs(a - b) <= 3 for a, b in zip(p, w, strict=True))) for w in wanted]


def test_the_portal_s_own_basemap_draws_its_areas_from_the_archive_and_asks_no_other_host(
    page: Page, city_basemap_server: PortalServer
) -> None:
    base = city_basemap_server.url
    elsewhere: list[str] = []
    problems: list[str] = []
    answers: list[Response] = []
    page.on("request", lambda r: None if r.url.startswith((base, "data:", "blob:")) else elsewhere.append(r.url))
    page.on("response", lambda r: answers.append(r))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(base + "/", wait_until="domcontentloaded")
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
    opened = page.goto(base + "/peta?kelurahan=Kertak+Baru+Ilir", wait_until="domcontentloaded")
    assert opened is not None and opened.ok
    policy = opened.headers["content-security-policy"]
    assert "cartocdn" not in policy and "https:" not in policy and "http:" not in policy  # no map host named
    chart = open_interactive_map(page)  # the page first shows the server's picture (issue 23)
    expect(page.get_by_text("Peta dasar dari portal sendiri").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(chart.locator("canvas").first).to_be_visible(timeout=TIMEOUT_MS)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    # The city's extent (earth) and the kelurahan's areas (landuse) exist only in the archive's tiles: the page
    # without a basemap is white there, and the style's own background is another colour.
    while min(found := _pixels_of(chart, EARTH, BUILT_UP)) < 2_000 and time.monotonic() < deadline:
        time.sleep(0.5)  # polling a picture: the map draws into a canvas, there is no element to wait on
    assert min(found) >= 2_000, found
    assert _river_pixels(chart) >= 300  # the portal's own rivers still drawn over it
    width = (page.viewport_size or {"width": 0})["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(SCREENSHOTS / f"test_basemap-pmtiles-map-{width}.png"))
    page.screenshot(path=str(SCREENSHOTS / f"test_basemap-pmtiles-page-{width}.png"), full_page=True)
    asked = {urlsplit(a.url).path: a.status for a in answers}
    assert asked.get(STYLE_PATH) == 200
    tiles = [path for path, status in asked.items() if path.endswith(".mvt") and status == 200]
    assert tiles, asked
    assert not [f"{status} {path}" for path, status in asked.items() if status >= 400]
    assert not elsewhere, elsewhere
    assert not problems, problems
    expect(page.get_by_text("CARTO")).to_have_count(0)
    # The data's licence (ODbL) credited on the map itself, a link to OpenStreetMap's copyright page.
    credit = chart.locator('a[href="https://www.openstreetmap.org/copyright"]')
    expect(credit).to_have_count(1)
