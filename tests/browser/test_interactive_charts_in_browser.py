"""The program page's S-curve and /riwayat's versions chart in a real browser (issue 23): first a picture the
server draws, at a phone's width, and no Plotly; a tap on "Tampilkan grafik interaktif / Show the interactive
chart" draws the Plotly chart with its lines, within the Content-Security-Policy (the ``page`` fixture fails on a
violation)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from core.i18n import t

from .test_pages_in_browser import TIMEOUT_MS, wait_until_drawn

pytestmark = pytest.mark.browser

VIEWS = [
    ("/program?program=QW24-PUPR-01", "program.curve", "kurva-s.svg", 2),  # plan and realisation
    ("/riwayat?program=QW24-PERKIM-01", "history.program.chart", "riwayat.svg", 4),  # a line per version, 4 or more
]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("path", "heading", "picture", "lines"), VIEWS, ids=["program", "riwayat"])
def test_the_chart_is_a_picture_until_the_reader_asks_for_the_interactive_one(
    page: Page,
    portal_url: str,
    server_errors: Callable[[], str],
    lang: str,
    path: str,
    heading: str,
    picture: str,
    lines: int,
) -> None:
    plotly: list[str] = []
    page.on("request", lambda r: plotly.append(r.url) if "PlotlyChart" in r.url else None)
    page.goto(portal_url + path + ("&lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
    wait_until_drawn(page, t(heading, lang), server_errors)
    drawn = page.locator(f'img[src*="/grafik/{picture}"]')
    drawn.scroll_into_view_if_needed()
    expect(drawn).to_be_visible()
    assert drawn.evaluate("image => image.complete && image.naturalWidth") > 300  # drawn, at a phone's width
    assert re.match(r"^\S", drawn.get_attribute("alt") or "")  # with its text alternative
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
    assert not plotly, "Plotly's bundle was fetched before the reader asked for it"

    page.get_by_text(t("chart.interactive", lang), exact=True).click()
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart).to_have_count(1, timeout=TIMEOUT_MS)
    # Plotly has drawn its lines (one group per trace) and the picture is gone.
    traces = chart.locator("g.scatterlayer g.trace")
    expect(traces.first).to_be_attached(timeout=TIMEOUT_MS)
    assert traces.count() >= lines
    expect(drawn).to_have_count(0)
    assert plotly, "the interactive chart came without Plotly's bundle?"
    assert not server_errors()
