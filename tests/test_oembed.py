"""oEmbed (core.oembed): only the portal's own program and home pages are answered, with the embed's iframe."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from core.embed_html import PROGRAM_FRAME_HEIGHT
from core.oembed import Provider, Target, answer, discovery_url, iframe, target

BASE = "https://portal.example"
CODES = {"QW24-PUPR-01"}
PROVIDER = Provider("Portal", BASE + "/", 300)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (BASE + "/program?program=QW24-PUPR-01", Target("QW24-PUPR-01", "id")),
        (BASE + "/program?program=QW24-PUPR-01&lang=en", Target("QW24-PUPR-01", "en")),
        ("http://portal.example/program?program=QW24-PUPR-01", Target("QW24-PUPR-01", "id")),  # behind a proxy
        (BASE + "/", Target(None, "id")),
        (BASE, Target(None, "id")),
        (BASE + "/?lang=en", Target(None, "en")),
    ],
)
def test_the_portal_s_program_and_home_pages_are_named(url: str, expected: Target) -> None:
    assert target(url, BASE, CODES) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/program?program=QW24-PUPR-01",
        "https://portal.example.evil.example/",
        "https://evil.example/?u=https://portal.example/",
        BASE + "/program?program=NOPE",
        BASE + "/program",
        BASE + "/peta",
        BASE + "/program?program=QW24-PUPR-01&lang=fr",
        BASE + "/program?program=QW24-PUPR-01&program=X",
        BASE + "/program?program=QW24-PUPR-01&x=1",
        "javascript:alert(1)",
        "",
    ],
)
def test_any_other_address_is_not_ours(url: str) -> None:
    assert target(url, BASE, CODES) is None


def test_a_portal_under_a_path_names_its_pages_below_that_path_only() -> None:
    base = "https://kota.example/portal"
    assert target(base + "/program?program=QW24-PUPR-01", base, CODES) == Target("QW24-PUPR-01", "id")
    assert target("https://kota.example/program?program=QW24-PUPR-01", base, CODES) is None
    assert target("https://kota.example/portalx/", base, CODES) is None


def test_the_answer_is_rich_with_the_iframe_its_size_provider_and_preview_picture() -> None:
    found = Target("QW24-PUPR-01", "en")
    body = answer(BASE, found, "Sungaiku Baiman", PROVIDER, BASE + "/og/program.png?program=QW24-PUPR-01")
    assert body["type"] == "rich" and body["version"] == "1.0"
    assert body["height"] == PROGRAM_FRAME_HEIGHT and body["width"] == 800
    assert body["provider_name"] == "Portal" and body["provider_url"] == BASE + "/" and body["cache_age"] == 300
    assert (body["thumbnail_width"], body["thumbnail_height"]) == (1200, 630)
    html = body["html"]
    assert 'src="https://portal.example/embed/program?program=QW24-PUPR-01&amp;lang=en"' in html
    assert 'title="Sungaiku Baiman"' in html and 'loading="lazy"' in html and "width:100%" in html


def test_the_answer_keeps_within_the_consumer_s_maximum_size() -> None:
    body = answer(BASE, Target(None, "id"), "Portal", PROVIDER, "x", maxwidth="400", maxheight="300")
    assert (body["width"], body["height"]) == (400, 300) and 'height="300"' in body["html"]
    body = answer(BASE, Target(None, "id"), "Portal", PROVIDER, "x", maxwidth="-1", maxheight="lots")
    assert body["width"] == 800


def test_a_hostile_title_cannot_break_out_of_the_iframe() -> None:
    html = iframe(BASE + "/embed", '"><script>alert(1)</script>', 400)
    assert "<script" not in html and "&quot;&gt;&lt;script&gt;" in html


def test_program_and_home_pages_name_their_oembed_address_and_no_other_page_does() -> None:
    page = BASE + "/program?program=QW24-PUPR-01&lang=en"
    found = discovery_url(page)
    assert found is not None and found.startswith(BASE + "/oembed?")
    assert parse_qs(urlsplit(found).query) == {"url": [page], "format": ["json"]}
    assert discovery_url(BASE + "/") == BASE + "/oembed?url=https%3A%2F%2Fportal.example%2F&format=json"
    assert discovery_url("https://kota.example/portal/program?program=X").startswith(  # type: ignore[union-attr]
        "https://kota.example/portal/oembed?"
    )
    assert discovery_url(BASE + "/peta") is None and discovery_url(BASE + "/program") is None
