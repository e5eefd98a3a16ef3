"""Sheet text on the preview page stays text: a worksheet title that is a markdown image is escaped in the formula
warning, and a program name's links are escaped and cannot be autolinked (the browser test proves no link)."""

from __future__ import annotations

from pathlib import Path

from conftest import PortalSetup, run_app
from hostile_workbook import EVIL_TITLE, FORMULA_CELL, hostile_workbook
from test_preview import PAGE, live, upload

from core.formatting import WORD_JOINER
from data_sources.readers.upload import read_upload

__all__ = ["live"]  # the preview page's fixture: a synced portal


def test_the_hostile_title_is_read_as_it_is_written(tmp_path: Path) -> None:
    upload = read_upload(hostile_workbook(tmp_path / "draf.xlsx"), max_bytes=5 * 1024 * 1024)
    assert upload.formulas == [f"{EVIL_TITLE}!{FORMULA_CELL}"]


def test_the_formula_warning_escapes_the_worksheet_title(live: PortalSetup, tmp_path: Path) -> None:
    at = upload(run_app(PAGE), "draf.xlsx", hostile_workbook(tmp_path / "draf.xlsx"))
    (warning,) = [w.value for w in at.warning if "rumus" in w.value]
    assert "![i](http" not in warning  # as markdown, an image fetched from the sheet's author
    assert f"\\!\\[i\\]\\(http{WORD_JOINER}\\://evil\\.invalid/x\\.png\\)!{FORMULA_CELL}" in warning
