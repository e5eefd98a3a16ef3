"""The portal's own HTTP routes and compression, on a real ``streamlit run app.py`` (``portal_server``).

Read as a crawler or a browser reads them: plain GETs, raw bytes (urllib does not decompress), the headers.
"""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import brotli
import pytest
from http_answer import brotli_answer
from portal_server import PortalServer

from core.formatting import number, percent
from core.smart_city_index import SCORES
from data_sources.config.portal_config import load_config
from data_sources.published.published_data import Overview, PublishedData
from server.icon_font import font_path, portal_font

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


@pytest.fixture(scope="module")
def published(portal_server: PortalServer) -> Overview:
    """What the server publishes, read from its store the way the pages read it."""
    fetch(portal_server.url + "/sitemap.xml")  # the first request fills the store on a first start
    return PublishedData(load_config(Path(portal_server.log).parent / "portal.toml")).overview()


def test_robots_txt_names_the_sitemap_and_keeps_admin_and_preview_out(portal_server: PortalServer) -> None:
    status, headers, body = fetch(portal_server.url + "/robots.txt")
    text = body.decode("utf-8")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert "Disallow: /admin\n" in text and "Disallow: /pratinjau\n" in text
    assert f"Sitemap: {portal_server.url}/sitemap.xml" in text


def test_the_sitemap_lists_every_public_page_and_program_in_both_languages(
    portal_server: PortalServer, published: Overview
) -> None:
    status, headers, body = fetch(portal_server.url + "/sitemap.xml")
    assert status == 200 and headers["content-type"].startswith("application/xml")
    urls = ElementTree.fromstring(body).findall(f"{SITEMAP}url")
    locations = {u.findtext(f"{SITEMAP}loc"): u for u in urls}
    base = portal_server.url
    for path in ("/", "/peta", "/riwayat", "/survei", "/hasil-survei", "/kesehatan-data", "/tentang"):
        assert base + path in locations and base + path + "?lang=en" in locations, path
    assert not [loc for loc in locations if "/admin" in loc or "/pratinjau" in loc]
    codes = [item.code for item in published.progress]
    assert len(codes) == 6
    for code in codes:
        for lang_query in ("", "&lang=en"):
            url = locations[f"{base}/program?program={code}{lang_query}"]
            # "data per" of the program: when its source was read
            read_at = published.program_source[code].read_at
            assert read_at is not None
            assert datetime.fromisoformat(url.findtext(f"{SITEMAP}lastmod") or "") == read_at.replace(microsecond=0)
            alternates = {a.get("hreflang"): a.get("href") for a in url.findall(f"{XHTML}link")}
            page = f"{base}/program?program={code}"
            assert alternates == {"id": page, "en": page + "&lang=en", "x-default": page}
    assert len(urls) == 2 * (7 + len(codes))


def _main_bundle(portal_server: PortalServer) -> str:
    _, _, page = fetch(portal_server.url + "/")
    found = re.search(rb'"\./(static/js/index\.[^"]+\.js)"', page)  # in the script that starts the app
    assert found, page[:500]
    return f"{portal_server.url}/{found.group(1).decode()}"


def test_the_app_s_javascript_is_sent_gzipped_and_cached_as_immutable(portal_server: PortalServer) -> None:
    bundle = _main_bundle(portal_server)
    _, plain_headers, plain = fetch(bundle)
    status, headers, compressed = fetch(bundle, Accept_Encoding="gzip, deflate")
    assert "content-encoding" not in plain_headers
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(compressed) == plain
    assert len(compressed) < len(plain) / 2
    assert int(headers["content-length"]) == len(compressed)
    assert "immutable" in headers["cache-control"] and "Accept-Encoding" in headers["vary"]
    assert headers["etag"] != plain_headers["etag"]  # another representation, another tag


def test_a_browser_that_takes_brotli_gets_the_app_s_javascript_brotli_coded_once_the_copy_is_made(
    portal_server: PortalServer,
) -> None:
    bundle = _main_bundle(portal_server)
    _, _, plain = fetch(bundle)
    _, _, zipped = fetch(bundle, Accept_Encoding="gzip")
    # The copy is made in the background after the first plain body (server/compression.py): until then, gzip.
    status, headers, body = brotli_answer(bundle)
    assert status == 200 and headers["content-encoding"] == "br", headers
    assert brotli.decompress(body) == plain and len(body) < len(zipped) * 0.9
    assert "immutable" in headers["cache-control"] and "Accept-Encoding" in headers["vary"]


