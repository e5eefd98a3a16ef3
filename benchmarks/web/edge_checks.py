"""Issue 21's figures for ``make bench-web``: what an embed costs the page that frames it (bytes on the wire and
requests, everything it loads), and the security headers' grade by MDN's HTTP Observatory (the package pinned in
tests/observatory, which ``make test`` and ``make bench-web`` install)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from typing import Any

from playwright.sync_api import Browser

from benchmarks.web.portal_process import REPO

EMBED_PATHS = ("/embed/program?program=QW24-PUPR-01", "/embed")
SCANNER = REPO / "tests" / "observatory" / "node_modules" / "@mdn" / "mdn-http-observatory" / "src" / "scan.js"
QUIET_S = 1.0


def embed_view(browser: Browser, url: str) -> dict[str, Any]:
    """Every request a first view of the embed makes (empty cache), and their bytes on the wire as sent."""
    context = browser.new_context(viewport={"width": 400, "height": 480})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        sizes: dict[str, int] = {}
        hosts: set[str] = set()
        last = [time.monotonic()]

        def sent(event: dict[str, Any]) -> None:
            last[0] = time.monotonic()
            sizes.setdefault(event["requestId"], 0)
            hosts.add(event["request"]["url"].split("/")[2] if "://" in event["request"]["url"] else "")

        def finished(event: dict[str, Any]) -> None:
            last[0] = time.monotonic()
            if event["requestId"] in sizes:
                sizes[event["requestId"]] = int(event.get("encodedDataLength", 0))

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", finished)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        page.goto(url, wait_until="load", timeout=60_000)
        while time.monotonic() - last[0] < QUIET_S:
            page.wait_for_timeout(100)
        return {"bytes": sum(sizes.values()), "requests": len(sizes), "hosts": sorted(hosts)}
    finally:
        context.close()


def observatory(host: str) -> dict[str, Any] | None:
    """The Observatory's grade, score and failed tests for ``host`` (HOST:PORT), or None when it is not installed."""
    node = shutil.which("node")
    if node is None or not SCANNER.exists():
        return None
    env = {k: v for k, v in os.environ.items() if k != "NODE_EXTRA_CA_CERTS"}
    ran = subprocess.run([node, str(SCANNER), host], capture_output=True, text=True, env=env, timeout=180, check=False)
    found = json.loads(ran.stdout) if ran.returncode == 0 else {"error": ran.stdout + ran.stderr}
    if "error" in found:
        return {"error": str(found["error"])[:300]}
    scan = found["scan"]
    failed = sorted(name for name, test in found["tests"].items() if not test["pass"])
    return {"grade": scan["grade"], "score": scan["score"], "passed": scan["testsPassed"], "failed": failed}
