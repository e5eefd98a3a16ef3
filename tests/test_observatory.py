"""The security headers as MDN's HTTP Observatory grades them (issue #21, item 5), run for real on this machine.

- the embedded server (``streamlit run app.py``, the portal_server fixture): every test passes but the two that
  need HTTPS (redirection to HTTPS, HSTS), which are nginx's part;
- deploy/nginx/portal.conf over TLS in front of it (a self-signed certificate for 127.0.0.1, trusted by the
  scanner through NODE_EXTRA_CA_CERTS): A+, a score of 100 or more.

The Observatory is the npm package pinned in tests/observatory (``make test`` installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from portal_server import PortalServer
from replicas_support import nginx

pytestmark = pytest.mark.observatory

SCANNER = Path(__file__).parent / "observatory" / "node_modules" / "@mdn" / "mdn-http-observatory" / "src" / "scan.js"
NEEDS_HTTPS = {"redirection", "strict-transport-security"}


def _scan(host: str, certificate: Path | None = None) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not SCANNER.exists():
        pytest.fail(
            f"{SCANNER} or node is missing: `make test` installs the pinned Observatory (npm ci).", pytrace=False
        )
    env = {**os.environ}
    env.pop("NODE_EXTRA_CA_CERTS", None)
    if certificate is not None:
        env["NODE_EXTRA_CA_CERTS"] = str(certificate)
    ran = subprocess.run([node, str(SCANNER), host], capture_output=True, text=True, env=env, timeout=180, check=False)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    found: dict[str, Any] = json.loads(ran.stdout)
    assert "error" not in found, found
    return found


def _failed(found: dict[str, Any]) -> set[str]:
    return {name for name, test in found["tests"].items() if not test["pass"]}


def test_the_embedded_server_passes_every_observatory_test_but_the_two_that_need_https(
    portal_server: PortalServer,
) -> None:
    found = _scan(portal_server.url.removeprefix("http://"))
    assert _failed(found) == NEEDS_HTTPS, found["tests"]
    assert found["tests"]["content-security-policy"]["result"] == "csp-implemented-with-unsafe-inline-in-style-src-only"


def test_nginx_over_tls_in_front_of_the_portal_grades_a_plus(portal_server: PortalServer, tmp_path: Path) -> None:
    port = int(portal_server.url.rsplit(":", 1)[1])
    (tmp_path / "data").mkdir()
    with nginx([port], tmp_path / "data", tmp_path) as proxy:
        found = _scan(proxy.url.removeprefix("https://"), proxy.certificate)
    assert _failed(found) == set(), found["tests"]
    assert found["scan"]["grade"] == "A+" and found["scan"]["score"] >= 100, found["scan"]
    assert found["tests"]["redirection"]["result"] == "redirection-to-https"