def test_the_app_s_css_and_the_page_html_are_compressed_too(portal_server: PortalServer) -> None:
    _, _, page = fetch(portal_server.url + "/")
    found = re.search(rb'href="\./(static/css/[^"]+\.css)"', page)
    assert found, page[:800]
    # (The open-data files are served from the static/ folder beside app.py, which this test server's temporary
    # portal does not write into; nginx's compression of them is checked in test_replicas.)
    for path in ("/" + found.group(1).decode(), "/"):
        _, plain_headers, plain = fetch(portal_server.url + path)
        _, headers, compressed = fetch(portal_server.url + path, Accept_Encoding="gzip")
        assert headers.get("content-encoding") == "gzip", path
        assert gzip.decompress(compressed) == plain, path
        assert "content-encoding" not in plain_headers


def test_a_range_request_gets_the_bytes_it_asked_for_uncompressed(portal_server: PortalServer) -> None:
    bundle = _main_bundle(portal_server)
    _, _, plain = fetch(bundle)
    _, headers, part = fetch(bundle, Accept_Encoding="gzip", Range="bytes=0-99")
    assert "content-encoding" not in headers
    assert plain.startswith(part) and len(part) in (100, len(plain))


# --- each public URL answers with HTML that already says what the page says -------------------------------

PUBLIC = (
    "/",
    "/program?program=QW24-PUPR-01",
    "/peta",
    "/riwayat",
    "/survei",
    "/hasil-survei",
    "/kesehatan-data",
    "/tentang",
)


class Page:
    """The parts of an HTML page a crawler reads, found with the standard library's parser."""

    def __init__(self, body: bytes) -> None:
        from html.parser import HTMLParser

        self.lang = ""
        self.title = ""
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.text: list[str] = []
        page = self

        class Reader(HTMLParser):
            in_title = False
            skip = 0

            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                found = {k: v or "" for k, v in attrs}
                if tag == "html":
                    page.lang = found.get("lang", "")
                elif tag == "title":
                    self.in_title = True
                elif tag == "meta" and ("name" in found or "property" in found):
                    page.meta[found.get("name") or found["property"]] = found.get("content", "")
                elif tag == "link":
                    page.links.append(found)
                elif tag in ("script", "style", "noscript"):
                    self.skip += 1

            def handle_endtag(self, tag: str) -> None:
                if tag == "title":
                    self.in_title = False
                elif tag in ("script", "style", "noscript"):
                    self.skip -= 1

            def handle_data(self, data: str) -> None:
                if self.in_title:
                    page.title += data
                elif not self.skip and data.strip():
                    page.text.append(data.strip())

        Reader().feed(body.decode("utf-8"))

    @property
    def words(self) -> str:
        return " ".join(self.text)

    def link(self, rel: str, hreflang: str | None = None) -> str | None:
        found = [x for x in self.links if x.get("rel") == rel and hreflang in (None, x.get("hreflang"))]
        return found[0]["href"] if found else None


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("path", PUBLIC)
def test_every_public_url_says_what_its_page_says_in_its_language(
    portal_server: PortalServer, published: Overview, path: str, lang: str
) -> None:
    url = portal_server.url + path + ("" if lang == "id" else ("&" if "?" in path else "?") + "lang=en")
    status, headers, body = fetch(url)
    page = Page(body)
    portal_title = {"id": "Portal Transparansi Quick Win Kota Banjarmasin", "en": "Quick Win Transparency Portal"}
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert page.lang == lang
    assert portal_title[lang] in page.title and page.title != "Streamlit"
    assert len(page.meta["description"]) > 40
    assert page.link("canonical") == url
    assert page.link("alternate", "id") and page.link("alternate", "en")
    assert page.link("alternate", lang) == url
    for tag in ("og:title", "og:description", "og:url", "twitter:card"):
        assert page.meta.get(tag), tag
    assert page.meta["og:url"] == url
    sample = {"id": "Data contoh.", "en": "Sample data."}[lang]
    assert sample in page.words  # the bundled sample sources are marked as such on every face
    assert '<div id="root"></div>' in body.decode("utf-8")  # and the app loads at the same URL as ever


