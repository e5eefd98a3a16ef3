"""Streamlit's text fonts, cut to the Latin letters the portal's pages are written in (server/text_font.py): every
letter of the portal's own words kept, every weight, the same widths (so the layouts the browser tests check hold),
and served at the font's own address in place of the whole font."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from conftest import PortalServer
from fontTools.ttLib import TTFont
from http_answer import fetch

from server import text_font

REPO = Path(__file__).resolve().parent.parent
UPRIGHT = "SourceSansVF-Upright"


def _address(name: str) -> str:
    found = [address for address in text_font.font_files() if name in address]
    assert len(found) == 1, f"Streamlit's {name} is no longer at {text_font.FONT_GLOB}: update server/text_font.py"
    return found[0]


@pytest.fixture(scope="module")
def fonts() -> dict[str, tuple[TTFont, TTFont, int, int]]:
    """Each text font: the whole one and its cut (read back), and their sizes."""
    made = {}
    for address, path in text_font.font_files().items():
        whole = path.read_bytes()
        cut = text_font.cut(whole)
        made[address] = (TTFont(BytesIO(whole)), TTFont(BytesIO(cut)), len(whole), len(cut))
    return made


def _portal_s_own_letters() -> set[str]:
    """Every character written in the portal's words (both languages) and its pages' code."""
    sources = [*(REPO / "core").glob("i18n*.py"), *(REPO / "core").glob("*.py"), *(REPO / "components").glob("*.py")]
    return {ch for path in sources for ch in path.read_text(encoding="utf-8") if ch.isprintable() and ch != "\n"}


def test_streamlit_s_sans_and_code_fonts_are_found_upright_and_italic() -> None:
    for name in (UPRIGHT, "SourceSansVF-Italic", "SourceCodeVF-Upright", "SourceCodeVF-Italic"):
        assert _address(name).startswith("/static/media/") and _address(name).endswith(".woff2")


def test_every_letter_of_the_portal_s_own_words_that_the_font_has_is_kept(
    fonts: dict[str, tuple[TTFont, TTFont, int, int]],
) -> None:
    letters = _portal_s_own_letters()
    assert {"—", "…", "≤", "·", "×"} <= letters  # the check reaches past ASCII
    for address, (whole, cut, _, _) in fonts.items():
        had, kept = set(whole.getBestCmap()), set(cut.getBestCmap())
        lost = sorted(ch for ch in letters if ord(ch) in had and ord(ch) not in kept)
        assert not lost, f"{address} loses {lost}"


def test_the_cut_keeps_every_weight_and_the_same_widths(fonts: dict[str, tuple[TTFont, TTFont, int, int]]) -> None:
    for address, (whole, cut, _, _) in fonts.items():
        assert [(a.axisTag, a.minValue, a.maxValue) for a in cut["fvar"].axes] == [
            (a.axisTag, a.minValue, a.maxValue) for a in whole["fvar"].axes
        ], address
        assert "gvar" in cut and "GPOS" in cut  # the weights' outlines and the kerning
        whole_map, cut_map = whole.getBestCmap(), cut.getBestCmap()
        widths = {ch: (whole["hmtx"][whole_map[ch]][0], cut["hmtx"][cut_map[ch]][0]) for ch in cut_map}
        assert widths and all(a == b for a, b in widths.values()), address


def test_the_cut_is_a_small_part_of_the_whole(fonts: dict[str, tuple[TTFont, TTFont, int, int]]) -> None:
    for address, (_, cut, whole_size, cut_size) in fonts.items():
        assert cut_size < whole_size * 0.5, (address, whole_size, cut_size)
        assert ord("Ж") not in cut.getBestCmap()  # Cyrillic is what went


def test_the_text_font_is_served_cut_at_its_own_address_and_cached_as_immutable(portal_server: PortalServer) -> None:
    address = _address(UPRIGHT)
    status, headers, body = fetch(portal_server.url + address, Accept_Encoding="gzip")
    assert status == 200 and headers["content-type"] == "font/woff2" and "content-encoding" not in headers
    made = text_font.cut_font(address)
    assert made is not None and body == made[0] and headers["etag"] == made[1]
    assert "immutable" in headers["cache-control"]
    whole = text_font.font_files()[address].read_bytes()
    assert len(body) < len(whole) * 0.5
