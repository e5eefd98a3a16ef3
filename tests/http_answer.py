"""An HTTP answer as the tests read it, whatever its status: (status, headers with lower-case names, body)."""

from __future__ import annotations

import time
import urllib.error
import urllib.request


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``url``; a header is passed as ``Accept_Encoding="gzip"``. An error status is an answer, not a raise."""
    request = urllib.request.Request(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def brotli_answer(url: str, timeout_s: float = 60) -> tuple[int, dict[str, str], bytes]:
    """A bundle's answer to a reader who takes only Brotli, once the server has made its Brotli copy (in the
    background after the first plain body, server/compression.py); the last answer if it never came."""
    fetch(url, Accept_Encoding="gzip")  # a first body, if no one asked yet
    deadline = time.monotonic() + timeout_s
    while True:
        answer = fetch(url, Accept_Encoding="br")
        if answer[1].get("content-encoding") == "br" or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)