def test_the_home_page_html_lists_every_program_with_status_figures_and_data_per(
    portal_server: PortalServer, published: Overview
) -> None:
    from core.formatting import long_date, percent
    from core.progress import TRACK_LABELS

    page = Page(fetch(portal_server.url + "/")[2])
    assert len(published.progress) == 6
    for item in published.progress:
        assert str(item.program["nama_program"]) in page.words
        # The name is in the short list at the top (issue 23: a phone's first screen) and on its card below.
        after_name = [words[:600] for words in page.words.split(str(item.program["nama_program"]))[1:]]
        status = TRACK_LABELS[item.track][1].id
        figures = f"Realisasi {percent(item.actual or 0, 'id')} dari rencana {percent(item.plan or 0, 'id')}"
        assert item.as_of is not None
        data_per = f"Data per {long_date(item.as_of, 'id')}"
        assert any(status in card and figures in card and data_per in card for card in after_name), after_name
    assert "Dibaca portal" in page.words and "Sumber terakhir dibaca" not in page.words  # the read time, named apart
    assert "Selesai" in page.meta["description"] or "Sesuai rencana" in page.meta["description"]


def test_a_program_page_html_gives_its_skpd_status_reason_figures_and_last_report(
    portal_server: PortalServer, published: Overview
) -> None:
    from core.page_summary import status_reason

    item = published.program("QW24-PUPR-01")
    assert item is not None and item.latest is not None
    page = Page(fetch(portal_server.url + "/program?program=QW24-PUPR-01&lang=en")[2])
    name = str(item.program["nama_program"])
    assert page.title.startswith(name)
    assert str(item.program["skpd"]) in page.words and str(item.program["skpd"]) in page.meta["description"]
    # the reason, with its figures: the same words the Streamlit page shows under the status
    assert status_reason(item, "en") in page.words and "by 28 points" in page.words
    assert str(item.latest["keterangan"]) in page.words  # the last report's own note


def test_an_unknown_program_is_a_404_that_offers_the_programs(portal_server: PortalServer, published: Overview) -> None:
    with pytest.raises(urllib.error.HTTPError) as answer:
        fetch(portal_server.url + "/program?program=QW99-NOPE")
    assert answer.value.code == 404
    page = Page(answer.value.read())
    assert all(str(p.program["nama_program"]) in page.words for p in published.progress)


def test_the_program_page_without_a_program_offers_the_programs_as_a_page_that_exists(
    portal_server: PortalServer, published: Overview
) -> None:
    status, _, body = fetch(portal_server.url + "/program")
    assert status == 200
    assert all(str(p.program["nama_program"]) in Page(body).words for p in published.progress)


@pytest.mark.parametrize("path", ["/program?program=QW24-PUPR-01", "/admin", "/pratinjau"])
def test_every_page_tells_the_app_where_its_server_is(portal_server: PortalServer, path: str) -> None:
    """The admin and preview pages too: without it the app asks /admin/_stcore/health first, a 404."""
    _, _, body = fetch(portal_server.url + path)
    assert b'window.__streamlit = {BACKEND_BASE_URL: window.location.origin + "/"}' in body


