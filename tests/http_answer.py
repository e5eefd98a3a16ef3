"""An HTTP answer as the tests read it, whatever its status: (status, headers with lower-case names, body)."""

from __future__ import annotations

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
