"""The security headers' rules (core/security_policy.py, issue #21 item 4): which inline scripts a page's policy
names, who may frame which page, and what every response says besides."""

from __future__ import annotations

import base64
import hashlib

import pytest

from core.security_policy import (
    content_security_policy,
    framed_by_anyone,
    inline_script_hashes,
    resource_policy,
    security_headers,
    with_frame_ancestors,
)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_each_inline_script_a_browser_runs_is_named_by_the_hash_of_its_exact_text() -> None:
    page = (
        "<head><script>\n  window.prerenderReady = false\n</script>"
        '<script type="module">import "./a.js";</script>'
        '<script type="module" crossorigin src="./static/js/index.js"></script>'  # from the portal: 'self'
        '<script type="application/ld+json">{"@type": "Dataset"}</script>'  # data, never run
        "<SCRIPT>window.π = 1</SCRIPT></head>"
    )
    assert inline_script_hashes(page) == (
        _sha256("\n  window.prerenderReady = false\n"),
        _sha256('import "./a.js";'),
        _sha256("window.π = 1"),
    )


def test_a_script_written_twice_is_named_once() -> None:
    assert inline_script_hashes("<script>a()</script><p></p><script>a()</script>") == (_sha256("a()"),)


def test_a_page_policy_runs_the_portal_s_own_scripts_and_nothing_inline_it_did_not_write() -> None:
    policy = _directives(content_security_policy("/program", (_sha256("a()"),)))
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'", _sha256("a()")]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["default-src"] == ["'self'"]
    assert (
        policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    )
    assert policy["frame-ancestors"] == ["'self'"]


def test_only_the_configured_basemap_s_hosts_are_added_to_pictures_and_connections() -> None:
    carto = _directives(content_security_policy("/peta", basemap="carto"))
    none = _directives(content_security_policy("/peta", basemap="none"))
    assert (
        "https://basemaps.cartocdn.com" in carto["connect-src"] and "https://basemaps.cartocdn.com" in carto["img-src"]
    )
    assert none["connect-src"] == ["'self'"] and not [s for s in none["img-src"] if s.startswith("https:")]


@pytest.mark.parametrize(
    ("path", "anyone"),
    [
        ("/embed", True),
        ("/embed/program", True),
        ("/embed/", False),  # Streamlit would answer with the whole app: never framed elsewhere
        ("/embed/x", False),
        ("/embedded", False),
        ("/program", False),
        ("/admin", False),
        ("/", False),
    ],
)
def test_only_the_embed_pages_may_be_framed_by_any_site(path: str, anyone: bool) -> None:
    assert framed_by_anyone(path) is anyone
    assert _directives(content_security_policy(path))["frame-ancestors"] == (["*"] if anyone else ["'self'"])
    assert ("X-Frame-Options" not in security_headers(path)) is anyone


def test_every_response_says_nosniff_referrer_permissions_and_opener_policy() -> None:
    headers = security_headers("/riwayat")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in headers["Permissions-Policy"]


def test_a_file_that_is_not_a_page_gets_a_short_policy_that_loads_nothing() -> None:
    policy = _directives(resource_policy("/static/js/index.js"))
    assert policy == {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],  # an SVG's own style attributes, opened as a document
        "frame-ancestors": ["'self'"],
    }
    assert len(resource_policy("/grafik/kemajuan.svg")) < 100


def test_a_route_s_own_policy_keeps_its_rules_and_gains_the_frame_rule_it_lacked() -> None:
    own = "default-src 'none'; style-src 'unsafe-inline'"
    assert with_frame_ancestors(own, "/riwayat.atom") == own + "; frame-ancestors 'self'"
    assert with_frame_ancestors(own + "; frame-ancestors 'none'", "/x") == own + "; frame-ancestors 'none'"