@pytest.mark.parametrize("lang_query", ["", "?lang=en"])
def test_the_home_page_describes_the_open_data_files_as_a_dataset_for_dataset_search(
    portal_server: PortalServer, published: Overview, lang_query: str
) -> None:
    import json

    body = fetch(portal_server.url + "/" + lang_query)[2].decode("utf-8")
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, flags=re.S)
    assert len(found) == 1
    described = json.loads(found[0])
    config = load_config(Path(portal_server.log).parent / "portal.toml")
    assert described["@type"] == "Dataset" and described["@context"] == "https://schema.org/"
    assert described["license"] == config.portal.licence_url
    assert len(described["description"]) >= 50 and described["name"]
    days = sorted(str(r["tanggal"]) for r in published.reports)
    assert described["temporalCoverage"] == f"{days[0]}/{days[-1]}"
    names = {d["name"] for d in described["distribution"]}
    assert {"program.csv", "capaian.csv", "lokasi.csv", "riwayat.csv", "oc4ids.json"} <= names
    folder = config.open_data_folder  # served at /app/static/data/ when it is the static/data beside app.py
    for download in described["distribution"]:
        name = download["contentUrl"].removeprefix(portal_server.url + "/app/static/data/")
        assert (folder / name).is_file(), download
        media = {"csv": "text/csv", "json": "application/json", "geojson": "application/geo+json"}
        assert download["encodingFormat"] == media[name.rsplit(".", 1)[1]]
    # Who wrote the figures, what they are filed under, the one address of the set, and what each column measures.
    assert described["identifier"] == portal_server.url + "/app/static/data/index.json"
    assert (folder / "index.json").is_file()
    skpds = {s.skpd for s in config.sources}
    assert {c["name"] for c in described["creator"]} == skpds and len(described["creator"]) == len(skpds)
    assert ("open data" if lang_query else "data terbuka") in described["keywords"]
    measured = {v["name"]: v for v in described["variableMeasured"]}
    # The columns the files hold, as index.json lists them: the map's own (lintang, bujur), not the sheet's koordinat.
    assert {"program.kode_program", "capaian.realisasi_persen", "lokasi.lintang", "riwayat.id_snapshot"} <= set(
        measured
    )
    assert "lokasi.koordinat" not in measured
    assert measured["capaian.realisasi_persen"]["unitText"] == ("percent, 0–100" if lang_query else "persen, 0–100")


@pytest.mark.parametrize(
    ("page", "image"),
    [
        ("/", "/og/beranda.png"),
        ("/program?program=QW24-PUPR-01&lang=en", "/og/program.png?program=QW24-PUPR-01&lang=en"),
        # The page about the portal shows the portal's own picture: every program's progress (issue 25, item 6).
        ("/tentang", "/og/beranda.png"),
        ("/tentang?lang=en", "/og/beranda.png?lang=en"),
    ],
)
def test_a_shared_link_previews_as_a_1200_by_630_picture_under_150_kb(
    portal_server: PortalServer, published: Overview, page: str, image: str
) -> None:
    from io import BytesIO

    from PIL import Image

    head = Page(fetch(portal_server.url + page)[2])
    assert head.meta["og:image"] == portal_server.url + image
    assert head.meta["twitter:card"] == "summary_large_image" and head.meta["twitter:image"] == head.meta["og:image"]
    status, headers, body = fetch(head.meta["og:image"])
    assert status == 200 and headers["content-type"] == "image/png"
    assert Image.open(BytesIO(body)).size == (1200, 630)
    assert len(body) <= 150 * 1024
    again = fetch(head.meta["og:image"])
    assert again[2] == body and again[1]["etag"] == headers["etag"]  # drawn once per published data, then kept
    with pytest.raises(urllib.error.HTTPError) as unchanged:
        fetch(head.meta["og:image"], If_None_Match=headers["etag"])
    assert unchanged.value.code == 304


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("path", PUBLIC)
def test_every_public_page_has_a_preview_picture_said_in_words(
    portal_server: PortalServer, published: Overview, path: str, lang: str
) -> None:
    url = portal_server.url + path + ("" if lang == "id" else ("&" if "?" in path else "?") + "lang=en")
    head = Page(fetch(url)[2])
    query = "" if lang == "id" else "lang=en"
    if path.startswith("/program?"):
        item = published.program("QW24-PUPR-01")
        assert item is not None
        picture = "/og/program.png?program=QW24-PUPR-01" + ("&" + query if query else "")
        words = [str(item.program["nama_program"]), str(item.program["skpd"])]
    else:
        picture = "/og/beranda.png" + ("?" + query if query else "")
        words = [{"id": "Grafik kemajuan 6 program", "en": "the 6 Quick Win programs"}[lang]]
    assert head.meta["og:image"] == portal_server.url + picture and head.meta["twitter:image"] == head.meta["og:image"]
    assert head.meta["twitter:card"] == "summary_large_image"
    alt = head.meta["og:image:alt"]
    assert head.meta["twitter:image:alt"] == alt and all(word in alt for word in words), alt
    assert {"id": "Data per ", "en": "Data as of "}[lang] in alt  # the date the picture's figures describe
    status, headers, _ = fetch(head.meta["og:image"])
    assert status == 200 and headers["content-type"] == "image/png"


