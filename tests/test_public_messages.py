"""What the public pages say about a source's failure and its rejected cells: the file's name, never the folder
the server keeps it in (the admin page shows the path), and never a cell's personal data, even from a report
stored before validation masked it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from builders import capaian
from conftest import PortalSetup, run_app, write_source
from streamlit.testing.v1 import AppTest

from core.text import Text, without_folders
from data_sources.config.portal_config import load_config
from data_sources.jobs.sync import run_sync
from data_sources.store.snapshot_store import Store

NIK, PHONE = "6371012345678901", "0812-3456-7890"
SERVER_PATH = "/srv/portal-rahasia/data"


def _everything(at: AppTest) -> str:
    """Every text the page shows: markdown, alerts, captions, headers and the cells of its tables."""
    parts = [e.value for kind in ("markdown", "caption", "header", "error", "warning", "info") for e in at.get(kind)]
    parts += [d.value.to_csv() for d in [*at.dataframe, *at.table]]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


@pytest.fixture
def failed_with_old_report(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> PortalSetup:
    """A source read once, whose last attempt failed with the message a missing file gives, carrying a report
    stored by an older portal that kept the raw cells (a NIK in a note, a phone number in a date column)."""
    setup = make_portal({"perkim": write_source(tmp_path / "perkim.xlsx", capaians=[capaian()])})
    config = load_config(setup.config_path)
    store = Store(config.database_url)
    try:
        assert run_sync(config, store) is not None
        old_report = {
            "source": "perkim.xlsx",
            "counts": {"capaian": {"rows": 2, "accepted": 1, "rejected": 1}},
            "issues": [
                {
                    "severity": "error",
                    "worksheet": "capaian",
                    "row": 3,
                    "column": "tanggal",
                    "cell": "B3",
                    "value": PHONE,
                    "message": f"'{PHONE}' bukan tanggal yang dikenali.",
                    "message_en": f"'{PHONE}' is not a date we recognise.",
                },
                {
                    "severity": "warning",
                    "worksheet": "capaian",
                    "row": 2,
                    "column": "keterangan",
                    "cell": "H2",
                    "value": f"Diserahkan ke NIK {NIK}",
                    "message": "Periksa.",
                    "message_en": "Check it.",
                },
            ],
        }
        missing = f"file not found: {SERVER_PATH}/perkim.xlsx"
        store.record_failure("perkim", datetime.now(UTC), Text(missing, missing), report=old_report)
    finally:
        store.close()
    portal_env(setup)
    return setup


def test_the_health_page_names_the_file_not_its_folder_and_masks_old_raw_cells(
    failed_with_old_report: PortalSetup,
) -> None:
    shown = _everything(run_app("app_pages/health.py"))
    assert "file not found: perkim.xlsx" in shown
    assert "[***]" in shown
    for private in (SERVER_PATH, "/srv/", NIK, PHONE):
        assert private not in shown, private


def test_the_home_page_names_the_file_not_its_folder(failed_with_old_report: PortalSetup) -> None:
    shown = _everything(run_app())
    assert "perkim.xlsx" in shown
    assert SERVER_PATH not in shown and "/srv/" not in shown


@pytest.mark.parametrize(
    ("message", "public"),
    [
        ("file not found: /srv/portal/data/dlh.xlsx", "file not found: dlh.xlsx"),
        ("not an .xlsx workbook: /srv/x.xlsx (BadZipFile)", "not an .xlsx workbook: x.xlsx (BadZipFile)"),
        (r"tidak ditemukan: C:\data\dlh.xlsx", "tidak ditemukan: dlh.xlsx"),
        ("key in ~/kunci/sa.json", "key in sa.json"),
        ("see https://docs.google.com/spreadsheets/d/KEY/edit", "see https://docs.google.com/spreadsheets/d/KEY/edit"),
        ("1/2 selesai, 30 km/jam", "1/2 selesai, 30 km/jam"),
    ],
)
def test_a_path_is_cut_to_its_file_name_and_a_url_or_a_fraction_stays(message: str, public: str) -> None:
    assert without_folders(message) == public
