"""The server settings in .streamlit/config.toml that the portal's safety and capacity rely on."""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def _options() -> dict[str, dict[str, object]]:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_no_full_garbage_collection_runs_after_every_page_run() -> None:
    # Streamlit's default (a gc.collect(2) per script run) took ~70 % of the server's time with 100 readers.
    assert _options()["runner"]["postScriptGC"] is False


def test_the_public_gets_no_developer_tools_and_no_table_export() -> None:
    client = _options()["client"]
    # "minimal": no developer tools either, and no ⋮ menu of untranslatable English (issue #26, item 12).
    assert client["toolbarMode"] == "minimal"
    assert client["showErrorDetails"] == "none"
    assert client["disableDataExport"] is True
