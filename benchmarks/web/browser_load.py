"""A first view in Debian's chromium through Playwright: how long a throttled phone waits, and how many bytes come.

- **Throttled timing**: a fresh context at the phone viewport of the browser tests, throttled through the DevTools
  protocol as Lighthouse's mobile preset and tests/browser/test_first_paint_in_browser.py are (150 ms round trip,
  1.6 Mbit/s down, 750 kbit/s up, CPU 4x). A script added before any of the page's own (``add_init_script``)
  checks every 100 ms whether the program's name is in the page's visible text (``innerText``) and whether the
  app's own title (``[data-testid="stHeading"] h1``) is shown, takes the browser's own first contentful paint
  (``PerformanceObserver``), and keeps the first time of each in ``sessionStorage``. The name counts as visible
  once it is in the visible text and the browser has painted (text waiting for a web font is laid out, and in
  ``innerText``, before it is painted); times are from just before the navigation (the browser's and this
  process's clocks are the machine's). The checks run on the page's throttled main thread, so a busy main
  thread delays them as it delays painting.
- **Bytes per first view**: a fresh context (empty cache, cache disabled), unthrottled, from navigation until the
  app has drawn its title, no request is pending and the network has been quiet for ``QUIET_S``: the sum of
  ``Network.loadingFinished`` ``encodedDataLength`` (bytes on the wire, headers included, compressed as sent),
  by resource type, with the largest resources; and, beside it, the websocket's message payloads both ways
  (decompressed sizes: the DevTools protocol reports frames after permessage-deflate).
"""

from __future__ import annotations

import base64
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))
from browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402  (the browser tests' own settings)

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "first_view_bytes", "throttled_times"]

# Lighthouse's mobile figures, as the first-paint browser test uses them.
LATENCY_MS = 150
DOWN_BITS_PER_S = 1.6e6
UP_BITS_PER_S = 750e3
CPU_SLOWDOWN = 4
TITLE_SELECTOR = '[data-testid="stHeading"] h1'
QUIET_S = 2.0
TIMEOUT_S = 120.0

WATCH_SCRIPT = """(() => {
  const NAME = %s, KEY = 'bench-web-seen', SELECTOR = %s;
  const seen = JSON.parse(sessionStorage.getItem(KEY) || '{}');
  const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const check = () => {
    if (!document.body) return;
    if (!seen.name && document.body.textContent.includes(NAME) && document.body.innerText.includes(NAME)) {
      seen.name = Date.now();
    }
    if (!seen.title && shown(document.querySelector(SELECTOR))) seen.title = Date.now();
    sessionStorage.setItem(KEY, JSON.stringify(seen));
    if (seen.name && seen.title) clearInterval(timer);
  };
  const timer = setInterval(check, 100);
  document.addEventListener('DOMContentLoaded', check);
  new PerformanceObserver((entries) => {
    for (const e of entries.getEntries()) {
      if (e.name === 'first-contentful-paint' && !seen.fcp) seen.fcp = performance.timeOrigin + e.startTime;
    }
    sessionStorage.setItem(KEY, JSON.stringify(seen));
  }).observe({type: 'paint', buffered: true});
})();"""


def _context(browser: Browser) -> BrowserContext:
    return browser.new_context(
        viewport={"width": PHONE.width, "height": PHONE.height},
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Makassar",
    )


def _title_drawn(page: Page) -> bool:
    try:
        return bool(page.evaluate("(s) => { const el = document.querySelector(s); return !!el && "
                                  "el.getClientRects().length > 0; }", TITLE_SELECTOR))  # fmt: skip
    except Exception:  # the document is being replaced at the start of the navigation
        return False


def throttled_times(browser: Browser, url: str, name: str) -> dict[str, float | None]:
    """Seconds from navigation until ``name`` is in the visible text (``name``), the browser's first contentful paint
    (``fcp``), both (``visible``), and the app's title drawn (``title``); None: not within the time allowed."""
    context = _context(browser)
    try:
        page = context.new_page()
        page.add_init_script(WATCH_SCRIPT % (json.dumps(name), json.dumps(TITLE_SELECTOR)))
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": LATENCY_MS, "downloadThroughput": DOWN_BITS_PER_S / 8,
             "uploadThroughput": UP_BITS_PER_S / 8},
        )  # fmt: skip
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        started_ms = time.time() * 1000
        page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
        deadline = time.monotonic() + TIMEOUT_S
        seen: dict[str, float] = {}
        while time.monotonic() < deadline:
            try:
                seen = json.loads(page.evaluate("() => sessionStorage.getItem('bench-web-seen') || '{}'"))
            except Exception:
                seen = {}
            if all(key in seen for key in ("name", "title", "fcp")):
                break
            page.wait_for_timeout(250)
        times = {k: (round((seen[k] - started_ms) / 1000, 3) if k in seen else None) for k in ("name", "fcp", "title")}
        # Visible: the name is in the page's visible text and the browser has painted content (text in a web font
        # that is still loading is laid out, and in innerText, before it is painted).
        times["visible"] = None if times["name"] is None or times["fcp"] is None else max(times["name"], times["fcp"])
        return times
    finally:
        context.close()


