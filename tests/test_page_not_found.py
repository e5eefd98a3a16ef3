"""The portal's own "page not found" (core.page_not_found): its language, its links, noindex, nothing run."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from core.page_not_found import not_found_html
from core.plain_page import CONTENT_SECURITY_POLICY

BASE = "https://portal.example/"


class Read(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())

    def links(self) -> list[str]:
        return [attrs["href"] for tag, attrs in self.tags if tag == "a"]


@pytest.mark.parametrize(
    ("lang", "title", "other"), [("id", "Halaman tidak ditemukan", "en"), ("en", "Page not found", "id")]
)
def test_the_page_says_not_found_in_the_reader_s_language_and_links_every_public_page(
    lang: str, title: str, other: str
) -> None:
    page = Read(not_found_html("Portal Q", BASE, lang, health_public=True))
    assert ("html", {"lang": lang}) in page.tags
    assert ("meta", {"name": "robots", "content": "noindex"}) in page.tags
    assert f"{title} · Portal Q" in page.text and title in page.text
    query = "" if lang == "id" else "?lang=en"
    pages = ["/", "/program", "/peta", "/riwayat", "/survei", "/hasil-survei", "/kesehatan-data", "/tentang"]
    home_in_other = "https://portal.example/" + ("?lang=en" if other == "en" else "")
    assert page.links() == [f"https://portal.example{p}{query}" for p in pages] + [home_in_other]
    assert ("p", {"lang": other}) in page.tags  # the way to the other language is written in it


def test_the_data_health_page_is_linked_only_while_it_is_public() -> None:
    hidden = Read(not_found_html("Portal Q", BASE, "id", health_public=False)).links()
    assert "https://portal.example/kesehatan-data" not in hidden and "https://portal.example/tentang" in hidden


def test_the_portal_s_title_is_text_and_the_page_runs_nothing() -> None:
    page = not_found_html('Portal <script>alert(1)</script> & "Q"', BASE, "en", health_public=True)
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "script-src" not in CONTENT_SECURITY_POLICY and "default-src 'none'" in CONTENT_SECURITY_POLICY
