"""The security headers every response carries (issue #21, item 4): who may frame a page, what a page may load.

Frames are allowed exactly where the portal means them: ``/embed`` and ``/embed/program`` are made to be framed by
any site (a newsroom's article); every other page only by the portal itself, so a framed ``/admin`` or ``/survei``
cannot be a clickjacking target.

Scripts run only from the portal's own address, plus the portal's own inline scripts named by their SHA-256 hash
(never ``'unsafe-inline'``): the hashes are taken from the HTML being sent, so a script that is not in the page as
the server wrote it does not run. Styles may be inline: Streamlit's components write their styles at run time.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence

# The pages made to be framed by other sites, exactly these paths: Streamlit answers any other address with its
# app, which must never be framed elsewhere (a prefix rule would let ``/embed/x`` frame the whole portal).
EMBED_PATHS = ("/embed", "/embed/program")
# The interactive map's basemap, Carto's vector style: its style, tiles, glyphs and sprites come from these hosts.
# "pmtiles" is the portal's own (server/basemap.py): its style and tiles come from the portal, 'self', and it has
# no glyphs or sprites; "none" draws no basemap. Neither names a host.
BASEMAP_SOURCES = {
    "carto": ("https://basemaps.cartocdn.com", "https://*.basemaps.cartocdn.com"),
    "pmtiles": (),
    "none": (),
}

# Features the portal never uses: a framed or injected page cannot ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)

# An inline script: a <script> without src whose type (if any) is one a browser runs. JSON-LD and other data blocks
# are not run, so a policy does not name them.
_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_RUN_TYPES = ("", "module", "text/javascript", "application/javascript", "text/ecmascript")


def inline_script_hashes(html: str) -> tuple[str, ...]:
    """The CSP source (``'sha256-…'``) of each inline script the browser would run, in page order, once each."""
    found: list[str] = []
    for match in _SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if _SRC.search(attrs):
            continue
        kind = _TYPE.search(attrs)
        if (kind.group(1).lower() if kind else "") not in _RUN_TYPES:
            continue
        digest = base64.b64encode(hashlib.sha256(match.group("body").encode("utf-8")).digest()).decode("ascii")
        source = f"'sha256-{digest}'"
        if source not in found:
            found.append(source)
    return tuple(found)


def framed_by_anyone(path: str) -> bool:
    """Whether the page is one made to be embedded in other sites (``/embed``, ``/embed/program``)."""
    return path in EMBED_PATHS


def content_security_policy(path: str, script_hashes: Sequence[str] = (), basemap: str = "carto") -> str:
    """The page's policy: everything from the portal itself; the basemap's hosts for the map's tiles."""
    hosts = BASEMAP_SOURCES.get(basemap, ())
    directives: list[tuple[str, Iterable[str]]] = [
        ("default-src", ["'self'"]),
        # 'wasm-unsafe-eval' lets WebAssembly compile, never JavaScript text: Streamlit's protobuf bundle (long.js,
        # 64-bit arithmetic) and the map's deck.gl build a WebAssembly module in the browser (docs/admin.md).
        ("script-src", ["'self'", "'wasm-unsafe-eval'", *script_hashes]),
        ("style-src", ["'self'", "'unsafe-inline'"]),
        # data: and blob: are pictures the page makes itself (Streamlit's icons, the map's sprites).
        ("img-src", ["'self'", "data:", "blob:", *hosts]),
        ("font-src", ["'self'", "data:"]),
        # 'self' covers the websocket to the same host (CSP Level 3).
        ("connect-src", ["'self'", *hosts]),
        # The map's renderer runs its tile decoding in a worker it makes from a blob.
        ("worker-src", ["'self'", "blob:"]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'"]),
        ("frame-ancestors", ["*"] if framed_by_anyone(path) else ["'self'"]),
    ]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives)


def resource_policy(path: str) -> str:
    """The policy of a response that is not a page (a bundle, a picture, a feed, an error): nothing loads from it
    if a browser opens it as a document. Short on purpose: a first view asks for a hundred such files, and over
    HTTP/1.1 every header travels with each of them."""
    ancestors = "*" if framed_by_anyone(path) else "'self'"
    return f"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors {ancestors}"


def with_frame_ancestors(policy: str, path: str) -> str:
    """A policy a route wrote itself (the feed's page), with the frame rule added when it has none."""
    if re.search(r"(^|;)\s*frame-ancestors\s", policy):
        return policy
    ancestors = "*" if framed_by_anyone(path) else "'self'"
    return f"{policy}; frame-ancestors {ancestors}"


def security_headers(path: str) -> dict[str, str]:
    """The headers besides the policy, for every response."""
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if not framed_by_anyone(path):
        headers["X-Frame-Options"] = "SAMEORIGIN"
    return headers
