"""Downloads of the published data: what is shown and everything, as CSV, XLSX and JSON, with source, data-per
time and licence inside, formulas defused, private homes only as counts; "cite this" links the exact view."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from builders import OTHER_CODE, PROGRAM_CODE, capaian, lokasi, program
from conftest import PortalSetup, run_app, write_source

from core.citation import citation, citation_markdown, view_url
from core.provenance import About
from data_sources.files.exports import tables_to_xlsx_bytes, to_csv_bytes, to_json_bytes
from data_sources.published.tables import published_tables
from server.portal import Portal

HOME_POINT = "-3.3300, 114.5900"  # a private home's exact point: must never be published


@pytest.fixture
def published(
    tmp_path: Path, make_portal: Callable[..., PortalSetup], portal_env: Callable[[PortalSetup], None]
) -> PortalSetup:
    path = write_source(
        tmp_path / "dua.xlsx",
        programs=[
            program(deskripsi='=HYPERLINK("http://contoh.invalid","klik")'),
            program(kode_program=OTHER_CODE, nama_program="Rumah Layak", lokasi_pribadi="ya", dimensi="Smart Branding"),
        ],
        capaians=[capaian(keterangan="+62 811 0000"), capaian(kode_program=OTHER_CODE, keterangan="@SUM(A1)")],
        lokasis=[
            lokasi(nama_lokasi="-Jembatan"),
            lokasi(kode_lokasi="RUMAH-1", kode_program=OTHER_CODE, nama_lokasi="Rumah Ibu X", koordinat=HOME_POINT),
        ],
    )
    # A clerk typed '=HYPERLINK(...) as text: stored as a string cell, not a formula.
    book = openpyxl.load_workbook(path)
    cell = next(c for row in book["program"].iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    cell.data_type = "s"
    book.save(path)
    setup = make_portal({"disperkim": path})
    portal_env(setup)
    assert Portal(setup.config).sync_now()
    return setup


def test_the_full_tables_hold_every_program_and_report_and_homes_only_as_counts(published: PortalSetup) -> None:
    tables = published_tables(Portal(published.config))
    assert sorted(tables["program"]["kode_program"]) == sorted([PROGRAM_CODE, OTHER_CODE])
    assert len(tables["capaian"]) == 2
    assert set(tables["program"].columns) >= {"sumber", "data_per", "dibaca_pada"}
    sites = tables["lokasi"]
    homes = sites[sites["kode_program"] == OTHER_CODE]
    assert list(homes["jenis"]) == ["jumlah_rumah"] and list(homes["jumlah_rumah"]) == [1]
    assert homes["nama_lokasi"].isna().all() and homes["kode_lokasi"].isna().all()
    text = to_csv_bytes(sites).decode("utf-8-sig") + to_json_bytes(tables, {}).decode()
    assert "Rumah Ibu X" not in text and "114.59," not in text and "-3.33," not in text


def test_csv_and_xlsx_defuse_formulas_and_json_keeps_the_text(published: PortalSetup) -> None:
    tables = published_tables(Portal(published.config))
    rows = list(csv.DictReader(io.StringIO(to_csv_bytes(tables["program"]).decode("utf-8-sig"))))
    assert {r["deskripsi"] for r in rows} >= {'\'=HYPERLINK("http://contoh.invalid","klik")'}
    reports = list(csv.DictReader(io.StringIO(to_csv_bytes(tables["capaian"]).decode("utf-8-sig"))))
    assert {r["keterangan"] for r in reports} == {"'+62 811 0000", "'@SUM(A1)"}
    book = openpyxl.load_workbook(io.BytesIO(tables_to_xlsx_bytes(tables, [("Sumber", "Disperkim")])))
    assert book.sheetnames == ["program", "capaian", "lokasi", "keterangan"]
    cells = [c for row in book["lokasi"].iter_rows() for c in row if isinstance(c.value, str)]
    jembatan = next(c for c in cells if "Jembatan" in c.value)
    assert jembatan.value == "'-Jembatan" and jembatan.data_type == "s"
    data = json.loads(to_json_bytes(tables, {"lisensi": "CC BY 4.0"}))
    assert data["tentang"] == {"lisensi": "CC BY 4.0"}
    assert '=HYPERLINK("http://contoh.invalid","klik")' in {p["deskripsi"] for p in data["data"]["program"]}


def test_a_download_carries_its_source_report_date_as_data_per_its_read_time_apart_and_licence() -> None:
    about = About(
        "Laporan",
        "Disperkim (perkim.xlsx)",
        date(2024, 5, 31),
        "CC BY 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "http://portal/program?program=X",
        datetime(2026, 11, 27, 1, 15, tzinfo=UTC),
    )
    rows = dict(about.rows("id"))
    assert rows["Data per (tanggal laporan terbaru)"] == "31 Mei 2024"
    assert rows["Dibaca portal"] == "27 November 2026 09:15 WITA"
    assert rows["Sumber"] == "Disperkim (perkim.xlsx)" and rows["Lisensi"].startswith("CC BY 4.0")
    assert about.as_json()["data_per"] == "2024-05-31"
    assert about.as_json()["dibaca_pada"] == "2026-11-27T09:15:00+08:00"
    assert dict(about.rows("en"))["Read by the portal"] == "27 November 2026 09:15 WITA"


def test_cite_this_names_the_page_the_exact_view_and_the_report_date_as_data_per() -> None:
    url = view_url("https://portal.example/peta", {"kecamatan": ["Banjarmasin Selatan", "Banjarmasin Utara"]})
    assert url == "https://portal.example/peta?kecamatan=Banjarmasin+Selatan&kecamatan=Banjarmasin+Utara"
    when = date(2024, 5, 31)
    text = citation("Bakawan RTLH", "Portal Transparansi", url, when, date(2026, 11, 28), "id")
    assert text == (
        f"Portal Transparansi, \u201cBakawan RTLH\u201d. Data per 31 Mei 2024. {url} (diakses 28 November 2026)."
    )
    assert "Data as of 31 May 2024." in citation("B", "P", url, when, date(2026, 11, 28), "en")


def test_the_citation_s_url_is_a_link_that_reads_as_the_url_and_its_title_stays_text() -> None:
    url = "http://portal.example:8501/peta?kecamatan=Banjarmasin+Selatan&lang=en"
    when = date(2024, 5, 31)
    text = citation_markdown("[x](https://evil.example) www.evil", "P", url, when, date(2026, 11, 28), "id")
    links = re.findall(r"(?<!\\)\[((?:\\.|[^\\\]])*)\]\(([^)\s]*)\)", text)
    # One link: its text, as the reader sees it (unescaped), is its address, the view's URL, with nothing invisible.
    assert [(re.sub(r"\\(.)", r"\1", shown), target) for shown, target in links] == [(url, url)], text
    # The title, which may be sheet text, is escaped: no link, no bare address a renderer could link.
    assert "\\[x\\]\\(https\u2060\\:" in text and "www\u2060\\.evil" in text
    # An address that is not http(s) is never a link.
    assert "](" not in citation_markdown("T", "P", "javascript:alert(1)", None, date(2026, 11, 28), "id")


@pytest.mark.parametrize(
    ("page", "params"),
    [("app_pages/overview.py", {}), ("app_pages/program.py", {"program": PROGRAM_CODE}), ("app_pages/map.py", {})],
)
def test_every_data_page_offers_what_it_shows_and_everything_and_a_citation(
    published: PortalSetup, page: str, params: dict[str, str]
) -> None:
    at = run_app(page, **params)
    # Each page folds its downloads into a box drawn when a reader opens it (issue 23).
    folded = {"app_pages/overview.py": "overview_downloads", "app_pages/program.py": "program_downloads"}
    folded["app_pages/map.py"] = "map_downloads"
    assert not at.get("download_button")
    at.session_state[folded[page]] = True
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("CSV") == 1 and labels.count("XLSX") == 2 and labels.count("JSON") == 2
    assert {"program.csv", "capaian.csv", "lokasi.csv"} <= set(labels)
    # A quotation, escaped so that nothing in it is markup: read here as the reader sees it.
    quotes = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown if m.value.startswith("> ")]
    assert any("Data per" in q and "diakses" in q for q in quotes)
    if params:
        assert any(f"program={PROGRAM_CODE}" in q for q in quotes)


def test_the_history_download_is_the_comparison_on_screen_with_source_dates_and_dictionary_values(
    sample_portal: PortalSetup,
) -> None:
    at = run_app("app_pages/history.py", program="QW24-PERKIM-01", dari="2024-04-01", sampai="2024-06-03")
    at.session_state["history_downloads"] = True  # the reader opens the downloads
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("CSV") == 1 and "lokasi.csv" in labels
    from data_sources.published.stored_history import load_history
    from data_sources.published.tables import comparison_frame

    portal = Portal(sample_portal.config)
    history = load_history(portal.store, portal.memo)
    first, second = date(2024, 4, 1), date(2024, 6, 3)
    lines = history.comparison(first, second)
    frame = comparison_frame(lines, history.program_names(), portal.source_states(), first, second)
    # One row per line on screen, in the screen's order.
    assert len(frame) == len(lines) and list(frame["kolom"]) == [line.field for line in lines]
    budget = frame[(frame["kode_program"] == "QW24-PERKIM-01") & (frame["kolom"] == "anggaran")].iloc[0]
    assert (budget["perubahan"], budget["nilai_lama"], budget["nilai_baru"]) == (
        "diubah",
        10_000_000_000,
        9_200_000_000,
    )
    assert budget["sumber"] == "DISPERKIM_BAKAWAN_RTLH (riwayat/disperkim_bakawan_rtlh/2024-06-03.xlsx)"
    assert budget["dibaca_pada"] == "2024-06-03T08:00:00+08:00"
    assert budget["data_per"] == "2024-05-31" and (budget["dari"], budget["sampai"]) == ("2024-04-01", "2024-06-03")
    csv_text = to_csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert rows and all(r["sumber"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["data_per"]) for r in rows)
    assert not re.search(r"\d\.0(,|\r)|False|True|\.\d{6}\+", csv_text), csv_text
    report = next(r for r in rows if r["tabel"] == "capaian")
    assert (
        re.fullmatch(r"\d{4}-\d{2}-\d{2}", report["tanggal_laporan"])
        and report["data_per"] == report["tanggal_laporan"]
    )


def test_dictionary_formatting_writes_dates_moments_yes_no_and_whole_numbers_as_the_dictionary_says() -> None:
    import pandas as pd

    from data_sources.files.exports import dictionary_formatted

    frame = pd.DataFrame(
        {
            "anggaran": [14_750_000_000.0, None],
            "realisasi_persen": [42.5, 40.0],
            "tanggal": [date(2024, 5, 31), None],
            "data_per": [datetime(2024, 6, 2, 23, 30, tzinfo=UTC), None],  # the city's 3 June
            "dibaca_pada": [datetime(2024, 4, 1, 0, 0, 0, 123456, tzinfo=UTC), None],
            "dihapus": [False, True],
        }
    )
    out = dictionary_formatted(frame)
    assert out.to_dict("records") == [
        {
            "anggaran": 14_750_000_000,
            "realisasi_persen": 42.5,
            "tanggal": "2024-05-31",
            "data_per": "2024-06-03",
            "dibaca_pada": "2024-04-01T08:00:00+08:00",
            "dihapus": "tidak",
        },
        {
            "anggaran": None,
            "realisasi_persen": 40,
            "tanggal": None,
            "data_per": None,
            "dibaca_pada": None,
            "dihapus": "ya",
        },
    ]
    assert to_csv_bytes(out).decode("utf-8-sig").splitlines()[1] == (
        "14750000000,42.5,2024-05-31,2024-06-03,2024-04-01T08:00:00+08:00,tidak"
    )
