"""A page's absolute links carry only its own known parameters, and the page cache is bounded by the data, not by
what clients send (issue #22, item 1).

On a real ``streamlit run app.py`` (``portal_server``), read as a crawler reads it; the cache's size on the real
handlers with a real Portal on the sample data, in this process.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest
from conftest import PortalSetup
from portal_server import PortalServer
from starlette.requests import Request

from server.pages import page
from server.portal import get_portal

JUNK = "x" * 20_000


class Links(HTMLParser):
    """Every absolute link a page's head writes: canonical, hreflang alternates, og:url, og:image, the feed."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.found: dict[str, list[str]] = {}
        self.feed(body.decode("utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("href", "").startswith("http"):
            name = values.get("hreflang") or values.get("rel") or ""
            self.found.setdefault(f"link {name}", []).append(values["href"] or "")
        if tag == "meta" and (values.get("content") or "").startswith("http"):
            self.found.setdefault(f"meta {values.get('property') or values.get('name')}", []).append(
                values["content"] or ""
            )

    def every(self) -> list[str]:
        return [url for urls in self.found.values() for url in urls]


def read(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read()


@pytest.mark.parametrize("path", ["/", "/peta", "/riwayat", "/tentang", "/program?program=QW24-PUPR-01"])
def test_junk_parameters_are_not_copied_into_a_page_s_links(portal_server: PortalServer, path: str) -> None:
    joiner = "&" if "?" in path else "?"
    status, body = read(f"{portal_server.url}{path}{joiner}utm_source={JUNK}&fbclid=abc&lang=en")
    links = Links(body)
    assert status == 200 and links.every()
    assert not [url for url in links.every() if "utm_source" in url or "fbclid" in url or JUNK[:100] in url]
    assert len(body) < 200_000  # the junk is in no part of the page


def test_a_program_page_s_links_keep_the_program_and_the_language_in_canonical_order(
    portal_server: PortalServer,
) -> None:
    _, body = read(f"{portal_server.url}/program?lang=en&junk=1&program=QW24-PUPR-01")
    links = Links(body).found
    assert links["link canonical"] == [f"{portal_server.url}/program?program=QW24-PUPR-01&lang=en"]
    assert links["meta og:url"] == links["link canonical"]
    assert links["link id"] == [f"{portal_server.url}/program?program=QW24-PUPR-01"]
    assert links["meta og:image"] == [f"{portal_server.url}/og/program.png?program=QW24-PUPR-01&lang=en"]


def test_the_map_s_filters_stay_in_its_links_in_one_order_and_unknown_values_go(portal_server: PortalServer) -> None:
    query = urllib.parse.urlencode(
        [
            ("kelurahan", "Mantuil"),
            ("kecamatan", "Banjarmasin Timur"),
            ("kecamatan", "Atlantis"),
            ("kecamatan", "Banjarmasin Selatan"),
            ("nama_program", "QW24-PERKIM-01"),
        ]
    )
    _, body = read(f"{portal_server.url}/peta?{query}")
    expected = "nama_program=QW24-PERKIM-01&kecamatan=Banjarmasin+Selatan&kecamatan=Banjarmasin+Timur&kelurahan=Mantuil"
    assert Links(body).found["link canonical"] == [f"{portal_server.url}/peta?{expected}"]


def test_an_unknown_program_is_a_404_whose_links_do_not_repeat_the_value(portal_server: PortalServer) -> None:
    status, body = read(f"{portal_server.url}/program?program=QW99-{JUNK}")
    assert status == 404
    assert Links(body).found["link canonical"] == [f"{portal_server.url}/program"]
    assert JUNK[:100].encode() not in body


def _get(path: str, query: str) -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1:8501")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8501),
        "scheme": "http",
        "root_path": "",
    }
    response = page(Request(scope))
    return response.status_code, bytes(response.body)


def test_the_page_cache_holds_a_page_per_view_of_the_data_not_per_junk_request(sample_portal: PortalSetup) -> None:
    for path in ("/", "/peta", "/program"):  # each page once, as readers open them
        _get(path, "")
    before = get_portal().memo.entries("page_html")
    for i in range(150):
        assert _get("/", f"junk{i}={i}&utm={i}")[0] == 200
        assert _get("/program", f"program=QW99-{i}")[0] == 404
        assert _get("/peta", f"kecamatan=Atlantis{i}&lang=zz{i}")[0] == 200
    # One more entry: the unknown program's 404, the same page for every value.
    assert get_portal().memo.entries("page_html") == before + 1