def _payload_size(frame: dict[str, Any]) -> int:
    response = frame.get("response", {})
    data = response.get("payloadData", "")
    if response.get("opcode") == 2:  # binary: the protocol sends it base64-encoded
        try:
            return len(base64.b64decode(data))
        except ValueError:
            return len(data) * 3 // 4
    return len(data.encode("utf-8"))


def first_view_bytes(browser: Browser, url: str) -> dict[str, Any]:
    """Bytes of a first view of ``url``: on the wire per resource type, the largest resources, the websocket."""
    context = _context(browser)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        requests: dict[str, dict[str, Any]] = {}
        pending: set[str] = set()
        socket = {"received": 0, "sent": 0, "frames": 0}
        last = [time.monotonic()]

        def touch() -> None:
            last[0] = time.monotonic()

        def sent(event: dict[str, Any]) -> None:
            touch()
            rid = event["requestId"]
            if event["request"]["url"].startswith(("data:", "blob:")):  # no bytes on the wire, no end event
                return
            requests.setdefault(rid, {"url": event["request"]["url"], "type": event.get("type", "Other"), "bytes": 0})
            pending.add(rid)

        def response(event: dict[str, Any]) -> None:
            touch()
            if event["requestId"] in requests:
                requests[event["requestId"]]["type"] = event.get("type", requests[event["requestId"]]["type"])

        def finished(event: dict[str, Any]) -> None:
            touch()
            pending.discard(event["requestId"])
            if event["requestId"] in requests:
                requests[event["requestId"]]["bytes"] = event.get("encodedDataLength", 0)

        def failed(event: dict[str, Any]) -> None:
            touch()
            pending.discard(event["requestId"])
            if event["requestId"] in requests:
                requests[event["requestId"]]["failed"] = event.get("errorText", "failed")

        def frame(direction: str) -> Any:
            def count(event: dict[str, Any]) -> None:
                touch()
                socket[direction] += _payload_size(event)
                socket["frames"] += 1

            return count

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.responseReceived", response)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.loadingFailed", failed)
        cdp.on("Network.webSocketFrameReceived", frame("received"))
        cdp.on("Network.webSocketFrameSent", frame("sent"))
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        started = time.monotonic()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_S * 1000)
        drawn_s = None
        while time.monotonic() - started < TIMEOUT_S:
            page.wait_for_timeout(200)
            if drawn_s is None and _title_drawn(page):
                drawn_s = time.monotonic() - started
            if drawn_s is not None and not pending and time.monotonic() - last[0] >= QUIET_S:
                break
        by_type: Counter[str] = Counter()
        for r in requests.values():
            by_type[r["type"]] += r["bytes"]
        largest = sorted(requests.values(), key=lambda r: -r["bytes"])[:6]
        return {
            "http_bytes": sum(by_type.values()),
            "requests": len(requests),
            "failed": sorted({f"{r['url']} ({r['failed']})" for r in requests.values() if "failed" in r}),
            "by_type": dict(by_type.most_common()),
            "largest": [{"url": r["url"], "type": r["type"], "bytes": r["bytes"]} for r in largest],
            "websocket_received": socket["received"],
            "websocket_sent": socket["sent"],
            "drawn_s": drawn_s,
            "complete": drawn_s is not None and not pending,
            "pending": sorted(requests[r]["url"] for r in pending if r in requests),
        }
    finally:
        context.close()


def median_bytes(views: list[dict[str, Any]]) -> dict[str, Any]:
    """The view whose HTTP byte count is the median of the runs (its breakdown kept whole), with every run's count."""
    ordered = sorted(views, key=lambda v: v["http_bytes"])
    middle = dict(ordered[(len(ordered) - 1) // 2])
    middle["runs_http_bytes"] = [v["http_bytes"] for v in views]
    middle["websocket_total"] = middle["websocket_received"] + middle["websocket_sent"]
    middle["total_bytes"] = middle["http_bytes"] + middle["websocket_total"]
    return middle


def median_times(runs: list[dict[str, float | None]]) -> dict[str, Any]:
    """Median seconds to the name and to the title over the runs in which each happened, and every run's figures."""
    out: dict[str, Any] = {"runs": runs}
    for key in ("visible", "name", "fcp", "title"):
        values = [r[key] for r in runs if r.get(key) is not None]
        out[f"{key}_s"] = statistics.median(values) if values else None
        out[f"{key}_missing"] = len(runs) - len(values)
    return out
