"""The embeds and oEmbed on a real ``streamlit run app.py`` (``portal_server``), read as another site reads them:
plain GETs, raw bytes (urllib does not decompress), the headers."""

from __future__ import annotations

import gzip
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from http_answer import fetch
from portal_server import PortalServer

from core.embed_html import PROGRAM_FRAME_HEIGHT
from data_sources.config.portal_config import load_config
from data_sources.published.published_data import Overview, PublishedData

# Everything one embed loads, as it travels (gzipped): issue #21's budget.
BUDGET = 30 * 1024


def plain(headers: dict[str, str], body: bytes) -> str:
    return (gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body).decode("utf-8")


@pytest.fixture(scope="module")
def published(portal_server: PortalServer) -> Overview:
    fetch(portal_server.url + "/sitemap.xml")  # the first request fills the store on a first start
    return PublishedData(load_config(Path(portal_server.log).parent / "portal.toml")).overview()


@pytest.fixture(scope="module")
def code(published: Overview) -> str:
    return published.progress[0].code


class _Loads(HTMLParser):
    """The addresses a page makes the browser load: any ``src``, a ``<link href>``, CSS ``url(…)``."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.loads += [v for k, v in attrs if k in ("src", "srcset", "poster", "data") and v]
        if tag == "link" and found.get("href"):
            self.loads.append(str(found["href"]))
        if tag == "a":
            self.links.append(found)


def _parsed(page: str) -> _Loads:
    parser = _Loads()
    parser.feed(page)
    parser.loads += re.findall(r"url\(([^)]*)\)", page)
    return parser


@pytest.mark.parametrize("lang", ["id", "en"])
def test_an_embed_needs_no_script_sets_no_cookie_loads_nothing_and_fits_the_budget(
    portal_server: PortalServer, published: Overview, code: str, lang: str
) -> None:
    query = "&lang=en" if lang == "en" else ""
    for path in (f"/embed/program?program={code}{query}", "/embed" + query.replace("&", "?")):
        status, headers, body = fetch(portal_server.url + path, Accept_Encoding="gzip")
        page = plain(headers, body)
        assert status == 200 and headers["content-type"].startswith("text/html"), path
        assert "set-cookie" not in headers, path
        assert "<script" not in page.lower(), path
        parsed = _parsed(page)
        assert parsed.loads == [], f"{path} loads {parsed.loads}"  # the page is every byte it needs
        assert len(body) <= BUDGET, f"{path}: {len(body)} bytes on the wire"
        assert "x-frame-options" not in headers, path  # other sites may frame it
        assert f'<html lang="{lang}">' in page
        for link in parsed.links:  # links open the portal (or the licence) in a new tab
            assert link["target"] == "_blank" and link["rel"] == "noopener", link
            href = str(link["href"])
            assert href.startswith(portal_server.url + "/") or href.startswith("https://creativecommons.org/")
    item = published.program(code)
    assert item is not None
    _, headers, body = fetch(portal_server.url + f"/embed/program?program={code}{query}")
    page = plain(headers, body)
    assert str(item.program["nama_program"]) in page and str(item.program["skpd"]) in page
    assert ("Data contoh" if lang == "id" else "Sample data") in page
    assert f"{portal_server.url}/program?program={code}{query.replace('&', '&amp;')}" in page
    assert f"{portal_server.url}/riwayat?program={code}{query.replace('&', '&amp;')}" in page


def test_every_program_embed_lists_all_programs(portal_server: PortalServer, published: Overview) -> None:
    _, headers, body = fetch(portal_server.url + "/embed")
    page = plain(headers, body)
    for item in published.progress:
        assert f"program={item.code}" in page, item.code
    assert page.count('<li class="c">') == len(published.progress)


def test_an_embed_is_sent_again_only_when_it_changed(portal_server: PortalServer, code: str) -> None:
    url = portal_server.url + f"/embed/program?program={code}"
    _, headers, _ = fetch(url)
    status, _, body = fetch(url, If_None_Match=headers["etag"])
    assert status == 304 and body == b""
    assert "noindex" in headers.get("x-robots-tag", "")


def test_an_unknown_program_gets_the_same_small_404_whatever_was_asked(portal_server: PortalServer) -> None:
    answers = [fetch(portal_server.url + f"/embed/program?program={asked}") for asked in ("NOPE-1", "<b>x</b>", "")]
    assert [status for status, _, _ in answers] == [404, 404, 404]
    bodies = {plain(headers, body) for _, headers, body in answers}
    assert len(bodies) == 1  # nothing of what was asked is drawn, so nothing is kept per value
    (body,) = bodies
    assert len(body.encode("utf-8")) < 1024 and "NOPE" not in body and "<script" not in body


def _oembed(portal_server: PortalServer, url: str, **params: str) -> tuple[int, dict[str, str], bytes]:
    query = urllib.parse.urlencode({"url": url, **params})
    return fetch(f"{portal_server.url}/oembed?{query}")


def test_oembed_answers_a_program_page_with_its_iframe_and_preview_picture(
    portal_server: PortalServer, published: Overview, code: str
) -> None:
    page = f"{portal_server.url}/program?program={code}&lang=en"
    status, headers, body = _oembed(portal_server, page, format="json")
    assert status == 200 and headers["content-type"].startswith("application/json")
    answer = json.loads(body)
    assert answer["type"] == "rich" and answer["version"] == "1.0"
    assert answer["width"] == 800 and answer["height"] == PROGRAM_FRAME_HEIGHT
    assert str(published.program(code).program["nama_program"]) in answer["title"]  # type: ignore[union-attr]
    assert answer["provider_name"] == "Quick Win Transparency Portal, City of Banjarmasin"
    assert answer["provider_url"] == portal_server.url + "/?lang=en" and answer["cache_age"] > 0
    assert answer["thumbnail_url"] == f"{portal_server.url}/og/program.png?program={code}&lang=en"
    assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (1200, 630)
    src = re.search(r'<iframe src="([^"]+)"', answer["html"])
    assert src and 'loading="lazy"' in answer["html"] and 'title="' in answer["html"]
    frame = src.group(1).replace("&amp;", "&")
    assert frame == f"{portal_server.url}/embed/program?program={code}&lang=en"
    assert fetch(frame)[0] == 200 and fetch(answer["thumbnail_url"])[0] == 200


def test_oembed_answers_the_home_page_with_every_program(portal_server: PortalServer) -> None:
    status, _, body = _oembed(portal_server, portal_server.url + "/")
    answer = json.loads(body)
    assert status == 200 and f'src="{portal_server.url}/embed"' in answer["html"]
    assert answer["thumbnail_url"] == portal_server.url + "/og/beranda.png"


def test_oembed_in_xml_is_not_implemented(portal_server: PortalServer, code: str) -> None:
    status, _, _ = _oembed(portal_server, f"{portal_server.url}/program?program={code}", format="xml")
    assert status == 501


@pytest.mark.parametrize(
    "url", ["https://evil.example/program?program={code}", "{base}/program?program=NOPE", "{base}/peta", "x"]
)
def test_oembed_for_an_address_that_is_not_a_portal_page_is_a_404(
    portal_server: PortalServer, code: str, url: str
) -> None:
    status, _, _ = _oembed(portal_server, url.format(base=portal_server.url, code=code))
    assert status == 404


def test_every_program_page_names_its_oembed_answer_in_its_head(
    portal_server: PortalServer, published: Overview
) -> None:
    for item in published.progress:
        _, headers, body = fetch(f"{portal_server.url}/program?program={item.code}")
        page = plain(headers, body)
        found = re.search(r'<link rel="alternate" type="application/json\+oembed" title="[^"]+" href="([^"]+)"', page)
        assert found, item.code
        status, _, answer = fetch(found.group(1).replace("&amp;", "&"))
        assert status == 200 and json.loads(answer)["type"] == "rich"


def test_the_home_page_names_its_oembed_answer_too(portal_server: PortalServer) -> None:
    _, headers, body = fetch(portal_server.url + "/?lang=en")
    found = re.search(r'type="application/json\+oembed" title="[^"]+" href="([^"]+)"', plain(headers, body))
    assert found
    status, _, answer = fetch(found.group(1).replace("&amp;", "&"))
    assert status == 200 and f'src="{portal_server.url}/embed?lang=en"' in json.loads(answer)["html"]
