"""``python -m benchmarks.translation_script [--revision 5bbbff0] [PATH ...]``: the main-thread time a phone spends
inside the page shell's translation script (``core.streamlit_words.TRANSLATION_SCRIPT``), this tree's against a
revision's (issue 23).

One portal of this tree; each page opened three times per script in Debian's chromium at the phone viewport with the
CPU 4x slower (DevTools protocol), the page's HTML intercepted so that it carries the script under test with its
observer callback timed (``performance.now()`` around each call, summed); read 6 s after the app drew its title.
Intercepting the document makes Chromium treat it as a public page, which may not open a websocket to 127.0.0.1:
``LocalNetworkAccessChecks`` is turned off for this measurement only. The page's CSP is dropped for the same reason
(the timed script's hash differs). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import types
from pathlib import Path
from typing import Any

from playwright.sync_api import Route, sync_playwright

from benchmarks.web.browser_load import CHROMIUM, CHROMIUM_ARGS
from benchmarks.web.portal_process import REPO, running_portal
from core.streamlit_words import TRANSLATION_SCRIPT

OBSERVER = "new MutationObserver(function (changes) {"
OBSERVED = "  }).observe(document.documentElement"
DROPPED_HEADERS = ("content-security-policy", "content-encoding", "content-length")


def script_at(revision: str) -> str:
    """``TRANSLATION_SCRIPT`` as ``revision`` wrote it."""
    source = subprocess.run(
        ["git", "show", f"{revision}:core/streamlit_words.py"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    module = types.ModuleType("streamlit_words_at_revision")
    exec(compile(source, f"{revision}:core/streamlit_words.py", "exec"), module.__dict__)  # our own file, a past commit
    return str(module.TRANSLATION_SCRIPT)


def timed(script: str) -> str:
    """``script`` with its observer callback's own time added up in ``window.__tx`` (ms)."""
    if OBSERVER not in script or OBSERVED not in script:
        raise ValueError("the script's observer is not where this benchmark expects it")
    start = OBSERVER + " var __t = performance.now(); try {"
    end = "  } finally { window.__tx = (window.__tx || 0) + performance.now() - __t; } })" + OBSERVED[4:]
    return script.replace(OBSERVER, start).replace(OBSERVED, end)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revision", default="5bbbff0", help="the script to compare with (default %(default)s)")
    parser.add_argument("paths", nargs="*", default=["/program?program=QW24-PUPR-01", "/peta"])
    args = parser.parse_args()
    scripts = {args.revision: script_at(args.revision), "this tree": TRANSLATION_SCRIPT}
    with (
        tempfile.TemporaryDirectory() as folder,
        running_portal(REPO, Path(folder)) as portal,
        sync_playwright() as driver,
    ):
        browser = driver.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[*CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"],
        )
        for path in args.paths:
            address = portal.url + path.split("?")[0]
            for label, script in scripts.items():

                def swap(route: Route, _request: Any, script: str = script) -> None:
                    response = route.fetch()
                    body = response.text()
                    if TRANSLATION_SCRIPT not in body:  # a page without this tree's script: its goto fails at once
                        route.abort()
                        return
                    headers = {k: v for k, v in response.headers.items() if k.lower() not in DROPPED_HEADERS}
                    route.fulfill(
                        response=response, body=body.replace(TRANSLATION_SCRIPT, timed(script)), headers=headers
                    )

                spent = []
                for _ in range(3):
                    context = browser.new_context(
                        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
                    )
                    page = context.new_page()
                    page.route(lambda url, address=address: url.split("?")[0] == address, swap)
                    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
                    page.goto(portal.url + path, wait_until="domcontentloaded", timeout=120_000)
                    page.wait_for_selector('[data-testid="stHeading"] h1', timeout=120_000)
                    page.wait_for_timeout(6_000)
                    spent.append(float(page.evaluate("window.__tx || 0")))
                    context.close()
                runs = ", ".join(f"{ms:.0f}" for ms in spent)
                print(f"{path} {label}: median {statistics.median(spent):.0f} ms ({runs})", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
