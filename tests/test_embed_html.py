"""The embeds' HTML (core.embed_html): the figures the program page says, sheet text escaped, the sample mark,
both languages, no script and nothing loaded from anywhere, colours readable in light and dark, a small 404."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest

from core.embed_html import DARK, LIGHT, STATUS_COLOURS, EmbedSite, all_embed, not_found_embed, program_embed
from core.progress import ProgramProgress, Track

BASE = "https://portal.example"
HOSTILE = '<script>alert(1)</script><img src="https://evil.example/x.png" onerror="alert(2)">'


def _item(code: str = "QW24-PUPR-01", name: str = "Sungaiku Baiman", track: Track = Track.LATE) -> ProgramProgress:
    program: dict[str, Any] = {
        "kode_program": code,
        "nama_program": name,
        "dimensi": "Smart Branding",
        "skpd": "Dinas PUPR",
        "indikator": "Ruas sungai",
        "target": 12,
        "satuan": "ruas",
        "anggaran": 0,
        "tanggal_selesai": date(2024, 12, 31),
    }
    latest = {
        "kode_program": code,
        "tanggal": date(2024, 9, 30),
        "rencana_persen": 60.0,
        "realisasi_persen": 45.5,
        "capaian_indikator": 5,
        "keterangan": "",
    }
    return ProgramProgress(program, latest, track)


def _site(sample: bool = True) -> EmbedSite:
    return EmbedSite(BASE, "Portal Transparansi", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/", sample)


class _Tags(HTMLParser):
    """Every start tag with its attributes, as the browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def test_a_program_embed_says_name_skpd_status_figures_data_per_source_and_licence_in_indonesian() -> None:
    page = program_embed(_item(), "disperkim.xlsx", _site(), "id")
    assert '<html lang="id">' in page
    for said in ("Sungaiku Baiman", "Dinas PUPR", "Terlambat", "Realisasi 45,5% dari rencana 60%"):
        assert said in page, said
    assert "Ruas sungai: 5 dari target 12 ruas" in page
    assert "Data per 30 September 2024 · Sumber: Dinas PUPR, disperkim.xlsx" in page
    assert "Lisensi" in page and "CC BY 4.0" in page
    assert 'class="s s-late"' in page  # the status word in its colour
    assert 'aria-label="Batang: realisasi 45,5% dari rencana 60%"' in page  # the bar's text alternative
    assert 'style="width:45.5%"' in page and 'style="left:60.0%"' in page


def test_a_program_embed_in_english_uses_english_words_and_numbers() -> None:
    page = program_embed(_item(), None, _site(), "en")
    assert '<html lang="en">' in page
    assert "Behind plan" in page and "Progress 45.5% against a plan of 60%" in page
    assert "Data as of 30 September 2024" in page and "Licence" in page
    assert "Sample data, not official figures" in page


def test_the_sample_mark_shows_only_while_the_data_are_samples() -> None:
    assert "Data contoh" in program_embed(_item(), None, _site(sample=True), "id")
    assert "Data contoh" not in program_embed(_item(), None, _site(sample=False), "id")
    assert "Data contoh" not in all_embed([_item()], {}, _site(sample=False), "id")


def test_links_open_the_program_page_and_its_history_in_a_new_tab_with_noopener() -> None:
    page = program_embed(_item(), None, _site(), "en")
    links = [attrs for tag, attrs in _tags(page) if tag == "a"]
    hrefs = {attrs["href"] for attrs in links}
    assert f"{BASE}/program?program=QW24-PUPR-01&lang=en" in hrefs
    assert f"{BASE}/riwayat?program=QW24-PUPR-01&lang=en" in hrefs
    assert all(a["target"] == "_blank" and a["rel"] == "noopener" for a in links)


def test_hostile_sheet_text_is_escaped_never_markup() -> None:
    page = program_embed(_item(name=HOSTILE), HOSTILE, _site(), "id")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert [tag for tag, _ in _tags(page) if tag in ("script", "img", "iframe")] == []


def test_an_embed_has_no_script_and_loads_nothing_at_all() -> None:
    """No src anywhere and no <link>: every byte is the page itself (the 30 kB budget, a strict CSP)."""
    for page in (program_embed(_item(), None, _site(), "id"), all_embed([_item()], {}, _site(), "en")):
        tags = _tags(page)
        assert not [tag for tag, attrs in tags if tag in ("script", "link", "img") or "src" in attrs]
        assert not [attrs for _, attrs in tags if any(name.startswith("on") for name in attrs)]


def test_every_program_embed_lists_each_program_with_its_own_links() -> None:
    items = [_item("A-1", "Si Mantab", Track.DONE), _item("B-2", "Bakawan RTLH", Track.CRITICAL)]
    page = all_embed(items, {"A-1": "a.xlsx"}, _site(), "id")
    assert page.count('<li class="c">') == 2 and "Si Mantab" in page and "Bakawan RTLH" in page
    assert "s-done" in page and "s-critical" in page and "Sumber: Dinas PUPR, a.xlsx" in page
    assert f"{BASE}/program?program=B-2" in page


def test_a_program_without_a_report_says_so_and_draws_no_bar() -> None:
    item = ProgramProgress(_item().program, None, Track.NO_DATA)
    page = program_embed(item, None, _site(), "id")
    assert "Belum ada laporan" in page and 'class="bar"' not in page


def test_the_unknown_program_page_is_small_and_names_nothing_asked() -> None:
    for lang in ("id", "en"):
        page = not_found_embed(lang)
        assert len(page.encode("utf-8")) < 1024
        assert "<script" not in page and f'lang="{lang}"' in page
    assert "Program tidak ditemukan" in not_found_embed("id") and "Program not found" in not_found_embed("en")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(one: str, other: str) -> float:
    a, b = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("track", list(Track), ids=[t.value for t in Track])
def test_each_status_word_is_readable_on_its_colour_in_light_and_dark(track: Track) -> None:
    colours = STATUS_COLOURS[track]
    assert _contrast("#ffffff", colours.light) >= 4.5  # white word in light mode
    assert _contrast(DARK["bg"], colours.dark) >= 4.5  # the dark page's colour as the word in dark mode


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
def test_text_links_and_the_bar_are_readable_on_the_page_in_light_and_dark(palette: dict[str, str]) -> None:
    for ink in ("ink", "muted", "link"):
        assert _contrast(palette["bg"], palette[ink]) >= 4.5, ink
    assert _contrast(palette["bg"], palette["bar"]) >= 3  # a drawn part: 3:1 (WCAG 1.4.11)
    assert _contrast(palette["track"], palette["bar"]) >= 3
    assert _contrast(palette["mark"], palette["ink"]) >= 4.5  # the sample mark


def test_the_style_switches_to_dark_with_the_reader_s_system() -> None:
    page = program_embed(_item(), None, _site(), "id")
    assert re.search(r"@media \(prefers-color-scheme:dark\)\{:root\{[^}]*--bg:" + DARK["bg"], page)