def test_an_unknown_program_has_no_picture(portal_server: PortalServer) -> None:
    with pytest.raises(urllib.error.HTTPError) as answer:
        fetch(portal_server.url + "/og/program.png?program=QW99-NOPE")
    assert answer.value.code == 404
    assert "og:image" not in Page(fetch_error(portal_server.url + "/program?program=QW99-NOPE")).meta


def fetch_error(url: str) -> bytes:
    try:
        return fetch(url)[2]
    except urllib.error.HTTPError as error:
        return error.read()


def test_the_icon_font_is_served_cut_to_the_portal_s_icons_and_cached_as_immutable(
    portal_server: PortalServer,
) -> None:
    path = font_path()
    assert path is not None
    status, headers, body = fetch(portal_server.url + path, Accept_Encoding="gzip")
    assert status == 200 and headers["content-type"] == "font/woff2" and "content-encoding" not in headers
    assert body == portal_font() and len(body) < 40_000
    assert "immutable" in headers["cache-control"]


# --- the Atom feed of published changes -------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("lang_query", ["", "?lang=en"])
def test_the_feed_of_changes_is_valid_atom_that_links_back_to_the_portal(
    portal_server: PortalServer, published: Overview, lang_query: str
) -> None:
    from test_atom_feed import RETROACTIVE_TERM, rfc_4287_problems

    url = portal_server.url + "/riwayat.atom" + lang_query
    status, headers, body = fetch(url)
    assert status == 200 and headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert rfc_4287_problems(body) == []
    root = ElementTree.fromstring(body)
    links = {x.get("rel"): x.get("href") for x in root.findall(f"{ATOM}link")}
    assert links == {"self": url, "alternate": portal_server.url + "/riwayat" + lang_query}
    found = root.findall(f"{ATOM}entry")
    codes = {item.code for item in published.progress}
    assert len(found) >= len(codes)  # the sample history: every program's first publication and later reports
    for entry in found:
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and (link.get("href") or "").startswith(portal_server.url + "/riwayat?program=")
        assert {c.get("term") for c in entry.findall(f"{ATOM}category")} & codes
    # The sample's edits after publication (a lowered target among them) are flagged.
    assert [e for e in found if RETROACTIVE_TERM in {c.get("term") for c in e.findall(f"{ATOM}category")}]
    # Compressed when asked, and answered 304 when the reader has it already.
    _, zipped_headers, zipped = fetch(url, Accept_Encoding="gzip")
    assert zipped_headers["content-encoding"] == "gzip" and gzip.decompress(zipped) == body
    for etag in (headers["etag"], zipped_headers["etag"]):
        with pytest.raises(urllib.error.HTTPError) as unchanged:
            fetch(url, If_None_Match=etag)
        assert unchanged.value.code == 304


@pytest.mark.parametrize("path", ["/", "/riwayat", "/program?program=QW24-PUPR-01&lang=en"])
def test_every_public_page_names_the_feed_of_changes_in_its_head(portal_server: PortalServer, path: str) -> None:
    page = Page(fetch(portal_server.url + path)[2])
    feeds = [x for x in page.links if x.get("type") == "application/atom+xml"]
    english = path.endswith("lang=en")
    assert len(feeds) == 1 and feeds[0]["rel"] == "alternate"
    assert feeds[0]["href"] == portal_server.url + "/riwayat.atom" + ("?lang=en" if english else "")
    assert feeds[0]["title"].startswith("Published data changes" if english else "Perubahan data terbit")


# --- the home page's pictures ----------------------------------------------------------------------------


