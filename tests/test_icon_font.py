"""Streamlit's icon font, cut to the icons the portal and Streamlit's own widgets can show (server/icon_font.py)."""

from __future__ import annotations

from io import BytesIO

import pytest
from fontTools.ttLib import TTFont

from server import icon_font


@pytest.fixture(scope="module")
def full_font() -> bytes:
    path = icon_font.font_file()
    assert path is not None, f"Streamlit's icon font is no longer at {icon_font.FONT_GLOB}: update server/icon_font.py"
    return path.read_bytes()


@pytest.fixture(scope="module")
def cut_font() -> bytes:
    cut = icon_font.portal_font()
    assert cut is not None
    return cut


def _names(font_bytes: bytes) -> set[str]:
    return set(icon_font._ligatures(TTFont(BytesIO(font_bytes))))


def test_every_icon_the_portal_names_is_found_in_its_code_and_in_streamlit_s_bundle() -> None:
    names = icon_font.icon_names()
    assert {"translate", "sync_problem", "arrow_forward", "format_quote"} <= names  # the portal's own
    assert {"keyboard_double_arrow_right", "expand_more", "content_copy"} <= names  # Streamlit's widgets'


def test_the_cut_font_keeps_a_ligature_for_every_named_icon_and_drops_the_others(
    full_font: bytes, cut_font: bytes
) -> None:
    kept = _names(cut_font)
    everything = _names(full_font)
    assert icon_font.icon_names() & everything <= kept
    assert "pets" in everything and "pets" not in kept  # an icon nobody names
    assert len(kept) < len(everything) / 10


def test_the_cut_font_is_a_woff2_a_small_part_of_the_whole(full_font: bytes, cut_font: bytes) -> None:
    assert cut_font[:4] == b"wOF2"
    assert len(cut_font) < 40_000 < len(full_font) / 5


def test_the_font_is_served_at_streamlit_s_own_address_only_while_streamlit_keeps_it_there(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    assert icon_font.font_path() == "/" + icon_font.font_file().relative_to(icon_font.STATIC).as_posix()
    monkeypatch.setattr(icon_font, "STATIC", tmp_path)  # a Streamlit release that keeps its font elsewhere
    assert icon_font.font_path() is None and icon_font.portal_font() is None
