"""What search engines are told (core.sitemap): every public page in both languages, never admin or preview."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

from core.sitemap import ProgramRead, entries, page_path, robots_txt, sitemap_xml

READ = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_indonesian_is_the_default_and_needs_no_lang_parameter() -> None:
    assert page_path("/", "id") == "/"
    assert page_path("/", "en") == "/?lang=en"
    repeated = [("status", "Selesai"), ("status", "Berjalan")]
    assert page_path("/peta", "id", repeated) == "/peta?status=Selesai&status=Berjalan"
    assert page_path("/program", "en", [("program", "QW24-PUPR-01")]) == "/program?program=QW24-PUPR-01&lang=en"


def test_each_page_s_lastmod_is_when_the_portal_read_its_sources() -> None:
    found = {e.path: e.lastmod for e in entries([ProgramRead("A", READ), ProgramRead("B", LATER)], True)}
    assert found["/program?program=A"] == READ and found["/program?program=B&lang=en"] == LATER
    assert found["/"] == LATER and found["/peta?lang=en"] == LATER  # the newest read among the sources


def test_the_data_health_page_is_listed_only_while_it_is_public() -> None:
    public = {e.path for e in entries([ProgramRead("A", READ)], health_public=True)}
    private = {e.path for e in entries([ProgramRead("A", READ)], health_public=False)}
    assert public - private == {"/kesehatan-data", "/kesehatan-data?lang=en"}
    assert not [p for p in public if p.startswith(("/admin", "/pratinjau"))]


def test_every_url_names_its_languages_and_the_indonesian_page_as_x_default() -> None:
    """As the pages' heads do (core.page_html): the x-default is the page without ``lang``, once per URL."""
    body = sitemap_xml("https://portal.example/", entries([ProgramRead("QW24-PUPR-01", READ)], True))
    root = ElementTree.fromstring(body)  # well-formed, with its namespaces
    assert root.tag == f"{SITEMAP}urlset" and body.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    urls = root.findall(f"{SITEMAP}url")
    assert len(urls) == 2 * 8  # six pages, the health page and a program, in two languages
    for url in urls:
        loc = url.findtext(f"{SITEMAP}loc") or ""
        links = url.findall(f"{XHTML}link")
        assert [link.get("hreflang") for link in links] == ["id", "en", "x-default"], loc
        assert {link.get("rel") for link in links} == {"alternate"}
        found = {link.get("hreflang"): link.get("href") for link in links}
        assert found["x-default"] == found["id"] and "lang=" not in (found["id"] or "")
        assert loc in (found["id"], found["en"])
    program = [u for u in urls if u.findtext(f"{SITEMAP}loc") == "https://portal.example/program?program=QW24-PUPR-01"]
    assert [link.get("href") for link in program[0].findall(f"{XHTML}link")][-1] == (
        "https://portal.example/program?program=QW24-PUPR-01"
    )


def test_robots_txt_keeps_admin_and_preview_out_and_names_the_sitemap() -> None:
    text = robots_txt("https://transparansi.banjarmasinkota.go.id/")
    assert text.splitlines() == [
        "User-agent: *",
        "Disallow: /admin",
        "Disallow: /pratinjau",
        "Allow: /",
        "",
        "Sitemap: https://transparansi.banjarmasinkota.go.id/sitemap.xml",
    ]