def test_the_home_page_s_progress_picture_is_an_svg_of_every_program_kept_until_the_data_change(
    portal_server: PortalServer, published: Overview
) -> None:
    status, headers, body = fetch(portal_server.url + "/grafik/kemajuan.svg?lang=en", Accept_Encoding="gzip")
    assert status == 200 and headers["content-type"] == "image/svg+xml" and headers["content-encoding"] == "gzip"
    picture = gzip.decompress(body).decode("utf-8")
    assert picture.startswith("<svg")
    shown = [p for p in published.progress if p.latest is not None]
    words = " ".join(re.findall(r">([^<]+)</text>", picture))
    assert all(word in words for p in shown for word in str(p.program["nama_program"]).split()[:2])
    assert all(percent(p.actual or 0.0, "en") in words for p in shown)
    with pytest.raises(urllib.error.HTTPError) as again:
        fetch(portal_server.url + "/grafik/kemajuan.svg?lang=en", If_None_Match=headers["etag"])
    assert again.value.code == 304


def test_the_smart_city_index_picture_writes_each_year_s_score_in_the_reader_s_language(
    portal_server: PortalServer,
) -> None:
    _, headers, body = fetch(portal_server.url + "/grafik/indeks.svg")
    assert headers["content-type"] == "image/svg+xml"
    assert all(f">{number(s.score, 'id')}</text>" in body.decode() for s in SCORES)


# --- the program page's map picture ----------------------------------------------------------------------


def test_a_program_s_sites_picture_is_an_svg_kept_until_the_data_change(portal_server: PortalServer) -> None:
    url = portal_server.url + "/grafik/peta.svg?program=QW24-PUPR-01&lang=en"
    status, headers, body = fetch(url, Accept_Encoding="gzip")
    assert status == 200 and headers["content-type"] == "image/svg+xml" and headers["content-encoding"] == "gzip"
    picture = gzip.decompress(body).decode("utf-8")
    assert picture.startswith("<svg") and "River (approximate line)" in picture
    with pytest.raises(urllib.error.HTTPError) as again:
        fetch(url, If_None_Match=headers["etag"])
    assert again.value.code == 304


