"""What search engines are told (core.sitemap): every public page in both languages, never admin or preview."""

from __future__ import annotations

from datetime import UTC, datetime

from core.sitemap import ProgramRead, entries, page_path, robots_txt

READ = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


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