@pytest.mark.parametrize("program", ["QW99-NOPE", "QW24-DISDIK-01", "<script>"])
def test_a_program_without_sites_or_unknown_has_no_sites_picture(portal_server: PortalServer, program: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as answer:
        fetch(portal_server.url + "/grafik/peta.svg?" + urllib.parse.urlencode({"program": program}))
    assert answer.value.code == 404


# --- the map page's picture (issue 23) ------------------------------------------------------------------------


def test_the_map_page_s_picture_draws_the_page_s_filters_once_per_canonical_filter_set(
    portal_server: PortalServer,
) -> None:
    base = portal_server.url + "/grafik/peta-kota.svg?"
    status, headers, body = fetch(base + "status=Selesai&kecamatan=Banjarmasin+Selatan", Accept_Encoding="gzip")
    assert status == 200 and headers["content-type"] == "image/svg+xml" and headers["content-encoding"] == "gzip"
    picture = gzip.decompress(body).decode("utf-8")
    assert picture.startswith("<svg") and "Selesai" in picture and "Berjalan" not in picture
    # The same filters in another order, with junk and an unknown value: the same picture (the same tag).
    same = fetch(
        base + "junk=1&kecamatan=Banjarmasin+Selatan&kecamatan=Atlantis&status=Selesai", Accept_Encoding="gzip"
    )[1]
    assert same["etag"] == headers["etag"]
    with pytest.raises(urllib.error.HTTPError) as again:
        fetch(base + "kecamatan=Banjarmasin+Selatan&status=Selesai", If_None_Match=headers["etag"])
    assert again.value.code == 304
    # Every site (no filter) is another picture; a filter that matches no site still draws the city and its rivers.
    assert fetch(base)[1]["etag"] != headers["etag"]
    _, _, empty = fetch(base + "dimensi=Smart+Society&lang=en")
    assert "River (approximate line)" in empty.decode() and "Completed" not in empty.decode()


def test_the_map_page_s_html_shows_the_picture_of_its_filters_before_the_app_loads(portal_server: PortalServer) -> None:
    _, _, body = fetch(portal_server.url + "/peta?junk=1&status=Selesai&kecamatan=Banjarmasin+Selatan")
    page = body.decode("utf-8")
    predrawn = page[page.index('<div id="pratayang">') : page.index('<div id="root">')]
    # The same picture as the app's first view, of the address's known filters in their canonical order.
    assert '<img src="/grafik/peta-kota.svg?status=Selesai&amp;kecamatan=Banjarmasin+Selatan" ' in predrawn
    assert 'alt="Peta Kota Banjarmasin: ' in predrawn and " lokasi program: Selesai " in predrawn


# --- the program page's S-curve and the history's versions, as pictures (Plotly only when asked for) -------------


def test_a_program_s_s_curve_picture_is_an_svg_kept_until_the_data_change(portal_server: PortalServer) -> None:
    url = portal_server.url + "/grafik/kurva-s.svg?program=QW24-PUPR-01&lang=en"
    status, headers, body = fetch(url, Accept_Encoding="gzip")
    assert status == 200 and headers["content-type"] == "image/svg+xml" and headers["content-encoding"] == "gzip"
    picture = gzip.decompress(body).decode("utf-8")
    words = set(re.findall(r">([^<]+)</text>", picture))
    assert picture.startswith("<svg") and {"Plan", "Progress", "Dec 2024"} <= words, words
    with pytest.raises(urllib.error.HTTPError) as again:
        fetch(url, If_None_Match=headers["etag"])
    assert again.value.code == 304


def test_a_program_s_versions_picture_names_each_published_version(portal_server: PortalServer) -> None:
    status, headers, body = fetch(portal_server.url + "/grafik/riwayat.svg?program=QW24-PERKIM-01")
    assert status == 200 and headers["content-type"] == "image/svg+xml"
    words = set(re.findall(r">([^<]+)</text>", body.decode("utf-8")))
    assert {"terbit 1 April 2024", "terbit 3 Juni 2024"} <= words, words


@pytest.mark.parametrize("path", ["/grafik/kurva-s.svg", "/grafik/riwayat.svg"])
@pytest.mark.parametrize("program", ["QW99-NOPE", "<script>", ""])
def test_an_unknown_program_has_no_s_curve_or_versions_picture(
    portal_server: PortalServer, path: str, program: str
) -> None:
    with pytest.raises(urllib.error.HTTPError) as answer:
        fetch(portal_server.url + path + "?" + urllib.parse.urlencode({"program": program}))
    assert answer.value.code == 404


# --- an address the portal does not serve is a 404 with the portal's own page (issue 25, item 5) --------------


def _raw_get(server: PortalServer, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """The path sent as written (urllib would resolve dots and slashes first)."""
    import http.client

    address = urllib.parse.urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=60)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


NOT_SERVED = (
    "/no-such-page",
    "/.well-known/csvm",
    "/.well-known/security.txt",
    "/sitemap_index.xml",
    "/index.html",  # Streamlit's bare shell at its own address: the very page titled "Streamlit"
    "/favicon.ico",
    "/peta/nope",
    "/program/QW24-PUPR-01",
    "/_stcore/nope",
    "/static",
)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("path", NOT_SERVED)
def test_an_address_the_portal_does_not_serve_is_a_404_with_the_portal_s_own_page(
    portal_server: PortalServer, path: str, lang: str
) -> None:
    status, headers, body = _raw_get(portal_server, path + ("?lang=en" if lang == "en" else ""))
    page = Page(body)
    assert status == 404, (path, status)
    assert headers["content-type"].startswith("text/html") and headers["x-robots-tag"] == "noindex"
    assert page.meta["robots"] == "noindex" and page.lang == lang
    portal_title = {"id": "Portal Transparansi Quick Win Kota Banjarmasin", "en": "Quick Win Transparency Portal"}
    assert {"id": "Halaman tidak ditemukan", "en": "Page not found"}[lang] in page.title
    assert portal_title[lang] in page.title and "Streamlit" not in page.title
    query = "?lang=en" if lang == "en" else ""
    for public in ("/", "/program", "/peta", "/riwayat", "/survei", "/hasil-survei", "/kesehatan-data", "/tentang"):
        assert f'href="{portal_server.url}{public}{query}"'.encode() in body, public
    assert b"<script" not in body and b'id="root"' not in body  # not the app: nothing of Streamlit's page
    # The security headers of every response, and a policy that lets the page run nothing.
    assert headers["x-frame-options"] == "SAMEORIGIN" and headers["x-content-type-options"] == "nosniff"
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "frame-ancestors 'self'" in policy
    assert headers["cache-control"] == "no-cache" and "etag" not in headers


def test_a_head_request_for_an_unknown_address_is_a_404_too(portal_server: PortalServer) -> None:
    status, headers, body = _raw_get(portal_server, "/.well-known/csvm", "HEAD")
    assert status == 404 and headers["content-type"].startswith("text/html") and body == b""


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/", 200, "text/html"),
        ("/peta?lang=en", 200, "text/html"),
        ("/program?program=QW24-PUPR-01", 200, "text/html"),
        ("/program?program=QW99-NOPE", 404, "text/html"),  # the program page's own 404: it offers the programs
        ("/admin", 200, "text/html"),
        ("/pratinjau", 200, "text/html"),
        ("/favicon.png", 200, "image/png"),
        ("/manifest.json", 200, "application/json"),
        ("/_stcore/health", 200, "text/plain"),
        ("/_stcore/host-config", 200, "application/json"),
        ("/app/static/.gitkeep", 200, ""),  # the app's static/ folder, where the open-data files are served from
        ("/app/static/data/nope.csv", 404, "text/plain"),  # and its own 404 for a file it does not have
        ("/media/nope.png", 404, "text/plain"),
        ("/component/nope/index.html", 404, "text/plain"),
        ("/static/js/nope.js", 404, "text/plain"),  # server.static_assets' own plain 404
        ("/og/beranda.png", 200, "image/png"),
        ("/sitemap.xml", 200, "application/xml"),
    ],
)
def test_what_the_portal_and_streamlit_serve_still_answers_as_before(
    portal_server: PortalServer, path: str, status: int, content_type: str
) -> None:
    got, headers, body = _raw_get(portal_server, path)
    assert got == status, (path, got)
    assert headers.get("content-type", "").startswith(content_type), (path, headers.get("content-type"))
    assert b"Halaman tidak ditemukan" not in body and b"Page not found" not in body, path


def test_every_route_of_the_portal_answers_itself_not_with_the_404_page(portal_server: PortalServer) -> None:
    from starlette.routing import Route

    from server.web import routes

    paths = [r.path for r in routes() if isinstance(r, Route) and "{" not in r.path]
    assert "/" in paths and "/tentang" in paths and "/admin" in paths and "/robots.txt" in paths
    for path in paths:
        # Some answer their own short 404 without a parameter (a program, the basemap's archive): never the page.
        status, _, body = _raw_get(portal_server, path)
        assert b"Halaman tidak ditemukan" not in body, (path, status)


@pytest.mark.parametrize("path", ["/peta/", "/tentang/?lang=en", "/.well-known/csvm/"])
def test_an_address_with_a_trailing_slash_is_sent_to_the_one_without(portal_server: PortalServer, path: str) -> None:
    status, headers, _ = _raw_get(portal_server, path)
    assert status == 301 and headers["location"] == path.replace("/?", "?").rstrip("/")


def test_the_open_data_geojson_gets_its_media_type_where_the_system_list_has_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Python 3.11's own table has no .geojson; a machine without /etc/mime.types would serve lokasi.geojson as
    application/octet-stream. Building the routes registers the type, whatever the machine's list says. (The
    machine's lists are taken away for the test: this one has the type in /etc/mime.types.)"""
    import mimetypes

    from server.web import routes

    # The module's tables as they are, put back whole afterwards (types other code registered included).
    for name in ("_db", "types_map", "common_types", "suffix_map", "encodings_map", "inited", "knownfiles"):
        monkeypatch.setattr(mimetypes, name, getattr(mimetypes, name))
    monkeypatch.setattr(mimetypes, "knownfiles", [])
    mimetypes.init()  # Python's built-in table only
    assert mimetypes.guess_type("lokasi.geojson")[0] is None
    routes()
    assert mimetypes.guess_type("lokasi.geojson")[0] == "application/geo+json"
